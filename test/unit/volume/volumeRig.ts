// A volume unit (firmware/volume) over the simulated amplifier through simHal, without the rest of
// the firmware: for unit tests and tuning of the volume pieces. The built bundle is tested in
// test/integration; this runs the same modules on the host.
import { Board } from "../../../boards/board";
import { BOARDS } from "../../../boards/index";
import { createSimAmp, SimAmpHandle, SimAmpOptions } from "../../../hal/sim/amp";
import { angleToAudioDb } from "../../../hal/sim/decks";
import { createSimHal, SimHal } from "../../../hal/sim/simHal";
import { AmpState, newAmpState } from "../../../firmware/ampState";
import { startMotorDrive } from "../../../firmware/motorDrive";
import { startSensors } from "../../../firmware/sensors";
import { CalRecord } from "../../../firmware/volume/position";
import { VolumeOptions, VolumeUnit } from "../../../firmware/volume/loopContracts";
import { TimerId } from "../../../hal/hal";
import { startVolume } from "../../../firmware/volume/volumeUnit";

export interface VolumeRig {
  board: Board;
  amp: SimAmpHandle;
  hal: SimHal;
  state: AmpState;
  vol: VolumeUnit;
  lines: string[];
  saved: CalRecord[];
  run(ms: number): void;
  /** Mean of the true left/right attenuation now, dB. */
  trueDb(): number;
}

export function volumeRig(
  opts: { board?: string; seed?: number; startDeg?: number; cal?: CalRecord | null; sim?: SimAmpOptions; targetDb?: number; extra?: Partial<VolumeOptions>; slowTickMs?: number } = {},
): VolumeRig {
  const board = BOARDS[opts.board ?? "pico"];
  const amp = createSimAmp(board, { seed: opts.seed ?? 1, startDeg: opts.startDeg, ...(opts.sim ?? {}) });
  const hal = createSimHal(amp);
  const state = newAmpState();
  state.gainStaging = false;
  state.targetDb = opts.targetDb ?? NaN;
  const motor = startMotorDrive({ gpio: hal, pinA: board.pins.motorA, pinB: board.pins.motorB, pwmHz: board.motor.pwmHz });
  const sensors = startSensors({ gpio: hal, board });
  const lines: string[] = [];
  const saved: CalRecord[] = [];
  const vol = startVolume({
    board,
    state,
    motor,
    now: hal.nowMs,
    after: hal.after,
    cancel: hal.cancel,
    loadCalibration: () => opts.cal ?? null,
    saveCalibration: (rec) => {
      saved.push(rec);
      return 0;
    },
    report: (l) => lines.push(l),
    readDeck: (d) => amp.pins.analogRead(d ? board.pins.deck6 : board.pins.deck5),
    ...(opts.extra ?? {}),
  });
  // slowTickMs: the ticks as the scheduler spaces them on a slow interpreter, as far apart as the
  // unit allows (its busy()), up to this
  const ticks: TimerId = hal.every(() => {
    const r = sensors.sample(hal.nowMs());
    state.nowMs = r.nowMs;
    vol.tick(r);
    if (opts.slowTickMs) hal.retime(ticks, Math.max(board.tickMs, Math.min(vol.busy(r.nowMs), opts.slowTickMs)));
  }, board.tickMs);
  return {
    board,
    amp,
    hal,
    state,
    vol,
    lines,
    saved,
    run: (ms) => amp.clock.advance(ms),
    trueDb: () => {
      const d = amp.shaftDeg();
      return (angleToAudioDb(amp.unit, "left", d) + angleToAudioDb(amp.unit, "right", d)) / 2;
    },
  };
}

/** Runs the factory calibration to its end; returns its status. */
export function calibrate(rig: VolumeRig): string {
  rig.vol.calStart();
  for (let i = 0; i < 200 && rig.vol.calStatus().startsWith("running"); i++) rig.run(1000);
  return rig.vol.calStatus();
}

/** Runs until the unit has stopped moving and the shaft is still (or maxMs). */
export function settle(rig: VolumeRig, maxMs = 30000): void {
  const end = rig.amp.clock.nowMs() + maxMs;
  let quiet = 0;
  while (rig.amp.clock.nowMs() < end && quiet < 200) {
    rig.run(10);
    quiet = !rig.state.moving && rig.amp.shaftSpeed() === 0 ? quiet + 10 : 0;
  }
}
