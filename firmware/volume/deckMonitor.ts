// The monitoring decks' health and the left/right tracking they prove, from each tick's readings
// against where the loop says the shaft is.
// Health, per deck:
// - rail: it reads a rail (0 or full scale: open or shorted wiper) well away from what its table
//   gives there, RAIL_TICKS in a row; back once it reads true again for RECOVER_TICKS.
// - garbage: a reading that is not a number in 0..1 (the sensors make it DECK_GARBAGE) counts
//   as a rail, named apart.
// - frozen: the very same reading, off the rails, FROZEN_N updates in a row while the other deck
//   has moved FROZEN_OTHER or more (a stuck ADC or mux): latched until cleared.
// - jumping: it disagrees wildly with the estimate while the other deck agrees with it (alone: an
//   outlier that is straight back on the track), often (dirty track): latched until cleared.
// A failed deck is left out of the estimate; the unit runs on the other one (degraded).
// Tracking: deck 5 minus deck 6 attenuation at the current position, from the two tables plus the
// gain difference the loop measures between the decks now (so a deck that drifts from its
// calibration shows), against the band (board.tracking); statistics kept; outside the band for
// FAULT_MS in a row is a fault, cleared after as long back inside.
import { Board } from "../../boards/board";
import { MODE_FREE, PotLoop } from "./loopContracts";
import { LSB } from "../sensors";

export const DECK_OK = 0;
export const DECK_RAIL = 1;
export const DECK_JUMPING = 2;
export const DECK_FROZEN = 3;

/** A rail reading this far (ratio, and relative) from the expected one is not the track. */
const RAIL_MISS = 8 * LSB;
const RAIL_MISS_REL = 0.15;
const RAIL_TICKS = 5;
const RECOVER_TICKS = 100;
/** Close enough to count as reading true again. */
const TRUE_MISS = 4 * LSB;
const TRUE_MISS_REL = 0.03;
/** Jump: innovation beyond this (sd), the other deck within OTHER_OK_N; leaky count (decay per
 *  tick) that means a dirty track. */
const JUMP_N = 6;
const OTHER_OK_N = 3;
const JUMP_DECAY = 0.98;
const JUMP_LIMIT = 3.5;
/** 20 / ln 10: a small relative gain difference in dB. */
const DB_PER_GAIN = 8.6859;
const FAULT_MS = 2000;
/** Frozen: updates with the very same reading (a live wiper's noise and motion change it), and
 *  how far the other deck moved meanwhile (ratio). */
const FROZEN_N = 10;
const FROZEN_OTHER = 12 * LSB;
/** Below this level the decks read too little to judge tracking. */
const TRACK_FLOOR_DB = -72;

// Fields of the per-deck array (each two wide: deck 5, deck 6).
const RAIL_N = 0; // rail readings in a row
const GOOD_N = 2; // true readings in a row (a railed deck's way back)
const JUMPS = 4; // the leaky jump count
const WAS_OUT = 6; // the last reading was off the track (0/1)
const RAILED = 8; // this reading is a rail far from the table (0/1)
const WANT = 10; // the observer's prediction
const MISS = 12; // how far the reading is from it
const LAST_Z = 14; // the reading at the last update, updates it has not changed, and where the
const SAME_N = 16; // other deck was when it last did
const OTHER_Z = 18;

export interface TrackStats {
  /** Error now (left - right, dB), the band at this level, the worst |error| seen and where,
   *  samples, RMS, ticks outside the band, and whether the fault is raised. */
  errDb: number;
  bandDb: number;
  worstDb: number;
  worstAtDb: number;
  samples: number;
  rmsDb: number;
  outside: number;
  fault: boolean;
}

export interface DeckMonitor {
  /** DECK_* per deck (0 = deck 5); what a railed deck reads: 0 the low rail, 1 the high rail,
   *  2 garbage (not a number in 0..1). */
  st: number[];
  hi: number[];
  track: TrackStats;
  /** Every tick after the loop's, with each deck's level at the estimated position (dB). Returns
   *  1 if a deck's state changed, 2 if the tracking fault did (or both). */
  update(t: number, r5: number, r6: number, l5: number, l6: number): number;
  /** Clears latched jumping and frozen decks and the tracking statistics. */
  clear(): void;
}

export function startDeckMonitor(o: { board: Board; loop: PotLoop; poll: () => void }): DeckMonitor {
  const tr = o.board.tracking;
  const L = o.loop;
  // Per-deck working numbers, one typed array (ten two-element arrays held ~50 JsVars on the
  // interpreter; this ~18): field F of deck d is v[F + d].
  const v = new Float64Array(20);
  let sumSq = 0;
  let since = -1;
  const s: TrackStats = { errDb: 0, bandDb: tr.bandDb, worstDb: 0, worstAtDb: 0, samples: 0, rmsDb: 0, outside: 0, fault: false };

  const m: DeckMonitor = {
    st: [DECK_OK, DECK_OK],
    hi: [0, 0],
    track: s,
    update: function (t, r5, r6, l5, l6) {
      let changed = 0;
      let d: number;
      for (d = 0; d < 2; d++) {
        const z = d ? r6 : r5;
        const w = L.predicted[d]; // the observer's prediction for this reading
        const e = z > w ? z - w : w - z;
        v[WANT + d] = w;
        v[MISS + d] = e;
        v[RAILED + d] = (z < LSB / 2 || z > 1 - LSB / 2) && e > RAIL_MISS && e > RAIL_MISS_REL * w ? 1 : 0;
      }
      o.poll(); // (the DC fast path: the next loop is a long one)
      for (d = 0; d < 2; d++) {
        const z = d ? r6 : r5;
        const zo = d ? r5 : r6;
        if (d) o.poll();
        const atRail = z < LSB / 2 || z > 1 - LSB / 2;
        const n = L.innovation[d];
        const on = L.innovation[1 - d];
        const otherOk = L.fused[1 - d] && on < OTHER_OK_N && on > -OTHER_OK_N;
        const w = v[WANT + d];
        const e = v[MISS + d];
        // a rail far from the table, the other deck vouching for the position (or out, or railed too)
        v[RAIL_N + d] = v[RAILED + d] && (otherOk || !L.usable[1 - d] || v[RAILED + 1 - d]) ? v[RAIL_N + d] + 1 : 0;
        if (z !== v[LAST_Z + d] || atRail) {
          v[SAME_N + d] = 0;
          v[OTHER_Z + d] = zo;
        } else v[SAME_N + d]++;
        v[LAST_Z + d] = z;
        const moved = zo - v[OTHER_Z + d];
        const st = m.st[d];
        if (st === DECK_RAIL) {
          v[GOOD_N + d] = e < TRUE_MISS || e < TRUE_MISS_REL * w ? v[GOOD_N + d] + 1 : 0;
          if (v[GOOD_N + d] >= RECOVER_TICKS) m.st[d] = DECK_OK;
        } else if (st === DECK_OK) {
          if (v[RAIL_N + d] >= RAIL_TICKS) {
            m.st[d] = DECK_RAIL;
            m.hi[d] = z > 1 ? 2 : z > 0.5 ? 1 : 0;
            v[GOOD_N + d] = 0;
          } else if (v[SAME_N + d] >= FROZEN_N && (moved < 0 ? -moved : moved) >= FROZEN_OTHER) {
            m.st[d] = DECK_FROZEN;
          } else if (L.mode !== MODE_FREE) {
            // with two decks the other one vouches for the position; alone, a jump is an
            // outlier that is back on the track at the next reading (motion would stay off it)
            const out = !atRail && (n > JUMP_N || n < -JUMP_N);
            v[JUMPS + d] = v[JUMPS + d] * JUMP_DECAY + ((L.usable[1 - d] ? out && otherOk : v[WAS_OUT + d] && !out) ? 1 : 0);
            v[WAS_OUT + d] = out ? 1 : 0;
            if (v[JUMPS + d] >= JUMP_LIMIT) m.st[d] = DECK_JUMPING;
          }
        }
        if (m.st[d] !== st) changed = 1;
        L.usable[d] = m.st[d] === DECK_OK;
      }
      // ---- tracking ----
      const level = (l5 + l6) / 2;
      if (!L.usable[0] || !L.usable[1] || L.mode === MODE_FREE || level < TRACK_FLOOR_DB) {
        s.errDb = 0;
        since = -1;
        return changed;
      }
      const err = l5 - l6 + 2 * DB_PER_GAIN * L.gainDiff;
      const a = err < 0 ? -err : err;
      s.errDb = err;
      s.bandDb = level >= tr.lowBelowDb ? tr.bandDb : tr.bandLowDb;
      s.samples++;
      sumSq += err * err;
      if (!(s.samples & 15)) s.rmsDb = Math.sqrt(sumSq / s.samples); // (a native, but not every tick)
      if (a > s.worstDb) {
        s.worstDb = a;
        s.worstAtDb = level;
      }
      const out = a > s.bandDb;
      if (out) s.outside++;
      if (out === s.fault) since = -1;
      else if (since < 0) since = t;
      else if (t - since >= FAULT_MS) {
        s.fault = out;
        since = -1;
        changed |= 2;
      }
      return changed;
    },
    clear: function () {
      for (let d = 0; d < 2; d++) {
        v[JUMPS + d] = 0;
        v[SAME_N + d] = 0;
        if (m.st[d] === DECK_JUMPING || m.st[d] === DECK_FROZEN) m.st[d] = DECK_OK;
        L.usable[d] = m.st[d] === DECK_OK;
      }
      sumSq = s.samples = s.worstDb = s.worstAtDb = s.rmsDb = s.outside = 0;
      s.fault = false;
    },
  };
  return m;
}
