// Composition root: wires the HAL to the controllers and runs the control tick. The first thing
// it does is make the amp safe (output relay open, motor off, relays released), whatever state
// the hardware was left in before this boot.
//
// One tick: sample -> protection -> volume -> outputs -> mute relay -> status.
// Knob, IR and console feed the same Controls; nothing else touches the relays or the motor.
import { Board } from "../boards/board";
import { Hal } from "../hal/hal";
import { newAmpState } from "./ampState";
import { errLine, startProtocol } from "./console/protocol";
import { startUnlock } from "./console/unlock";
import { startLineAssembler } from "./consoleLines";
import { Controls, ERR_RANGE } from "./controls";
import { startMotorDrive } from "./motorDrive";
import { startFaultLog } from "./faultLog";
import { startLegScan } from "./legScan";
import { MUTE_SWITCHING, MUTE_USER } from "./muteReasons";
import { startOutputs } from "./outputs/outputUnit";
import { startProtection } from "./protection";
import { startRelayBank } from "./relayBank";
import { startScheduler } from "./scheduler";
import { startSensors } from "./sensors";
import { startSettings } from "./settings/settingsUnit";
import { startStatusLeds } from "./statusLeds";
import { statusLine } from "./statusLine";
import { startVolume } from "./volume/volumeUnit";
import { limitTargetDb, muteLevelTargetDb, stepTargetDb } from "./volume/volumeLimits";
import { startInputs } from "./inputs/inputsUnit";

export const FIRMWARE_VERSION = "0.1.0";
/** The decks' summed readings moving by this many LSB (beyond twice the ADC's ±2 LSB on each) from
 *  where they were at the last wake-up is the shaft turning; looked at every MOTION_LOOK_MS. */
const MOTION_LSB = 10;
const ADC_CODES = 4095;
const MOTION_LOOK_MS = 20;

export interface AmpOptions {
  /** Developer build: the JavaScript REPL stays on the console. */
  devBuild: boolean;
}

export function startAmp(hal: Hal, board: Board, opts: AmpOptions): void {
  // ---- safe first: headphones disconnected, motor coasting, every relay released ----
  const pins = board.pins;
  const port = hal.console;
  const mutePin = hal.pin(pins.muteRelay);
  hal.write(mutePin, false);
  const motor = startMotorDrive({ gpio: hal, pinA: pins.motorA, pinB: pins.motorB, pwmHz: board.motor.pwmHz });
  const relays = startRelayBank(hal, board.relays);

  const state = newAmpState();
  // Settings first: the stored output, gain, volumes, limits and options are in the state before
  // any unit starts (start-up volume already capped).
  const settings = startSettings(hal.storage, state, board);
  const leds = startStatusLeds(hal, board, state);
  const sensors = startSensors({ gpio: hal, board: board });
  const faultLog = startFaultLog(hal.storage, state);
  const protection = startProtection(board, state, hal.nowMs(), faultLog.record);
  const deckPins = [hal.pin(board.pins.deck5), hal.pin(board.pins.deck6)];
  const volume = startVolume({
    board: board,
    state: state,
    motor: motor,
    now: hal.nowMs,
    after: hal.after,
    cancel: hal.cancel,
    loadCalibration: settings.loadCalibration,
    saveCalibration: settings.saveCalibration,
    readDeck: function (d) {
      return hal.analog(deckPins[d]);
    },
    report: function (line) {
      say(line);
    },
    requestGain: function (db) {
      return outputs.setGainDb(db);
    },
    wake: function () {
      scheduler.wake();
    },
  });
  const outputs = startOutputs(board, state, relays, volume.setTargetDb, protection.plugRemoved);
  let reportedReasons = -1;
  let reportedFaults = -1;

  /** A command that starts switching between ticks: fast ticks at once (no wait for a rest tick;
   *  a move wakes them itself, through the volume unit's wake). */
  function woken<A>(f: (a: A) => number): (a: A) => number {
    return function (a: A) {
      const rc = f(a);
      scheduler.wake();
      return rc;
    };
  }

  const controls: Controls = {
    // Every level request passes the limits (volume/volumeLimits.ts); a new level ends a
    // mute-to-level (the user has taken the level in hand).
    setVolumeDb: function (db) {
      if (db !== db) return ERR_RANGE;
      state.levelMute = false;
      return volume.setTargetDb(limitTargetDb(state, board, db));
    },
    stepVolumeDb: function (delta) {
      if (delta !== delta) return ERR_RANGE;
      state.levelMute = false;
      return volume.setTargetDb(stepTargetDb(state, board, delta));
    },
    // Hard mute (state.muteDb NaN) opens the output relay; otherwise mute turns the pot down
    // to that listener level and unmute restores the level the listener had (on whatever output
    // and gain are live by then, within today's limits).
    setMute: function (on) {
      scheduler.wake();
      if (!on) {
        const restore = state.levelMute;
        state.userMute = false;
        state.levelMute = false;
        if (restore) volume.setTargetDb(limitTargetDb(state, board, state.unmuteDb - state.gainDb - board.outputs.offsetDb[state.out]));
        return;
      }
      if (state.userMute || state.levelMute) return;
      const dimDb = muteLevelTargetDb(state, board);
      if (dimDb !== dimDb) {
        state.userMute = true;
        return;
      }
      state.unmuteDb = state.targetDb + state.gainDb + board.outputs.offsetDb[state.out];
      state.levelMute = true;
      volume.setTargetDb(dimDb);
    },
    toggleMute: function () {
      controls.setMute(!(state.userMute || state.levelMute));
    },
    selectOutput: woken(outputs.selectOutput),
    toggleAB: woken(outputs.toggleAB as (a: void) => number),
    setGainDb: woken(outputs.setGainDb),
    clearFaults: function () {
      volume.clearFaults();
      return protection.clear();
    },
    calStart: woken(volume.calStart as (a: void) => number),
    calAbort: volume.calAbort,
    calStatus: volume.calStatus,
  };

  startInputs(hal, board, controls, state);

  function say(line: string) {
    port.write(line + "\r\n");
  }

  const scheduler = startScheduler(hal, hal.watchdog, board.tickMs, board.restTickMs, board.watchdogS, tick);
  // At rest the ticks are slow: the shaft moving (a hand on the knob) brings the fast ones back
  // within MOTION_LOOK_MS, so the volume loop sees the motion as it happens.
  hal.watchMotion(deckPins, MOTION_LSB / ADC_CODES, MOTION_LOOK_MS, scheduler.wake);

  function status(): string {
    return statusLine(state, sensors.readings, scheduler, board.name, motor.current(), settings.loadedFrom);
  }

  // ---- protection events: act inside the callback, not at the next tick ----
  /** Output relay open now (a fault edge or the DC fast path); the tick keeps it open. */
  function cut() {
    hal.write(mutePin, false);
    if (state.relayClosed) {
      state.relayClosed = false;
      state.mutedAtMs = hal.nowMs();
    }
  }
  const ocPins = [hal.pin(pins.ocLeft), hal.pin(pins.ocRight)];
  function watchOverCurrent(ch: number) {
    hal.inputPullUp(ocPins[ch]);
    hal.watch(ocPins[ch], "falling", function (high, tMs) {
      cut();
      volume.halt();
      protection.overCurrent(ch, tMs, !hal.read(ocPins[1 - ch]), outputs.live());
    }, 0);
  }
  watchOverCurrent(0);
  watchOverCurrent(1);
  hal.watch(hal.pin(pins.acSense), "falling", function (high, tMs) {
    cut();
    volume.halt();
    protection.acLost(tMs);
  }, 0);
  const legScan = startLegScan(hal, board, function (leg, volts, tMs) {
    cut();
    protection.dcFast(leg, volts, tMs);
  });

  /** Returns whether anything is in motion (the scheduler's fast period). */
  function tick(nowMs: number): boolean {
    const r = sensors.sample(nowMs);
    legScan.copyTo(r.legV);
    state.nowMs = nowMs;
    const prot = protection.tick(r);
    if (protection.powerLost()) volume.halt();
    else volume.tick(r);
    outputs.tick(r);
    faultLog.flush(nowMs);
    const reasons = prot | outputs.muteReasons() | volume.muteReasons() | (state.userMute ? MUTE_USER : 0);
    state.muteReasons = reasons;
    const safe = reasons === 0;
    if (safe !== state.relayClosed) {
      state.relayClosed = safe;
      hal.write(mutePin, safe);
      if (!safe) state.mutedAtMs = nowMs;
    }
    if (reasons !== reportedReasons || state.faults !== reportedFaults) {
      reportedReasons = reasons;
      reportedFaults = state.faults;
      say(status());
    }
    settings.tick(nowMs);
    leds.tick(nowMs);
    // (the bridge itself too: a drive started after the volume unit's turn in this tick)
    return volume.busy(nowMs) || state.relaysBusy || (reasons & MUTE_SWITCHING) !== 0 || motor.current() !== 0;
  }

  // ---- console: bounded line assembly -> strict protocol -> Controls (docs/console-and-settings.md) ----
  const unlock = startUnlock(state, port.attachRepl);
  const protocol = startProtocol(controls, state, board, status, unlock, hal.nowMs, faultLog.text);
  const lines = startLineAssembler(function (line, code) {
    say(line === null ? errLine(code as number) : protocol(line));
  }, hal.nowMs);
  if (!opts.devBuild) port.detachRepl();
  port.onData(lines.push);
  say("BOOT amp-controller " + FIRMWARE_VERSION + " board=" + board.name + (opts.devBuild ? " dev" : ""));
  say("INFO " + settings.report());
}
