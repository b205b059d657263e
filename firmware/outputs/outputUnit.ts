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
import { AmpState } from "../ampState";
import { ERR_RANGE, OK } from "../controls";
import { MUTE_NO_OUTPUT, MUTE_SWITCHING } from "../muteReasons";
import { RelayBank } from "../relayBank";
import { Readings } from "../sensors";
import { limitTargetDb } from "../volume/volumeLimits";
import { startOutputSequencer } from "./outputSequencer";

/** The jack ladder is read every 50 ms and its switches bounce: accept a mask stable this long. */
const JACK_STABLE_MS = 60;
/** "Arrived": the pot controller's settled accuracy. */
const ARRIVE_TOL_DB = 0.5;
/** Not louder than the target beyond reading noise. */
const NOT_LOUDER_TOL_DB = 0.1;
/** A/B waits at most a full pot travel (12 s nominal, units up to 15 s) for the pot to arrive. */
const ARRIVE_TIMEOUT_MS = 16000;
const GAIN9_BIT = 16;
const GAIN18_BIT = 32;
const WAIT_NONE = 0;
const WAIT_LEVEL = 1;
const WAIT_MATCH = 2;

export interface OutputUnit {
  tick(r: Readings): void;
  select(name: OutputName): number;
  setGainDb(db: number): number;
  toggleAB(): number;
  /** MUTE_SWITCHING while a sequence runs or the pot is on its way, MUTE_NO_OUTPUT after the live
   *  plug was pulled. */
  muteReasons(): number;
  /** Index (OUTPUT_NAMES) of the output whose relay is driven, -1 while none is. */
  live(): number;
}

function indexOf(name: string): number {
  for (let i = 0; i < OUTPUT_NAMES.length; i++) if (OUTPUT_NAMES[i] === name) return i;
  return -1;
}

export function startOutputs(o: {
  board: Board;
  state: AmpState;
  relays: RelayBank;
  /** The volume unit's setTargetDb. */
  setPotDb: (db: number) => number;
  /** A plug left jack i (protection clears a single-ended-plug fault there). */
  onPlugRemoved: (i: number) => void;
}): OutputUnit {
  const b = o.board;
  const st = o.state;
  const mem = st.volumeByOutput;
  let sel = indexOf(st.output);
  if (sel < 0) sel = indexOf(b.outputs.defaultOutput);
  st.output = OUTPUT_NAMES[sel];
  let gain = st.gainDb === 9 || st.gainDb === 18 ? st.gainDb : 0;
  st.gainDb = gain;
  const seq = startOutputSequencer(b.relayTiming, bits());
  let noOutput = false;
  let wait = WAIT_NONE;
  let waitFromMs = 0;
  let cand = -1;
  let candSinceMs = 0;
  let jacks = -1; // accepted mask; -1 until the first stable reading

  function bits(): number {
    return (1 << sel) | (gain === 9 ? GAIN9_BIT : gain === 18 ? GAIN18_BIT : 0);
  }

  function offset(i: number): number {
    return b.outputs.offsetDb[OUTPUT_NAMES[i]];
  }

  /** Pot target made legal for the current output and gain (caps, thermal derate, floor). */
  function legal(db: number): number {
    const derate = st.derateCapDb - gain - offset(sel);
    return limitTargetDb(st, b, db > derate ? derate : db);
  }

  function startWait(kind: number) {
    if (kind > wait) wait = kind;
    waitFromMs = st.nowMs;
  }

  /** Asks the pot for db; if the volume unit refuses (motor fault, calibration running) and the
   *  change needed the pot to come down, undoes the change and returns the refusal. */
  function movePot(db: number, undoSel: number, undoGain: number): number {
    const t = st.targetDb;
    const rc = o.setPotDb(db);
    if (rc === OK || !(db < t)) return OK;
    sel = undoSel;
    st.output = OUTPUT_NAMES[undoSel];
    gain = undoGain;
    st.gainDb = undoGain;
    return rc;
  }

  function switchTo(i: number, match: boolean): number {
    noOutput = false;
    if (i === sel) return OK;
    const was = sel;
    const t = st.targetDb;
    // Remembered: the level in force (while muted-to-level, the level unmute would restore).
    mem[sel] = st.levelMute ? st.unmuteDb - gain - offset(sel) : t;
    // The level heard now: where the pot is, or where it is going if that is quieter.
    const heard = match || !(st.actualDb < t) ? t : st.actualDb;
    let pot = heard + offset(sel) - offset(i);
    if (!match && mem[i] < pot) pot = mem[i];
    sel = i;
    st.output = OUTPUT_NAMES[i];
    const rc = movePot(legal(pot), was, gain);
    if (rc !== OK) return rc;
    seq.request(bits());
    startWait(match ? WAIT_MATCH : WAIT_LEVEL);
    return OK;
  }

  function setGainDb(db: number): number {
    if (db !== 0 && db !== 9 && db !== 18) return ERR_RANGE;
    if (db === gain) return OK;
    const was = gain;
    const pot = st.targetDb - (db - gain);
    gain = db;
    st.gainDb = db;
    const rc = movePot(legal(pot), sel, was);
    if (rc !== OK) return rc;
    seq.request(bits());
    startWait(WAIT_LEVEL);
    return OK;
  }

  function levelOk(now: number): boolean {
    const a = st.actualDb;
    const t = st.targetDb;
    const arrived = !st.moving && a - t <= ARRIVE_TOL_DB && t - a <= ARRIVE_TOL_DB;
    const notLouder = a <= t + NOT_LOUDER_TOL_DB;
    if (wait === WAIT_MATCH) return arrived || (notLouder && now - waitFromMs >= ARRIVE_TIMEOUT_MS);
    return arrived || notLouder;
  }

  function lowestBit(m: number): number {
    for (let i = 0; i < OUTPUT_NAMES.length; i++) if (m & (1 << i)) return i;
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
      if (st.jackSelect && !(m & (1 << sel)) && m) switchTo(lowestBit(m), false);
      return;
    }
    const inserted = m & ~jacks;
    const removed = jacks & ~m;
    jacks = m;
    for (let i = 0; i < OUTPUT_NAMES.length; i++) {
      if (!(removed & (1 << i))) continue;
      o.onPlugRemoved(i);
      if (i === sel) noOutput = true;
    }
    if (inserted & (1 << sel)) {
      noOutput = false;
      seq.resettle(); // a plug sliding into a live jack: mute until it is seated
    } else if (inserted && st.jackSelect) switchTo(lowestBit(inserted), false);
  }

  function tick(r: Readings) {
    const now = r.nowMs;
    jackTick(r.jacks, now);
    const t = st.targetDb;
    if (t > st.derateCapDb - gain - offset(sel)) o.setPotDb(legal(t));
    o.relays.apply(seq.tick(now, st.connected, st.mutedAtMs));
    if (wait && !seq.busy() && levelOk(now)) wait = WAIT_NONE;
    if (!wait && !seq.busy() && !st.levelMute) mem[sel] = st.targetDb;
    st.switching = wait !== WAIT_NONE || seq.busy();
  }

  return {
    tick: tick,
    select: function (name) {
      const i = indexOf(name);
      return i < 0 ? ERR_RANGE : switchTo(i, false);
    },
    setGainDb: setGainDb,
    toggleAB: function () {
      const a = indexOf(st.abPair[0]);
      const c = indexOf(st.abPair[1]);
      return a < 0 || c < 0 || a === c ? ERR_RANGE : switchTo(sel === a ? c : a, true);
    },
    muteReasons: function () {
      return (st.switching ? MUTE_SWITCHING : 0) | (noOutput ? MUTE_NO_OUTPUT : 0);
    },
    live: function () {
      const m = seq.applied() & 15;
      return m && !(m & (m - 1)) ? lowestBit(m) : -1;
    },
  };
}
