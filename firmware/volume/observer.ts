// Where the shaft is: the motor model predicts, the two monitoring decks correct. Pure: readings
// and times in, estimates out; no clock, no motor.
//
// Model: the motor's speed profile phi (at unit speed) follows the command first-order (spin-up
// tauS, brake tauB, coast tauC), so the shaft moves u * Phi per step, u the unit's full-drive
// speed (per ms). The estimate is (p, u) with its covariance: each deck is a measurement of its ratio at p through its table,
// with a slowly tracked left/right gain difference (gainDiff) so that two decks that disagree never pull
// the estimate about; the decks' corrections teach u. Written for the interpreter: one function a
// tick, each table lookup once, Math natives (~300 tokens a tick where the first version took ~2,600).
// Innovations both decks agree on feed a CUSUM ("surprise": motion the model did not make).
// Free mode (a hand on the knob): no motor model, position random walk, followed on the decks.
import { Observer } from "./loopContracts";
import { Tables } from "./position";
import { LSB } from "../sensors";

const BRAKE = 2;
/** Reading noise, sd (ADC ±2 LSB, wiper contact noise while moving, quantisation), ratio. */
const NOISE = LSB;
/** Below this both the table and the reading carry no position (the ADC clamps at 0). */
export const BLIND = 2.5 * LSB;
/** Table error, relative: uncalibrated (the nominal taper: a unit's decks differ) / calibrated /
 *  calibrated far off nominal (tables.far: ~0.1 dB where the pot bends between knots, as the
 *  two-segment line does at half travel; trusted more, its every move was taken for a hand). */
const TABLE_ERR = [0.03, 0.0012, 0.01];
/** Position process noise per distance moved (the table's local scale), same order. */
const KAPPA = [0.25, 0.01];
/** Left/right gain difference drift per unit of travel moved, same order. */
const DELTA_DRIFT = [2, 0.02];
/** Drift allowance per ms at rest; free mode: position random walk per ms (a hand at ~150 deg/s). */
const Q_REST = 1e-13;
/** Full-drive speed drift per ms (supply, temperature). */
const Q_U = 5e-18;
const Q_FREE = 4e-7;
/** Below this the model's speed profile is at rest. */
const PHI_STOP = 0.002;
/** Innovations beyond this (sd) are outliers; in free mode, jumps that re-seat the estimate. */
const GATE = 5;
const FREE_GATE = 12;
/** An estimate surer than this (variance, ~1 degree) is trusted by the motor checks... */
export const SEAT_PP = 1e-5;
/** ...and one less sure than this (~4 degrees: boot, out of the blind bottom) is re-seated on the
 *  decks' readings (an uncalibrated unit's estimate stays between the two: its tables disagree). */
const RESEAT_PP = 5e-5;
/** CUSUM on agreed innovations: allowance per tick, clip. */
const CUSUM_K = 1.5;
const CUSUM_CLIP = 8;
/** Coast time constant (ms). */
export const TAU_C = 30;

/** poll: the DC fast path, looked at between the parts of an update (a timer cannot run while
 *  one does, and on a Pico an update is tens of ms). */
export function startObserver(tab: Tables, tickMs: number, speed: number, poll: () => void): Observer {
  let tE = 0;
  let aS = 0;
  let aB = 0;
  const aC = Math.exp(-tickMs / TAU_C);
  let keptU = speed;
  let keptUU = 0;
  let dvar = 1e-4;
  const H = [0, 0];
  const R = [0, 0];

  const O: Observer = {
    shaftX: 0.5,
    shaftVar: 1,
    u: speed,
    pu: 0,
    uu: 0.09 * speed * speed,
    phi: 0,
    cmd: 0,
    tauS: 45,
    tauB: 6,
    sigS: 15,
    sigB: 1.5,
    free: false,
    gp: 0,
    gn: 0,
    reading: [0, 0],
    predicted: [0, 0],
    innovation: [0, 0],
    fused: [false, false],
    usable: [true, true],
    gainDiff: 0,
    advance: advance,
    setCmd: function (t, c) {
      advance(t);
      if (c === O.cmd) return;
      const s = (c === 1 || c === -1 ? O.sigS * (c - O.phi) : O.sigB * O.phi) * O.u;
      O.shaftVar += s * s;
      O.cmd = c;
    },
    observe: observe,
    seat: seat,
    taus: function (ts, tb) {
      O.tauS = ts;
      O.tauB = tb;
      aS = Math.exp(-tickMs / ts);
      aB = Math.exp(-tickMs / tb);
    },
    at: function (t) {
      tE = t;
    },
    enterFree: function () {
      keptU = O.u;
      keptUU = O.uu;
      O.free = true;
      seat();
      O.phi = 0;
    },
    exitFree: function () {
      O.free = false;
      O.u = keptU;
      O.uu = keptUU;
      O.pu = 0;
      O.phi = 0;
      O.gp = O.gn = 0;
    },
    newTables: function () {
      O.gainDiff = 0;
      dvar = 1e-4;
    },
  };

  function advance(t: number) {
    const dt = t - tE;
    if (!(dt > 0)) return;
    tE = t;
    if (O.free) {
      O.shaftVar += Q_FREE * dt;
      return;
    }
    const c = O.cmd;
    const g = c === 1 || c === -1 ? c : 0;
    const phi = O.phi;
    if (g === 0 && phi === 0) {
      O.shaftVar += Q_REST * dt;
      return;
    }
    const tau = c === BRAKE ? O.tauB : g ? O.tauS : TAU_C;
    const a = dt === tickMs ? (c === BRAKE ? aB : g ? aS : aC) : Math.exp(-dt / tau);
    const D = g * dt + (phi - g) * tau * (1 - a); // distance at unit speed
    let np = g + (phi - g) * a;
    if (g === 0 && np < PHI_STOP && np > -PHI_STOP) np = 0;
    O.phi = np;
    const m = O.u * D;
    const q = KAPPA[+tab.cal] * m;
    O.shaftVar += D * (2 * O.pu + D * O.uu) + q * q;
    O.pu += D * O.uu;
    O.uu += Q_U * dt;
    move(O.shaftX + m);
  }

  /** p, clipped to the end stops (the model's speed stops there too). */
  function move(p: number) {
    if (p >= 1) {
      p = 1;
      if (O.phi > 0) O.phi = 0;
    } else if (p <= 0) {
      p = 0;
      if (O.phi < 0) O.phi = 0;
    }
    O.shaftX = p;
  }

  function observe(t: number, r5: number, r6: number, nAvg: number) {
    advance(t);
    poll();
    const z = O.reading;
    const n = O.innovation;
    const h = O.predicted;
    const free = O.free;
    const pp = O.shaftVar;
    const te = TABLE_ERR[tab.cal ? (tab.far ? 2 : 1) : 0];
    z[0] = r5;
    z[1] = r6;
    // one deck at a rail far from its table is a broken wiper (deck health's business); both at
    // the low rail is the shaft still at the bottom while the model has it climbing (at the top,
    // where the ADC clips, a table a little above full scale is no motion)
    const both = r5 < LSB && r6 < LSB;
    let info = 0;
    let d: number;
    for (d = 0; d < 2; d++) {
      poll(); // (each deck's look is ~8 ms of a Pico)
      O.fused[d] = false;
      n[d] = 0;
      const g = d ? 1 - O.gainDiff : 1 + O.gainDiff;
      const hd = tab.ratioAt(d, O.shaftX) * g;
      h[d] = hd; // (a failed deck's too: its health check compares against it)
      if (!O.usable[d]) continue;
      const zd = z[d];
      if (hd < BLIND && zd < (free ? BLIND : 2 * BLIND)) continue;
      const Hd = tab.lastSlope * g;
      const e = te * hd;
      const Rd = (NOISE * NOISE) / nAvg + e * e;
      const nd = (zd - hd) / Math.sqrt(Hd * Hd * pp + Rd);
      if (!both && (zd < LSB || zd > 1 - LSB) && (nd > GATE || nd < -GATE)) continue;
      n[d] = nd;
      H[d] = Hd;
      R[d] = Rd;
      info |= 1 << d;
    }
    poll();
    const n5 = n[0];
    const n6 = n[1];
    // agreed innovations: the smaller of two of the same sign; one deck alone counts half
    let nf = info === 3 ? (n5 * n6 > 0 ? 1.41 * (n5 > 0 ? (n5 < n6 ? n5 : n6) : n5 > n6 ? n5 : n6) : 0) : info ? (info === 1 ? n5 : n6) / 2 : 0;
    nf = nf > CUSUM_CLIP ? CUSUM_CLIP : nf < -CUSUM_CLIP ? -CUSUM_CLIP : nf;
    if ((O.shaftX >= 1 && nf > 0) || (O.shaftX <= 0 && nf < 0)) nf = 0; // "beyond" an end stop is the end stop
    const gp = O.gp + nf - CUSUM_K;
    const gn = O.gn - nf - CUSUM_K;
    O.gp = gp > 0 ? gp : 0;
    O.gn = gn > 0 ? gn : 0;
    // the decks read again after the blind bottom, or (free mode) both jumped: seat on the readings
    const big = info === 3 && n5 * n6 > 0 && (n5 > FREE_GATE || n5 < -FREE_GATE) && (n6 > FREE_GATE || n6 < -FREE_GATE);
    if (free ? big : info && pp > RESEAT_PP) {
      seat();
      O.fused[0] = O.fused[1] = true;
      return;
    }
    poll();
    const gate = free ? FREE_GATE : GATE;
    const p0 = O.shaftX;
    let fused = 0;
    for (d = 0; d < 2; d++) {
      if (!(info & (1 << d)) || n[d] > gate || n[d] < -gate) continue;
      // two-state (p, u) update: the decks' corrections teach the speed through pu
      const Hd = H[d];
      const y = z[d] - h[d] - (fused ? Hd * (O.shaftX - p0) : 0); // the second deck: relinearised
      const S = Hd * Hd * O.shaftVar + R[d];
      const kp = (O.shaftVar * Hd) / S;
      const ku = (O.pu * Hd) / S;
      move(O.shaftX + kp * y);
      if (!free) O.u += ku * y;
      O.uu -= ku * Hd * O.pu;
      O.pu -= kp * Hd * O.pu;
      O.shaftVar -= kp * Hd * O.shaftVar;
      O.fused[d] = true;
      fused++;
    }
    if (fused) {
      // the L/R gain difference does not depend on an error both decks share: follow it while
      // both read, outliers clipped
      if (info === 3) trackDl(h[0] / (1 + O.gainDiff), h[1] / (1 - O.gainDiff), te, O.shaftX - p0);
    }
  }

  function trackDl(a: number, b: number, te: number, moved: number) {
    const v = (NOISE * NOISE * (1 / (a * a) + 1 / (b * b))) / 4 + (te * te) / 2;
    const q = DELTA_DRIFT[+tab.cal] * ((moved < 0 ? -moved : moved) + O.u * tickMs);
    dvar += q * q + 1e-9;
    const k = dvar / (dvar + v);
    const lim = 4 * Math.sqrt(v + dvar);
    const e = (O.reading[0] / a - O.reading[1] / b) / 2 - O.gainDiff;
    O.gainDiff += k * (e > lim ? lim : e < -lim ? -lim : e);
    dvar *= 1 - k;
  }

  function seat() {
    let ws = 0;
    let xs = 0;
    for (let d = 0; d < 2; d++) {
      poll(); // (each deck's inverse lookup is several ms of a Pico)
      if (!O.usable[d]) continue;
      const x = tab.travelAt(d, O.reading[d] / (d ? 1 - O.gainDiff : 1 + O.gainDiff));
      tab.ratioAt(d, x);
      const w = (tab.lastSlope * tab.lastSlope) / (NOISE * NOISE);
      ws += w;
      xs += w * x;
    }
    poll();
    const xb = tab.travelAt(0, BLIND);
    if (ws > 0 && xs / ws > xb) {
      O.shaftX = xs / ws;
      O.shaftVar = 1 / ws + 1e-8;
    } else {
      if (O.shaftX > xb) O.shaftX = xb; // somewhere in the part of the travel the decks cannot see
      O.shaftVar = (xb * xb) / 12;
    }
    O.pu = 0;
    O.gp = O.gn = 0;
  }

  O.taus(O.tauS, O.tauB);
  return O;
}
