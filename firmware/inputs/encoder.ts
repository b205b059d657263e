// Front-panel rotary encoder: a pure quadrature decoder fed one edge at a time (which contact, its
// level after the edge, the edge's timestamp), returning signed volume steps.
//
// Encoder type: one detent = one full quadrature cycle, both contacts open (high, pull-ups) at
// rest. Clockwise (louder) A leads B: (A,B) 11 -> 01 -> 00 -> 10 -> 11.
// Detent hysteresis: quarter steps are counted both ways, and a step is emitted only when the
// contacts come back to the rest state with a whole cycle counted in one direction. Contact bounce
// (a contact chattering while the other is still) moves the count back and forth and cancels; a
// knob wobbled half-way and let go emits nothing.
// Acceleration: consecutive detents in the same direction closer together than ACCEL_MS[i] count
// i + 2 steps each (a slow turn is 1 step per detent, a fast spin up to 4).
// No allocation per edge: state is a few numbers in the closure.

/** Quarter-step delta for (previous state << 2 | next state); 0 = no move (or both changed). */
const QUAD_DELTA = new Int8Array([0, -1, 1, 0, 1, 0, 0, -1, -1, 0, 0, 1, 0, 1, -1, 0]); // (typed: ~3 JsVars, not ~17)
/** Detent interval thresholds, ms: below ACCEL_MS[0] a detent counts 2 steps, below [1] 3,
 *  below [2] 4. 40 ms is 25 detents/s (more than a turn per second on a 20-detent knob). */
export const ACCEL_MS = [40, 25, 15];

export interface EncoderDecoder {
  /** One edge: contact A (true) or B (false), its level after the edge, the edge's time (ms).
   *  Returns the signed number of volume steps to apply now (0 most of the time). */
  edge(isA: boolean, high: boolean, tMs: number): number;
}

/** Steps one detent counts, given the time since the previous detent in the same direction. */
export function accelSteps(intervalMs: number): number {
  let steps = 1;
  for (let i = 0; i < ACCEL_MS.length; i++) if (intervalMs < ACCEL_MS[i]) steps = i + 2;
  return steps;
}

/** A decoder starting from the contacts' levels as read now. */
export function startEncoder(aHigh: boolean, bHigh: boolean): EncoderDecoder {
  /** Rest state (both contacts high: pull-ups, contacts open at a detent). */
  const REST = 3;
  const QUARTERS_PER_DETENT = 4;

  let state = (aHigh ? 2 : 0) | (bHigh ? 1 : 0);
  let quarters = 0;
  let lastDir = 0;
  let lastDetentMs = 0;

  return {
    edge: function (isA, high, tMs) {
      const bit = isA ? 2 : 1;
      const next = high ? state | bit : state & ~bit;
      if (next === state) return 0; // a lost edge in between: the net level did not change
      quarters += QUAD_DELTA[(state << 2) | next];
      state = next;
      if (state !== REST) return 0;
      const q = quarters;
      quarters = 0;
      if (q !== QUARTERS_PER_DETENT && q !== -QUARTERS_PER_DETENT) return 0;
      const dir = q > 0 ? 1 : -1;
      const steps = dir === lastDir ? accelSteps(tMs - lastDetentMs) : 1;
      lastDir = dir;
      lastDetentMs = tMs;
      return dir * steps;
    },
  };
}
