// The calibration's least-squares fit: each monitoring deck's deviation from the nominal taper at
// the 21 knots of a record, from readings whose position the sweep knows by time. Normal
// equations are accumulated as the sweep runs (nothing is stored per reading) in natural-log
// units: log r = log nominal(x) + dev(x), dev interpolated between knots as the tables interpolate
// it (position.ts knotShare). A reading of m LSB knows its log to about 1/m, so it weighs m^2.
// The readings decide, not the nominal curve: a pot far louder than nominal at the bottom of its
// travel (the straight two-segment 15A line) is measured there. Smoothed by second differences
// where the decks read almost nothing, no deviation at the top terminal; solved with a banded
// L D L^T (no square roots: Pico-class sqrt is approximate).
import { exp, ln, ratioToDb } from "../fastMath";
import { CAL_VERSION, CalRecord, DEV_KNOTS, knotShare, recordFault, Tables } from "./position";
import { LSB } from "../sensors";

const NK = DEV_KNOTS;
/** The normal equations (symmetric, bandwidth 2): diagonal, 1st and 2nd off-diagonals, then the
 *  right-hand sides of deck 5 and deck 6. */
export const FIT_SIZE = 5 * NK;
/** The first knot at the knee (10 % of travel): below it the tables are linear in ratio. */
const KNEE_KNOT = 2;
/** A reading below this (LSB) is left out: the log of a few LSB is noise. */
const MIN_READ_LSB = 2;
/** Smoothness (weighed as readings are, LSB^2) and the weight of "no deviation at the top end". */
const LAMBDA = 1500;
const TOP_WEIGHT = 1e9;

/** One reading of both decks at x into A (the tables must hold the nominal taper). */
export function addReading(A: Float64Array, tab: Tables, x: number, r5: number, r6: number): void {
  if (!(r5 >= MIN_READ_LSB * LSB && r6 >= MIN_READ_LSB * LSB)) return;
  const rn = tab.ratioAt(0, x);
  if (!(rn > 0)) return;
  const f = x * (NK - 1);
  const i = f >= NK - 1 ? NK - 2 : Math.floor(f);
  const u = i >= KNEE_KNOT ? knotShare(x, i) : f - i;
  const m = (r5 + r6) / (2 * LSB); // (the decks' mean: both share the matrix)
  const w = m * m;
  const lnN = ln(rn);
  A[i] += w * (1 - u) * (1 - u);
  A[i + 1] += w * u * u;
  A[NK + i] += w * u * (1 - u);
  for (let d = 0; d < 2; d++) {
    const z = w * (ln(d ? r6 : r5) - lnN);
    A[(3 + d) * NK + i] += z * (1 - u);
    A[(3 + d) * NK + i + 1] += z * u;
  }
}

/** Solves A in place: the record, or why there is none (position.ts recordFault: 1 not a
 *  record, 2 a taper outside what a pot of this type can have). */
export function solveFit(A: Float64Array): CalRecord | number {
  let i: number;
  let j: number;
  A[NK - 1] += TOP_WEIGHT;
  for (i = 0; i < NK - 2; i++) {
    // LAMBDA * (dev[i] - 2 dev[i+1] + dev[i+2])^2
    A[i] += LAMBDA;
    A[i + 1] += 4 * LAMBDA;
    A[i + 2] += LAMBDA;
    A[NK + i] -= 2 * LAMBDA;
    A[NK + i + 1] -= 2 * LAMBDA;
    A[2 * NK + i] += LAMBDA;
  }
  // A[i] = D_i, A[NK + i] = L_(i+1),i, A[2 NK + i] = L_(i+2),i (unit lower triangular)
  for (i = 0; i < NK; i++) {
    const l1 = i > 0 ? A[NK + i - 1] : 0;
    const l2 = i > 1 ? A[2 * NK + i - 2] : 0;
    A[i] -= l1 * l1 * (i > 0 ? A[i - 1] : 0) + l2 * l2 * (i > 1 ? A[i - 2] : 0);
    if (i < NK - 1) A[NK + i] = (A[NK + i] - (i > 0 ? A[2 * NK + i - 1] * l1 * A[i - 1] : 0)) / A[i];
    if (i < NK - 2) A[2 * NK + i] /= A[i];
  }
  const rec: CalRecord = { v: CAL_VERSION, deck5: [], deck6: [] };
  for (let d = 0; d < 2; d++) {
    const b = (3 + d) * NK;
    for (i = 0; i < NK; i++) A[b + i] -= (i > 0 ? A[NK + i - 1] * A[b + i - 1] : 0) + (i > 1 ? A[2 * NK + i - 2] * A[b + i - 2] : 0);
    for (i = 0; i < NK; i++) A[b + i] /= A[i];
    for (i = NK - 1; i >= 0; i--) for (j = 1; j <= 2 && i + j < NK; j++) A[b + i] -= A[j * NK + i] * A[b + i + j];
    for (i = 0; i < NK; i++) (d ? rec.deck6 : rec.deck5).push(Math.round(ratioToDb(exp(A[b + i])) * 100) / 100);
  }
  const bad = recordFault(rec);
  return bad ? bad : rec;
}
