// Composition root: wires the HAL to the controllers and runs the control tick. The first thing
// it does is make the amp safe (output relay open, motor off, relays released), whatever state
// the hardware was left in before this boot.
//
// One tick: sample -> protection -> volume -> outputs -> mute relay -> status.
// Knob, IR and console feed the same Controls; nothing else touches the relays or the motor.
import { Board } from "../boards/board";
import { Hal } from "../hal/hal";
import { newAmpState } from "./ampState";
import { errLine, createProtocol } from "./console/protocol";
import { newUnlockGuard } from "./console/unlock";
import { startLineAssembler } from "./consoleLines";
import { Controls, ERR_RANGE, OK } from "./controls";
import { startMotorDrive } from "./motorDrive";
import { startFaultLog } from "./faultLog";
import { startLegScan } from "./legScan";
import { MUTE_POWER_ON, MUTE_RAIL, MUTE_SWITCHING, MUTE_USER } from "./muteReasons";
import { startOutputs } from "./outputs/outputUnit";
import { startProtection } from "./protection";
import { startRelayBank } from "./relayBank";
import { startScheduler } from "./scheduler";
import { startSensors } from "./sensors";
import { startSettings } from "./settings/settingsUnit";
import { startStatusLeds } from "./statusLeds";
import { statusLine } from "./statusLine";
import { startVolume } from "./volume/volumeUnit";
import { heardDb, limitTargetDb, muteLevelTargetDb, stepTargetDb } from "./volume/volumeLimits";
import { startInputs } from "./inputs/inputsUnit";

export const FIRMWARE_VERSION = "0.1.0";
/** The summed readings of the decks, the rail, the jack ladder and the thermistor moving by this
 *  many LSB (beyond the ADC's ±2 LSB on each) from where they were at the last look that fired is
 *  news (a hand on the knob, a plug, the rail, heat); looked at natively every CHANGE_LOOK_MS. */
const CHANGE_LSB = 14;
const ADC_CODES = 4095;
const CHANGE_LOOK_MS = 50;
/** At rest with nothing stirred, a full tick at least this often (ms): heat, the legs' slow DC
 *  filter, fault re-arms, the settings' change check and a deck still settling. In between, a
 *  rest tick only kicks the watchdog (a full one is ~1,800 tokens, ~24 ms of a Pico). */
export const FULL_REST_MS = 1000;
/** Busy ticks or console lines this recently (ms) keep the settings' change check quick. */
const LIVELY_MS = 5000;

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
  // the DC fast path first: the volume unit polls it between the parts of a long update
  const legScan = startLegScan(hal, board, function (leg, volts, tMs) {
    cut();
    protection.dcFast(leg, volts, tMs);
  });
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
    readDeck: sensors.readDeck,
    report: say,
    requestGain: function (db) {
      return outputs.setGainDb(db);
    },
    wake: stir,
    poll: legScan.poll,
  });
  const outputs = startOutputs(board, state, relays, volume.setTargetDb, protection.plugRemoved, stir);
  let reportedReasons = -1;
  let reportedFaults = -1;
  let livelyMs = 0; // the last busy tick or console line
  let calmUntilMs = 0; // rest ticks until then skip the work, unless something stirs
  let ledsDueMs = 0; // when the LEDs next change by themselves (a rest tick sees to it alone)
  let stirred = false;
  let motion = 0; // what the last full tick asked of the scheduler: 0 at rest, else the longest wait (ms)

  /** Something happened between ticks (a command, an edge, a reading that moved): the next tick
   *  is a full one, at the fast period. */
  function stir() {
    stirred = true;
    scheduler.wake();
  }

  /** A level the user asked for: it ends a mute-to-level, unless it is refused (then nothing
   *  changes). */
  function chosen(potDb: number): number {
    legScan.poll(); // (the limits were a few ms of a Pico, the request is more)
    const dimmed = state.levelMute;
    state.levelMute = false;
    const rc = volume.setTargetDb(potDb);
    if (rc === OK) state.levelChosen = true;
    else state.levelMute = dimmed;
    return rc;
  }

  const controls: Controls = {
    // Every level request passes the limits (volume/volumeLimits.ts); a new level ends a
    // mute-to-level (the user has taken the level in hand).
    // (an absolute level is the pot at the user's gain: while staging holds the gain lower, the
    // pot goes that much higher, so the same request is the same level heard whatever the staging)
    setVolumeDb: function (db) {
      return db !== db ? ERR_RANGE : chosen(limitTargetDb(state, board, state.gainStaging ? db + state.userGainDb - state.gainDb : db));
    },
    stepVolumeDb: function (delta) {
      return delta !== delta ? ERR_RANGE : chosen(stepTargetDb(state, board, delta));
    },
    // Hard mute (state.muteDb NaN) opens the output relay; otherwise mute turns the pot down
    // to that listener level and unmute restores the level the listener had (on whatever output
    // and gain are live by then, within today's limits).
    setMute: function (on) {
      stir();
      if (!on) {
        const restore = state.levelMute;
        state.userMute = false;
        state.levelMute = false;
        if (restore) volume.setTargetDb(limitTargetDb(state, board, state.unmuteDb - heardDb(state, board, 0)));
        return;
      }
      if (state.userMute || state.levelMute) return;
      const dimDb = muteLevelTargetDb(state, board);
      if (dimDb !== dimDb) {
        state.userMute = true;
        return;
      }
      state.unmuteDb = heardDb(state, board, state.targetDb);
      state.levelMute = true;
      volume.setTargetDb(dimDb);
    },
    toggleMute: function () {
      controls.setMute(!(state.userMute || state.levelMute));
    },
    // (the outputs and volume units wake the loop themselves when a switch or a sweep starts)
    selectOutput: outputs.selectOutput,
    toggleAB: outputs.toggleAB,
    setGainDb: outputs.setGainDb,
    clearFaults: function () {
      // all or nothing: a refused clear leaves every fault as it was
      const rc = protection.clear(hal.nowMs());
      if (rc !== OK) return rc;
      stir();
      volume.clearFaults();
      return OK;
    },
    calStart: volume.calStart,
    calAbort: volume.calAbort,
    calStatus: volume.calStatus,
  };

  startInputs(hal, board, controls, state);

  function say(line: string) {
    port.write(line + "\r\n");
  }

  const scheduler = startScheduler({ clock: hal, watchdog: hal.watchdog, fastMs: board.tickMs, restMs: board.restTickMs, watchdogS: board.watchdogS, tick: tick });
  // At rest the ticks are slow and mostly skip their work: the shaft moving (a hand on the knob), a
  // plug or the rail brings a full tick at the fast period within CHANGE_LOOK_MS.
  hal.watchMotion(
    [deckPins[0], deckPins[1], hal.pin(pins.railSense), hal.pin(pins.jackSense), hal.pin(pins.thermistor)],
    CHANGE_LSB / ADC_CODES,
    CHANGE_LOOK_MS,
    // (in motion the readings move all the time: the motion sets the ticks)
    function () { if (motion) stirred = true; else stir(); }
  );

  function status(): string {
    return statusLine(state, sensors.readings, scheduler, board.name, motor.current(), settings.loadedFrom);
  }

  // ---- protection events: act inside the callback, not at the next tick ----
  /** Output relay open now (a fault edge or the DC fast path); the tick keeps it open. */
  function cut() {
    hal.write(mutePin, false);
    stir();
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

  /** Returns 0 when nothing is in motion, else the longest wait (ms) until the next tick. */
  function tick(nowMs: number): number {
    // at rest, nothing stirred, nothing due: what the last full tick decided stands
    if (nowMs < calmUntilMs && !stirred) {
      if (nowMs >= ledsDueMs) ledsDueMs = leds.tick(nowMs); // (a blink needs no full tick)
    } else {
      stirred = false;
      if ((motion = fullTick(nowMs))) return motion;
    }
    // nothing due until the next full tick or LED change: the rest ticks sleep till then (a light
    // tick is ~100 tokens: ten a second were ~1 % of the CPU)
    scheduler.sleepUntil(ledsDueMs < calmUntilMs ? ledsDueMs : calmUntilMs);
    return 0;
  }

  /** The whole tick. The leg scan's timer cannot run while a tick does: a poll between its parts
   *  (each a few ms of a Pico) keeps the DC fast path's gaps short. */
  function fullTick(nowMs: number): number {
    legScan.poll();
    const r = sensors.sample(nowMs);
    legScan.poll();
    legScan.copyTo(r.legV);
    state.nowMs = nowMs;
    protection.tick(r);
    legScan.poll();
    if (protection.powerLost()) volume.halt();
    else volume.tick(r);
    legScan.poll();
    outputs.tick(r);
    legScan.poll();
    faultLog.flush(nowMs);
    // (protection's reasons as they are now: the DC fast path, polled between the tick's parts, may
    // have latched a fault since protection.tick, and the relay it opened must stay open)
    const reasons = protection.reasons() | outputs.muteReasons() | volume.muteReasons() | (state.userMute ? MUTE_USER : 0);
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
      legScan.poll(); // (a status line is ~20 ms of a Pico: a look before it)
      say(status());
    }
    // (switching relays, or a drive started after the volume unit's turn: the next tick at once)
    const wait = state.relaysBusy || (reasons & MUTE_SWITCHING) !== 0 ? board.tickMs : volume.busy(nowMs) || (motor.current() && board.tickMs);
    if (wait) livelyMs = nowMs;
    const lively = nowMs - livelyMs < LIVELY_MS;
    legScan.poll();
    settings.tick(nowMs, lively, legScan.poll);
    legScan.poll();
    ledsDueMs = leds.tick(nowMs);
    // calm: nothing moving, switching or commanded a moment ago, no power-on delay counting down
    // (with the power down it does not count: the rail coming back stirs a tick through the watch)
    const counting = (reasons & (MUTE_POWER_ON | MUTE_RAIL)) === MUTE_POWER_ON;
    calmUntilMs = lively || counting ? 0 : nowMs + FULL_REST_MS;
    return wait;
  }

  // ---- console: bounded line assembly -> strict protocol -> Controls (docs/console-and-settings.md) ----
  // the protocol is made for each line and let go after it: its ~100 JsVars are free in between
  const protocolOptions = { controls: controls, state: state, board: board, status: status, faultLog: faultLog.text, attachRepl: port.attachRepl, ownerFirst: !(typeof AMP_CONSOLE_USB === "boolean" ? AMP_CONSOLE_USB : board.consoleDevice === "USB"), unlockGuard: newUnlockGuard(), now: hal.nowMs, poll: legScan.poll };
  const lines = startLineAssembler(function (line, code) {
    livelyMs = hal.nowMs();
    stirred = true; // (a fresh status and settings check; a move wakes the fast ticks itself)
    if (line === null) say(errLine(code as number));
    else {
      legScan.poll();
      const answer = createProtocol(protocolOptions);
      legScan.poll(); // (making it lexes ~1,000 tokens, ~14 ms of a Pico)
      say(answer(line));
    }
    legScan.poll(); // (a command is tens of ms of a Pico: the protocol looks once inside, this after)
  }, hal.nowMs);
  if (!opts.devBuild) port.detachRepl();
  port.onData(lines.push);
  say("BOOT amp-controller " + FIRMWARE_VERSION + " board=" + board.name + (opts.devBuild ? " dev" : ""));
  say("INFO " + settings.report());
}
