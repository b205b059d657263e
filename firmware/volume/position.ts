// Position sensing tables: shaft position <-> monitoring-deck ratio <-> attenuation, per deck.
//
// Positions are fractions of travel (0 = fully counter-clockwise = quietest). Each deck is the
// nominal 15A audio taper plus its own deviation (dB) every 5 % of travel: the calibration record
// (or none: the nominal taper until the unit is calibrated). The nominal curve carries the steep,
// strongly curved bottom, the deviation is smooth. Both are expanded once onto a run-time grid,
// denser where the taper is steep; between two knots the ratio is interpolated as an exponential
// (linear plus a curvature term), ~0.03 dB from the true curve. A lookup is a few
// multiplications: no log or exp per tick (Pico-class maths is approximate and slow).
//
// Below the knee (10 % of travel, -75 dB) the track is linear in ratio down to 0; there the ADC
// reads less than one LSB: that part of the travel is known only from the motor's motion.
import { dbToRatio, ratioToDb } from "../fastMath";

/** 15A: dB(x) = -SLOPE * u - TOE * (u / (1 - KNEE_X))^16, u = 1 - x, above the knee. */
const SLOPE_DB = 34.0528;
const TOE_DB = 44.3525;
const KNEE_X = 0.1;
const KNEE_DB = -75;
/** Deviation knots: every 5 % of travel (the calibration record's length per deck). */
export const DEV_KNOTS = 21;
export const CAL_VERSION = 1;
/** Run-time spans per 5 % interval: none covers much more than ~1.7 dB of the nominal taper. */
const SUBDIV = [1, 1, 22, 10, 5, 4, 3, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
/** A stored deviation beyond this is not a pot of this type: the record is refused. */
const DEV_LIMIT_DB = 8;

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
  /** Slope of the last r() (ratio per unit of travel) or db() (dB per unit of travel). */
  s: number;
  load(rec: CalRecord | null | undefined): boolean;
  /** Ratio deck d (0 or 1) reads at x; sets s. */
  r(d: number, x: number): number;
  /** Attenuation of deck d at x, dB (d = 2: the mean of both decks, the level steered to); sets s. */
  db(d: number, x: number): number;
  /** Where deck d (0 or 1) reads ratio v; d = 2: where the mean level is v dB. */
  x(d: number, v: number): number;
}

export function validRecord(rec: CalRecord | null | undefined): boolean {
  if (!rec || rec.v !== CAL_VERSION) return false;
  for (let d = 0; d < 2; d++) {
    const a = d ? rec.deck6 : rec.deck5;
    if (!a || a.length !== DEV_KNOTS) return false;
    for (let i = 0; i < DEV_KNOTS; i++) if (!(a[i] >= -DEV_LIMIT_DB && a[i] <= DEV_LIMIT_DB)) return false;
  }
  return true;
}

function nominalDb(x: number): number {
  if (x < KNEE_X) return x > 0 ? KNEE_DB + ratioToDb(x / KNEE_X) : KNEE_DB - 120;
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
  // per deck: dB, ratio, curvature of each span; index 2: the mean level
  const B = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  const R = [new Float32Array(n), new Float32Array(n)];
  const C = [new Float32Array(n), new Float32Array(n)];
  let f = 0; // where in the span k the last lookup fell

  const t: Tables = {
    cal: false,
    s: 0,
    load: function (rec) {
      const ok = validRecord(rec);
      t.cal = ok;
      for (let d = 0; d < 2; d++) {
        const dev = ok ? (d ? (rec as CalRecord).deck6 : (rec as CalRecord).deck5) : null;
        for (i = 0; i < n; i++) {
          const p = X[i] * (DEV_KNOTS - 1);
          j = p >= DEV_KNOTS - 1 ? DEV_KNOTS - 2 : Math.floor(p);
          const db = nominalDb(X[i]) + (dev ? dev[j] + (p - j) * (dev[j + 1] - dev[j]) : 0);
          B[d][i] = db;
          R[d][i] = i ? dbToRatio(db) : 0;
          if (d) B[2][i] = (B[0][i] + db) / 2;
        }
        // exponential between knots on the log part (linear plus curvature), linear below the knee
        for (i = 0; i < n - 1; i++) {
          const a = R[d][i];
          const b = R[d][i + 1];
          const z = (b - a) / (b + a);
          const lq = 2 * z * (1 + (z * z) / 3); // ln(b / a)
          C[d][i] = X[i] < KNEE_X - 1e-6 ? 0 : ((a + b) * lq * lq) / 4;
        }
      }
      return ok;
    },
    r: function (d, x) {
      span(x);
      const a = R[d][k];
      const c = C[d][k];
      const dr = R[d][k + 1] - a;
      t.s = (dr - c * (1 - 2 * f)) / (X[k + 1] - X[k]);
      return a + f * dr - c * f * (1 - f);
    },
    db: function (d, x) {
      span(x);
      const a = B[d][k];
      t.s = (B[d][k + 1] - a) / (X[k + 1] - X[k]);
      return a + f * (B[d][k + 1] - a);
    },
    x: function (d, v) {
      const A = d > 1 ? B[2] : R[d];
      if (!(v > A[0])) return 0;
      if (v >= A[n - 1]) return 1;
      let lo = 0;
      let hi = n - 1;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (A[mid] <= v) lo = mid;
        else hi = mid;
      }
      // linear within the span (the estimator refines from here)
      return X[lo] + ((v - A[lo]) / (A[lo + 1] - A[lo])) * (X[lo + 1] - X[lo]);
    },
  };

  function span(x: number) {
    x = x < 0 ? 0 : x > 1 ? 1 : x;
    while (k > 0 && x < X[k]) k--;
    while (k < n - 2 && x >= X[k + 1]) k++;
    f = (x - X[k]) / (X[k + 1] - X[k]);
  }

  t.load(null);
  return t;
}
