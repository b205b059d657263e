// Position sensing tables: shaft position <-> monitoring-deck ratio <-> attenuation, per deck.
//
// Positions are fractions of travel (0 = fully counter-clockwise = quietest). Each deck is the
// nominal 15A audio taper plus its own deviation (dB) every 5 % of travel: the calibration record
// (or none: the nominal taper until the unit is calibrated). Both are expanded once onto a run-time
// grid, denser where the taper is steep, as dB per deck: between two knots the level is linear in
// dB, so the ratio is exactly exponential there (one native Math.exp per lookup, ~0.03 dB from the
// true curve). Three small Float32Arrays: the grid, deck 5, deck 6 (the mean level is their mean).
//
// Below the knee (10 % of travel, -75 dB) the track is linear in ratio down to 0; there the ADC
// reads less than one LSB: that part of the travel is known only from the motor's motion.
// Lookups remember the span they fell in: the next one, nearby, costs no search.
import { ratioToDb } from "../fastMath";

/** 15A: dB(x) = -SLOPE * u - TOE * (u / (1 - KNEE_X))^16, u = 1 - x, above the knee. */
const SLOPE_DB = 34.0528;
const TOE_DB = 44.3525;
const KNEE_X = 0.1;
const KNEE_DB = -75;
/** ln(10) / 20: dB to the natural log of a ratio. */
const NP_PER_DB = 0.11512925464970229;
const DB_PER_NP = 8.685889638065035;
/** Deviation knots: every 5 % of travel (the calibration record's length per deck). */
export const DEV_KNOTS = 21;
export const CAL_VERSION = 1;
/** Run-time spans per 5 % interval: none covers much more than ~1.7 dB of the nominal taper. */
const SUBDIV = new Int8Array([1, 1, 22, 10, 5, 4, 3, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]); // (typed: ~3 JsVars, not ~21)
/** Grid points below the knee (x = 0 and 0.05): the knee is point 2. */
const KNEE_I = 2;
/** The pots a record may describe (the 15A definition: 15 % of the resistance at half travel,
 *  ±20 %; below half the catalogue allows anything monotonic from the nominal curve's steep toe up
 *  to the straight two-segment 15A line). A deviation is refused beyond DEV_QUIET_DB below the
 *  nominal curve, or above the loudest such pot (LOUD_HALF at half travel, linear in ratio below,
 *  straight to the top above) by more than the gang band (DEV_MARGIN_DB), and never refused within
 *  DEV_LIMIT_DB: such a record is not a pot of this type. */
const DEV_QUIET_DB = -8;
const DEV_LIMIT_DB = 8;
const DEV_MARGIN_DB = 2;
const LOUD_HALF = 0.15 * 1.2;

/** What the calibration stores: format version and each deck's deviation from the nominal taper
 *  (dB) every 5 % of travel, fully counter-clockwise first. */
export interface CalRecord {
  v: number;
  deck5: number[];
  deck6: number[];
}

/** Deck index d: 0 = deck 5 (left), 1 = deck 6 (right), 2 = both (their mean level). */
export interface Tables {
  /** Loaded from a valid calibration record. */
  cal: boolean;
  /** Calibrated to a pot far off the nominal curve (a deviation beyond DEV_LIMIT_DB): its bends
   *  between knots (the two-segment line's corner) make the tables looser there. */
  far: boolean;
  /** Slope (lastSlope) of the last ratioAt() (ratio per unit of travel) or dbAt() (dB per unit of travel). */
  lastSlope: number;
  load(rec: CalRecord | null | undefined): boolean;
  /** Ratio deck d (0 or 1) reads at x; sets lastSlope. */
  ratioAt(d: number, x: number): number;
  /** Attenuation of deck d at x, dB (d = 2: the mean of both decks, the level steered to); sets lastSlope. */
  dbAt(d: number, x: number): number;
  /** Where deck d (0 or 1) reads ratio v; d = 2: where the mean level is v dB. */
  travelAt(d: number, v: number): number;
}

/** Most a deck may be louder than the nominal taper at knot i (dB). */
function devCeilingDb(i: number): number {
  const x = i < KNEE_I ? KNEE_X : i / (DEV_KNOTS - 1);
  const loud = x < 0.5 ? 2 * LOUD_HALF * x : LOUD_HALF + (1 - LOUD_HALF) * 2 * (x - 0.5);
  const c = ratioToDb(loud) + DEV_MARGIN_DB - nominalDb(x);
  return c > DEV_LIMIT_DB ? c : DEV_LIMIT_DB;
}

/** 0 when rec is a calibration the tables use; else why not: 1 not a record of this version and
 *  shape (or a deviation not a number), 2 a taper outside what a pot of this type can have (out of
 *  bounds, or not rising from knot to knot above the knee). */
export function recordFault(rec: CalRecord | null | undefined): number {
  if (!rec || rec.v !== CAL_VERSION) return 1;
  let bad = 0;
  for (let d = 0; d < 2; d++) {
    const a = d ? rec.deck6 : rec.deck5;
    if (!a || a.length !== DEV_KNOTS) return 1;
    for (let i = 0; i < DEV_KNOTS; i++) {
      if (a[i] !== a[i]) return 1;
      if (!(a[i] >= DEV_QUIET_DB && a[i] <= devCeilingDb(i))) bad = 2;
      if (i > KNEE_I && !(nominalDb(i / (DEV_KNOTS - 1)) + a[i] > nominalDb((i - 1) / (DEV_KNOTS - 1)) + a[i - 1])) bad = 2;
    }
  }
  return bad;
}

export function validRecord(rec: CalRecord | null | undefined): boolean {
  return recordFault(rec) === 0;
}

/** Where x lies between knots j and j + 1 (j at or above the knee), 0..1, measured along the
 *  nominal taper's dB rather than along travel: a deviation is interpolated so, so that between
 *  two knots a pot reads an affine function of the nominal level. Linear in travel, the steep
 *  toe would put up to ~3 dB between the knots of a pot far louder than nominal at the bottom
 *  (the straight two-segment 15A line); this way both it and the nominal curve come out within
 *  a few tenths of a dB. */
export function knotShare(x: number, j: number): number {
  const a = nominalDb(j / (DEV_KNOTS - 1));
  return (nominalDb(x) - a) / (nominalDb((j + 1) / (DEV_KNOTS - 1)) - a);
}

/** The nominal taper above the knee (the grid below it is handled apart). */
function nominalDb(x: number): number {
  let w = (1 - x) / (1 - KNEE_X);
  w *= w;
  w *= w;
  w *= w;
  return -SLOPE_DB * (1 - x) - TOE_DB * w * w;
}

export function startTables(): Tables {
  let n = 1;
  let i: number;
  let j: number;
  let k = 0;
  for (i = 0; i < SUBDIV.length; i++) n += SUBDIV[i];
  const X = new Float32Array(n);
  for (i = 0; i < SUBDIV.length; i++) for (j = 0; j < SUBDIV[i]; j++) X[k++] = (i + j / SUBDIV[i]) / (DEV_KNOTS - 1);
  X[k] = 1;
  // dB per deck, then the mean level; below the knee only the knee's value is meaningful
  const B = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  k = KNEE_I;
  let f = 0; // where in span k the last lookup fell

  /** Span of x (from the last one), and f within it. */
  function span(x: number) {
    x = x < 0 ? 0 : x > 1 ? 1 : x;
    if (x < X[k] || x >= X[k + 1]) k = search(X, x, 0); // (a function: the interpreter lexes what it skips)
    f = (x - X[k]) / (X[k + 1] - X[k]);
  }

  /** The span of the ascending table A (from lo on) that holds v: a binary search, for lookups
   *  far from the last one. */
  function search(A: Float32Array, v: number, lo: number): number {
    let hi = n - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (A[mid] <= v) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  /** Span holding value v in the ascending table A (from lo on), and f within it. */
  function find(A: Float32Array, v: number, lo: number) {
    if (!(k >= lo && A[k] <= v && v < A[k + 1])) {
      // not the last span: its neighbour, else a binary search
      if (k + 2 < n && k >= lo && A[k + 1] <= v && v < A[k + 2]) k++;
      else k = search(A, v, lo);
    }
    f = (v - A[k]) / (A[k + 1] - A[k]);
    return X[k] + f * (X[k + 1] - X[k]);
  }

  const t: Tables = {
    cal: false,
    far: false,
    lastSlope: 0,
    load: function (rec) {
      const ok = validRecord(rec);
      t.cal = ok;
      t.far = false;
      for (let d = 0; d < 2; d++) {
        const dev = ok ? (d ? (rec as CalRecord).deck6 : (rec as CalRecord).deck5) : null;
        for (i = 0; dev && i < DEV_KNOTS; i++) if (dev[i] > DEV_LIMIT_DB || dev[i] < -DEV_LIMIT_DB) t.far = true;
        for (i = KNEE_I; i < n; i++) {
          const p = X[i] * (DEV_KNOTS - 1);
          j = p >= DEV_KNOTS - 1 ? DEV_KNOTS - 2 : Math.floor(p);
          B[d][i] = nominalDb(X[i]) + (dev ? dev[j] + knotShare(X[i], j) * (dev[j + 1] - dev[j]) : 0);
        }
      }
      for (i = 0; i < n; i++) B[2][i] = i < KNEE_I ? KNEE_DB - 120 + 60 * i : (B[0][i] + B[1][i]) / 2;
      return ok;
    },
    ratioAt: function (d, x) {
      if (x < KNEE_X) {
        // linear in ratio below the knee
        const rk = Math.exp(NP_PER_DB * B[d][KNEE_I]);
        t.lastSlope = rk / KNEE_X;
        return x > 0 ? x * t.lastSlope : 0;
      }
      span(x);
      const a = B[d][k];
      const g = NP_PER_DB * (B[d][k + 1] - a);
      const r = Math.exp(NP_PER_DB * a + f * g);
      t.lastSlope = (r * g) / (X[k + 1] - X[k]);
      return r;
    },
    dbAt: function (d, x) {
      if (x < KNEE_X) {
        // linear in ratio below the knee: the knee's level plus the ratio's dB, down to -inf at 0
        t.lastSlope = DB_PER_NP / (x > 0 ? x : 1e-9);
        return B[d][KNEE_I] + ratioToDb(x / KNEE_X);
      }
      span(x);
      const a = B[d][k];
      t.lastSlope = (B[d][k + 1] - a) / (X[k + 1] - X[k]);
      return a + f * (B[d][k + 1] - a);
    },
    travelAt: function (d, v) {
      if (d > 1) {
        if (v >= B[2][n - 1]) return 1;
        if (!(v > B[2][KNEE_I])) return v > KNEE_DB - 200 ? KNEE_X * Math.exp(NP_PER_DB * (v - B[2][KNEE_I])) : 0;
        return find(B[2], v, KNEE_I);
      }
      if (!(v > 0)) return 0;
      const l = ratioToDb(v);
      if (l >= B[d][n - 1]) return 1;
      if (l < B[d][KNEE_I]) return (KNEE_X * v) / Math.exp(NP_PER_DB * B[d][KNEE_I]);
      return find(B[d], l, KNEE_I);
    },
  };

  t.load(null);
  return t;
}
