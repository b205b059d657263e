// Outputs: which headphone output is live, the gain relays, jack switches, per-output volume
// memory, level-matched A/B. Relays move only through the sequencer (muted, break before make).
//
// Levels are compared as the listener hears them: pot dB + gain + the output's offset
// (balanced +6 dB over single-ended at the same pot position).
//   select     the new output starts at min(its memory, the level heard now), within its caps
//   A/B        the pot moves by the offset difference so both outputs play equally loud; the
//              mute lifts only once the pot has arrived (state.actualDb / state.moving, written
//              by the volume unit), or, after ARRIVE_TIMEOUT_MS, if it is not louder than asked
//   gain       0 / 9 / 18 dB; the pot moves by the opposite amount, so the level heard stays
//   after any of these the mute lifts only when the pot is not above its new target (or has
//   arrived within ARRIVE_TOL_DB): a switch never plays louder than before unless the user turns
//   it up. Jacks: inserting a plug selects its output (state.jackSelect); pulling the live plug
//   mutes until a plug goes in or an output is chosen.
import { Board, OUTPUT_NAMES, OutputName } from "../../boards/board";
import { AmpState, outputIndex } from "../ampState";
import { ERR_RANGE, OK } from "../controls";
import { MUTE_NO_OUTPUT, MUTE_SWITCHING } from "../muteReasons";
import { RelayBank } from "../relayBank";
import { Readings } from "../sensors";
import { limitTargetDb } from "../volume/volumeLimits";
import { startOutputSequencer } from "./outputSequencer";

export interface OutputUnit {
  tick(r: Readings): void;
  selectOutput(name: OutputName): number;
  setGainDb(db: number): number;
  toggleAB(): number;
  /** MUTE_SWITCHING while a sequence runs or the pot is on its way, MUTE_NO_OUTPUT after the live
   *  plug was pulled. */
  muteReasons(): number;
  /** Index (OUTPUT_NAMES) of the output whose relay is driven, -1 while none is. */
  live(): number;
}

/** setPotDb: the volume unit's setTargetDb; onPlugRemoved(i): a plug left jack i (protection
 *  clears a single-ended-plug fault there); wake: a switch is starting between ticks (the control
 *  loop must run its full tick at its fast period now). */
export function startOutputs(
  board: Board,
  state: AmpState,
  relays: RelayBank,
  setPotDb: (db: number) => number,
  onPlugRemoved: (i: number) => void,
  wake?: () => void
): OutputUnit {
  /** The jack ladder is read every 50 ms and its switches bounce: accept a mask stable this long. */
  const JACK_STABLE_MS = 60;
  /** A gain step the pot can follow to within this of its floor (the level stays put). */
  const GAIN_FLOOR_SLACK_DB = 0.05;
  /** "Arrived": the pot controller's settled accuracy. */
  const ARRIVE_TOL_DB = 0.5;
  /** Not louder than the target beyond reading noise. */
  const NOT_LOUDER_TOL_DB = 0.1;
  /** A/B waits at most a full pot travel (12 s nominal, units up to 15 s) for the pot to arrive. */
  const ARRIVE_TIMEOUT_MS = 16000;
  /** A wait also ends once the pot has been at rest this long (ms). */
  const WAIT_STILL_MS = 1500;
  const GAIN9_BIT = 16;
  const GAIN18_BIT = 32;
  const WAIT_NONE = 0;
  const WAIT_LEVEL = 1;
  const WAIT_MATCH = 2;

  const mem = state.outVolDb;
  let sel = outputIndex(state.out);
  if (sel < 0) sel = outputIndex(board.outputs.defaultOutput);
  state.out = OUTPUT_NAMES[sel];
  let gain = state.gainDb === 9 || state.gainDb === 18 ? state.gainDb : 0;
  state.gainDb = gain;
  const seq = startOutputSequencer(board.relayTiming, bits());
  let noOutput = false;
  let wait = WAIT_NONE;
  let waitFromMs = 0;
  let stillFromMs = 0; // since when the pot has been at rest
  let cand = -1;
  let candSinceMs = 0;
  let jacks = -1; // accepted mask; -1 until the first stable reading

  function bits(): number {
    return (1 << sel) | (gain === 9 ? GAIN9_BIT : gain === 18 ? GAIN18_BIT : 0);
  }

  function offset(i: number): number {
    return board.outputs.offsetDb[OUTPUT_NAMES[i]];
  }

  /** Pot target made legal for the current output and gain (caps, thermal derate, floor). */
  function legal(db: number): number {
    const derate = state.derateCapDb - gain - offset(sel);
    return limitTargetDb(state, board, db > derate ? derate : db);
  }

  /** A switch or gain change has started: wait for the pot, with the control loop awake. */
  function startWait(kind: number) {
    if (kind > wait) wait = kind;
    waitFromMs = stillFromMs = state.nowMs;
    if (wake) wake();
  }

  /** Asks the pot for db; if the volume unit refuses (motor fault, calibration running) and the
   *  change needed the pot to come down, undoes the change and returns the refusal. */
  function movePot(db: number, undoSel: number, undoGain: number): number {
    const t = state.targetDb;
    const rc = setPotDb(db);
    if (rc === OK || !(db < t)) return OK;
    sel = undoSel;
    state.out = OUTPUT_NAMES[undoSel];
    gain = undoGain;
    state.gainDb = undoGain;
    return rc;
  }

  function switchTo(i: number, match: boolean): number {
    if (i === sel) return OK;
    const was = sel;
    const t = state.targetDb;
    // Remembered: the level in force (while muted-to-level, the level unmute would restore).
    mem[sel] = state.levelMute ? state.unmuteDb - gain - offset(sel) : t;
    // The level heard now: where the pot is, or where it is going if that is quieter.
    const heard = match || !(state.actualDb < t) ? t : state.actualDb;
    let pot = heard + offset(sel) - offset(i);
    if (!match && mem[i] < pot) pot = mem[i];
    sel = i;
    state.out = OUTPUT_NAMES[i];
    const rc = movePot(legal(pot), was, gain);
    if (rc !== OK) return rc;
    // (a refused switch changes nothing; an accepted one to a jack known empty while another
    // holds a plug plays nothing)
    noOutput = jacks > 0 && !(jacks & (1 << i));
    seq.want(bits());
    startWait(match ? WAIT_MATCH : WAIT_LEVEL);
    return OK;
  }

  function setGainDb(db: number): number {
    if (db !== 0 && db !== 9 && db !== 18) return ERR_RANGE;
    if (db === gain) return OK;
    const was = gain;
    const pot = state.targetDb - (db - gain);
    // more gain needs the pot lower by as much: below its floor the level heard would rise
    if (pot < board.volume.minDb - GAIN_FLOOR_SLACK_DB) return ERR_RANGE;
    gain = db;
    state.gainDb = db;
    const rc = movePot(legal(pot), sel, was);
    if (rc !== OK) return rc;
    seq.want(bits());
    startWait(WAIT_LEVEL);
    return OK;
  }

  function lowestBit(m: number): number {
    for (let i = 0; i < 4; i++) if (m & (1 << i)) return i; // the four outputs
    return -1;
  }

  function jackTick(m: number, now: number) {
    if (m !== cand) {
      cand = m;
      candSinceMs = now;
      return;
    }
    if (m === jacks || now - candSinceMs < JACK_STABLE_MS) return;
    if (jacks < 0) {
      // First reading after boot: the chosen output's jack is empty but another holds a plug.
      jacks = m;
      if (state.jackSelect && !(m & (1 << sel)) && m) switchTo(lowestBit(m), false);
      return;
    }
    const inserted = m & ~jacks;
    const removed = jacks & ~m;
    jacks = m;
    for (let i = 0; i < 4; i++) {
      if (!(removed & (1 << i))) continue;
      onPlugRemoved(i);
      if (i === sel) noOutput = true;
    }
    if (inserted & (1 << sel)) {
      noOutput = false;
      seq.resettle(); // a plug sliding into a live jack: mute until it is seated
    } else if (inserted && state.jackSelect) switchTo(lowestBit(inserted), false);
  }

  function tick(r: Readings) {
    const now = r.nowMs;
    // at rest (the common case): the jacks as they were, nothing to switch or wait for, the level
    // under the derating cap — only the remembered level follows the target (the rest is a
    // function of its own: the interpreter lexes a whole function body, returned from or not)
    if (!wait && r.jacks === jacks && cand === jacks && !seq.busy() && !(state.targetDb > state.derateCapDb - gain - offset(sel))) {
      if (!state.levelMute) mem[sel] = state.targetDb;
      state.relaysBusy = false;
      return;
    }
    busyTick(r, now);
  }

  /** Jacks changing, a switch or a wait in progress, or the derating cap to apply. */
  function busyTick(r: Readings, now: number) {
    jackTick(r.jacks, now);
    let t = state.targetDb;
    if (t > state.derateCapDb - gain - offset(sel)) setPotDb(legal(t));
    relays.drive(seq.tick(now, state.relayClosed, state.mutedAtMs));
    if (state.moving) stillFromMs = now;
    if (wait && !seq.busy()) {
      // The wait ends when the pot has arrived, or is not louder than asked (an A/B match only
      // after the timeout), or has been at rest for WAIT_STILL_MS (it has done what it can: low
      // down, where the decks see little, it may rest a little above the target; the caps still
      // hold through the volume unit's MUTE_LEVEL).
      const a = state.actualDb;
      t = state.targetDb;
      const arrived = !state.moving && a - t <= ARRIVE_TOL_DB && t - a <= ARRIVE_TOL_DB;
      if (arrived || now - stillFromMs >= WAIT_STILL_MS || (a <= t + NOT_LOUDER_TOL_DB && (wait !== WAIT_MATCH || now - waitFromMs >= ARRIVE_TIMEOUT_MS))) wait = WAIT_NONE;
    }
    if (!wait && !seq.busy() && !state.levelMute) mem[sel] = state.targetDb;
    state.relaysBusy = wait !== WAIT_NONE || seq.busy() || cand !== jacks; // (a plug still settling too)
  }

  return {
    tick: tick,
    selectOutput: function (name) {
      const i = outputIndex(name);
      return i < 0 ? ERR_RANGE : switchTo(i, false);
    },
    setGainDb: setGainDb,
    toggleAB: function () {
      const a = outputIndex(state.ab[0]);
      const c = outputIndex(state.ab[1]);
      return a < 0 || c < 0 || a === c ? ERR_RANGE : switchTo(sel === a ? c : a, true);
    },
    muteReasons: function () {
      return (state.relaysBusy ? MUTE_SWITCHING : 0) | (noOutput ? MUTE_NO_OUTPUT : 0);
    },
    live: function () {
      const m = seq.applied() & 15;
      return m && !(m & (m - 1)) ? lowestBit(m) : -1;
    },
  };
}
