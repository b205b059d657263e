// Composition root: wires the HAL to the controllers and runs the control tick. The first thing
// it does is make the amp safe (output relay open, motor off, relays released), whatever state
// the hardware was left in before this boot.
//
// One tick: sample -> protection -> volume -> outputs -> mute relay -> status.
// Knob, IR and console feed the same Controls; nothing else touches the relays or the motor.
import { Board } from "../boards/board";
import { Hal } from "../hal/hal";
import { newAmpState } from "./ampState";
import { errLine, ERR_TOO_LONG, startProtocol } from "./console/protocol";
import { startLineAssembler } from "./consoleLines";
import { Controls, ERR_RANGE, ERR_UNSUPPORTED, OK } from "./controls";
import { startMotorDrive } from "./motorDrive";
import { MUTE_USER } from "./muteReasons";
import { startOutputs } from "./outputs/outputUnit";
import { startProtection } from "./protection";
import { startRelayBank } from "./relayBank";
import { startScheduler } from "./scheduler";
import { startSensors } from "./sensors";
import { statusLine } from "./statusLine";
import { startVolume } from "./volume/volumeUnit";

export const FIRMWARE_VERSION = "0.1.0";

export interface AmpOptions {
  /** Developer build: the JavaScript REPL stays on the console. */
  devBuild: boolean;
}

export function startAmp(hal: Hal, board: Board, opts: AmpOptions): void {
  // ---- safe first: headphones disconnected, motor coasting, every relay released ----
  const mutePin = hal.pin(board.pins.muteRelay);
  hal.write(mutePin, false);
  const motor = startMotorDrive({ gpio: hal, pinA: board.pins.motorA, pinB: board.pins.motorB, pwmHz: board.motor.pwmHz });
  const relays = startRelayBank({ gpio: hal, drive: board.relays });

  const state = newAmpState();
  const sensors = startSensors({ gpio: hal, board: board });
  const protection = startProtection({ board: board, bootMs: hal.nowMs() });
  const volume = startVolume({ board: board, state: state, motor: motor });
  const outputs = startOutputs({ board: board, state: state, relays: relays });
  let reportedReasons = -1;

  const controls: Controls = {
    setVolumeDb: function (db) {
      if (db !== db) return ERR_RANGE;
      return volume.setTargetDb(db);
    },
    stepVolumeDb: function (delta) {
      if (delta !== delta) return ERR_RANGE;
      return volume.setTargetDb(state.targetDb + delta);
    },
    setMute: function (on) {
      state.userMute = on;
    },
    toggleMute: function () {
      state.userMute = !state.userMute;
    },
    selectOutput: outputs.select,
    toggleAB: outputs.toggleAB,
    setGainDb: outputs.setGainDb,
    clearFaults: function () {
      return OK;
    },
    calStart: function () {
      return ERR_UNSUPPORTED;
    },
    calAbort: function () {
      return ERR_UNSUPPORTED;
    },
    calStatus: function () {
      return "idle";
    },
  };

  function say(line: string) {
    hal.console.write(line + "\r\n");
  }

  const scheduler = startScheduler({
    clock: hal,
    watchdog: hal.watchdog,
    periodMs: board.tickMs,
    watchdogS: board.watchdogS,
    tick: tick,
  });

  function status(): string {
    return statusLine({
      board: board.name,
      connected: state.connected,
      reasons: state.reasons,
      motor: motor.current(),
      r: sensors.readings,
      stats: scheduler,
    });
  }

  function tick(nowMs: number) {
    const r = sensors.sample(nowMs);
    state.nowMs = nowMs;
    const reasons = protection.update(r) | (state.userMute ? MUTE_USER : 0);
    volume.tick(r);
    outputs.tick(r);
    state.reasons = reasons;
    const safe = reasons === 0;
    if (safe !== state.connected) {
      state.connected = safe;
      hal.write(mutePin, safe);
    }
    if (reasons !== reportedReasons) {
      reportedReasons = reasons;
      say(status());
    }
  }

  const protocol = startProtocol({ controls: controls, status: status });
  const lines = startLineAssembler(function (line) {
    say(line === null ? errLine(ERR_TOO_LONG) : protocol(line));
  });
  if (!opts.devBuild) hal.console.detachRepl();
  hal.console.onData(lines.push);
  say("BOOT amp-controller " + FIRMWARE_VERSION + " board=" + board.name + (opts.devBuild ? " dev" : ""));
}
