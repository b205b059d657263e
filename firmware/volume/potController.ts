// The closed loop on the pot: where the shaft is (an observer over the motor model and both
// monitoring decks) and how to drive it there (full drive, then the brake at the instant the
// model says the shaft will come to rest on the target).
//
// Observer: a Kalman filter on position p (fraction of travel) and u, the unit's full-drive speed
// (per ms, learned while running). The motor's speed profile phi (at unit speed) follows the
// commands first-order (spin-up tauS, brake tauB, coast tauC), so p moves by u * Phi per step:
// the filter is linear in (p, u) and has no lag (the model predicts, the decks correct). Each deck
// is a measurement of its ratio at p through its table, with a slowly tracked left/right gain
// difference (dl) so that two decks that disagree never pull the estimate about. Innovations that
// both decks agree on feed a CUSUM ("surprise"): motion the model did not make.
//
// Control: full drive; the brake is scheduled with a one-shot timer (not rounded to the tick) so
// that the shaft coasts to rest a little short of the target (by AIM_SD of the predicted stop's
// uncertainty: overshoot costs a reversal); once stopped, a check and at most MAX_CORRECTIONS short
// corrections. Direction changes wait reverseRestMs. The two end stops (0 dB, the floor) are
// targets reached by driving into them and braking just after the predicted arrival.
//
// Surprise stops the motor at once and follows the shaft (free mode, a random walk in velocity):
// a hand on the knob (the clutch slips), whose position is adopted as the target when it lets go.
// If the motor was driving, what the shaft did tells a stall (did not move) and reversed wiring
// (ran the other way about as far as the motor would, and stopped when it was cut) from a hand.
import { exp } from "../fastMath";
import { MotorDrive } from "../motorDrive";
import { Tables } from "./position";
import { VF_ENDSTOP, VF_REVERSED, VF_STALL, VF_TIMEOUT } from "./volumeFaults";

export const MODE_IDLE = 0;
export const MODE_MOVE = 1;
export const MODE_STOP = 2;
export const MODE_SETTLE = 3;
export const MODE_WAIT_REV = 4;
/** A hand (or something) moved the shaft: motor off, following it. */
export const MODE_FREE = 5;

const BRAKE = 2;
const LSB = 1 / 4095;
/** Reading noise, sd (ADC ±2 LSB, wiper contact noise while moving, quantisation), ratio. */
const NOISE = LSB;
/** Below this both the table and the reading carry no position (the ADC clamps at 0). */
const BLIND = 2.5 * LSB;
/** Table error, relative: calibrated / nominal taper (an uncalibrated unit's decks disagree). */
const TABLE_ERR = [0.03, 0.0012];
/** Position process noise per distance moved (the table's local scale), same order. */
const KAPPA = [0.25, 0.01];
/** Left/right gain difference drift per unit of travel moved, same order. */
const DELTA_DRIFT = [2, 0.02];
/** Drift allowances per ms: position at rest, full-drive speed (supply, temperature). */
const Q_REST = 1e-13;
const Q_U = 5e-18;
/** Free mode: velocity random walk per ms (a hand accelerates hard); velocity kept per step
 *  while no deck reads. */
const Q_W = 1.2e-10;
const FREE_DAMP = 0.7;
/** Uncertainty of the time constants before the calibration / the learner narrows them, ms. */
const SIG_TAU_S = 15;
const SIG_TAU_B = 1.5;
/** Below this the model's speed profile is at rest. */
const PHI_STOP = 0.002;
/** Innovations beyond this (sd) are outliers; in free mode, jumps that re-seat the estimate. */
const GATE = 5;
const FREE_GATE = 12;
/** An estimate less sure than this (variance, ~1 degree) is re-seated once the decks read. */
const SEAT_PP = 1e-5;
/** CUSUM on agreed innovations: allowance per tick, clip, and the level that means motion. */
const CUSUM_K = 1.5;
const CUSUM_CLIP = 8;
const SURPRISE = 8;
/** Aim short of the target by this many sd of the predicted stop. */
const AIM_SD = 1;
/** Schedule the brake once it is due within this many ticks (re-planned every tick). */
const PLAN_TICKS = 2;
/** An end stop as the target: brake this long (ms) after the predicted arrival; closer than
 *  END_EPS (fraction of travel) counts as there. */
const END_MARGIN_MS = 1.5;
const END_EPS = 1e-5;
/** The brake is held this many brake time constants before the bridge is released (released
 *  early, a shaft still creeping would coast on). */
const STOP_TAUS = 10;
/** Settling: decide at once when sure, else average the readings up to this long (ms). */
const SETTLE_MAX_MS = 300;
const MAX_CORRECTIONS = 2;
/** Move timeout: predicted time * factor + slack (ms). */
const TIMEOUT_FACTOR = 1.6;
const TIMEOUT_SLACK_MS = 800;
/** Free mode: still (slower than W_STILL per ms, ~2 deg/s, or no sure motion for NO_MOTION_MS)
 *  for STILL_MS = let go. A motor runs on for at most QUICK_MS after it is cut. */
const W_STILL = 7e-6;
const NO_MOTION_MS = 600;
const STILL_MS = 250;
const QUICK_MS = 200;
/** Driven this long (ms) and less than SLOW_SHARE of the way the motor goes: not turning. */
const CHECK_MS = 150;
const SLOW_SHARE = 0.3;
/** Not moved: both decks read within this (LSB, and relative) of where they read when the drive
 *  started. */
const STALL_LSB = 4;
const STALL_REL = 0.02;
/** The time constants stay in these ranges (ms). */
const TAU_S_MIN = 10;
const TAU_S_MAX = 150;
const TAU_B_MIN = 1;
const TAU_B_MAX = 30;

export interface PotLoop {
  /** Estimated position (fraction of travel) and its variance. */
  p: number;
  pp: number;
  /** Mode (MODE_*), target position, reversals of the move in progress. */
  mode: number;
  x: number;
  rev: number;
  /** Per deck: normalised innovation of the last reading, whether it was fused, may be used. */
  n: number[];
  used: boolean[];
  ok: boolean[];
  /** Left/right gain difference (deck 5 reads 1 + dl, deck 6 1 - dl of its table). */
  dl: number;
  moving(): boolean;
  /** One control tick with both deck readings (0..1). */
  tick(t: number, r5: number, r6: number): void;
  /** Go to x (fraction of travel; 0 and 1 are the end stops). */
  set(t: number, x: number): void;
  /** Motor off now, idle. */
  halt(t: number): void;
  /** The shaft is known to be at rest at p (after the calibration); speed per ms, spin-up ms. */
  place(t: number, p: number, speed: number, tauS: number): void;
  /** Position unknown: seat it on the next readings (boot, tables changed). */
  lost(): void;
}

export interface PotLoopOptions {
  tables: Tables;
  motor: MotorDrive;
  tickMs: number;
  reverseRestMs: number;
  /** Full-drive speed before any is measured (per ms). */
  speed: number;
  now(): number;
  after(ms: number, fn: () => void): number;
  cancel(id: number): void;
  /** Close enough to stop correcting at x, dB. */
  tolDb(x: number): number;
  /** A motor fault (VF_*): the motor is already off. */
  fault(code: number): void;
  /** The shaft came to rest at x after being moved by hand (or a fault): adopt it. */
  adopt(x: number): void;
}

export function startPotLoop(o: PotLoopOptions): PotLoop {
  const tab = o.tables;
  const motor = o.motor;
  const tick = o.tickMs;
  // ---- observer ----
  let p = 0.5;
  let u = o.speed;
  let pp = 1;
  let pu = 0;
  let uu = 0.09 * u * u;
  let phi = 0;
  let cmd = 0;
  let tE = 0;
  let free = false;
  let seated = false;
  let tauS = 45;
  let tauB = 6;
  const tauC = 30;
  let sigS = SIG_TAU_S;
  let sigB = SIG_TAU_B;
  let aS = 0;
  let aB = 0;
  let aC = 0;
  let gp = 0;
  let gn = 0;
  let dvar = 1e-4;
  let keptU = u;
  let keptUU = uu;
  const z = [0, 0];
  const h = [0, 0];
  const H = [0, 0];
  // ---- control ----
  let dir = 0;
  let endT = -1e9; // when the last drive ended
  let timer = -1;
  let atEnd = false;
  let moveT0 = 0;
  let limit = 0;
  let segT0 = 0;
  let learned = false;
  let segU = 0;
  const segZ = [0, 0]; // the decks' readings when this drive started
  let segP0 = 0;
  let segPP0 = 0;
  let stopT = 0;
  let brakeP = 0;
  let brakeV = 0;
  let brakePP = 0;
  let settleT = 0;
  let corr = 0;
  let freeT = 0;
  let stillT = 0;
  let movedT = 0;
  let judge = 0;
  let judgeP0 = 0;
  let judgeExp = 0;

  const L: PotLoop = {
    p: p,
    pp: pp,
    mode: MODE_IDLE,
    x: NaN,
    rev: 0,
    n: [0, 0],
    used: [false, false],
    ok: [true, true],
    dl: 0,
    moving: function () {
      return L.mode >= MODE_MOVE && L.mode <= MODE_WAIT_REV;
    },
    tick: onTick,
    set: set,
    halt: function (t) {
      off(t);
      if (free) exitFree();
      L.mode = MODE_IDLE;
    },
    place: function (t, at, speed, ts) {
      tE = t;
      p = at;
      pp = 1e-7;
      pu = 0;
      u = speed;
      phi = 0;
      cmd = 0;
      taus(ts, tauB);
      sigS = 2.5;
      seated = true;
      newTables();
    },
    lost: function () {
      seated = false;
      newTables();
    },
  };

  function newTables() {
    L.dl = 0;
    dvar = 1e-4;
  }

  function taus(ts: number, tb: number) {
    tauS = ts;
    tauB = tb;
    aS = exp(-tick / ts);
    aB = exp(-tick / tb);
    aC = exp(-tick / tauC);
  }

  /** Model forward to t under the current command. */
  function advance(t: number) {
    const dt = t - tE;
    if (!(dt > 0)) return;
    tE = t;
    if (free) {
      if (!L.used[0] && !L.used[1]) u *= FREE_DAMP; // nothing seen: do not run on at a hand's speed
      p += u * dt;
      pp += dt * (2 * pu + dt * uu) + Q_REST * dt;
      pu += dt * uu;
      uu += Q_W * dt;
    } else {
      const g = cmd === 1 || cmd === -1 ? cmd : 0;
      if (g === 0 && phi === 0) {
        pp += Q_REST * dt;
        return;
      }
      const tau = cmd === BRAKE ? tauB : g ? tauS : tauC;
      const a = dt === tick ? (cmd === BRAKE ? aB : g ? aS : aC) : exp(-dt / tau);
      const D = g * dt + (phi - g) * tau * (1 - a); // distance at unit speed
      phi = g + (phi - g) * a;
      if (g === 0 && phi < PHI_STOP && phi > -PHI_STOP) phi = 0;
      p += u * D;
      const q = KAPPA[+tab.cal] * u * D;
      pp += D * (2 * pu + D * uu) + q * q;
      pu += D * uu;
      uu += Q_U * dt;
    }
    ends();
  }

  function ends() {
    if (p >= 1) {
      p = 1;
      if (phi > 0) phi = 0;
      if (free && u > 0) u = 0;
    } else if (p <= 0) {
      p = 0;
      if (phi < 0) phi = 0;
      if (free && u < 0) u = 0;
    }
  }

  /** Advance, then a new command (+1/-1 drive, BRAKE, 0 coast); the time constant's uncertainty
   *  goes into the position variance for the transition about to start. */
  function setCmd(t: number, c: number) {
    advance(t);
    if (c === cmd) return;
    const s = (c === 1 || c === -1 ? sigS * (c - phi) : sigB * phi) * u;
    pp += s * s;
    cmd = c;
  }

  /** Deck d's prediction at p: h, H; false when it carries no position. */
  function predict(d: number): boolean {
    const g = d ? 1 - L.dl : 1 + L.dl;
    h[d] = tab.r(d, p) * g;
    H[d] = tab.s * g;
    return L.ok[d] && !(h[d] < BLIND && z[d] < (free ? BLIND : 2 * BLIND));
  }

  function noise(d: number): number {
    const te = TABLE_ERR[+tab.cal] * h[d];
    return NOISE * NOISE + te * te;
  }

  function fuse(d: number) {
    const y = z[d] - h[d];
    const Hd = H[d];
    const S = Hd * Hd * pp + noise(d);
    const kp = (pp * Hd) / S;
    const ku = (pu * Hd) / S;
    p += kp * y;
    u += ku * y;
    uu -= ku * Hd * pu;
    pu -= kp * Hd * pu;
    pp -= kp * Hd * pp;
    ends();
  }

  function observe(t: number, r5: number, r6: number) {
    advance(t);
    z[0] = r5;
    z[1] = r6;
    let d: number;
    let info = 0;
    for (d = 0; d < 2; d++) {
      L.used[d] = false;
      L.n[d] = 0;
      if (!predict(d)) continue;
      const nd = (z[d] - h[d]) / Math.sqrt(H[d] * H[d] * pp + noise(d));
      // a rail far from the table is a broken wiper (deck health's business), not motion
      if ((z[d] < LSB || z[d] > 1 - LSB) && (nd > GATE || nd < -GATE)) continue;
      L.n[d] = nd;
      info |= 1 << d;
    }
    const n5 = L.n[0];
    const n6 = L.n[1];
    // agreed innovations: the smaller of two of the same sign; one deck alone counts half
    let nf = info === 3 ? (n5 * n6 > 0 ? 1.41 * (n5 > 0 ? (n5 < n6 ? n5 : n6) : n5 > n6 ? n5 : n6) : 0) : info ? (info === 1 ? n5 : n6) / 2 : 0;
    nf = nf > CUSUM_CLIP ? CUSUM_CLIP : nf < -CUSUM_CLIP ? -CUSUM_CLIP : nf;
    if ((p >= 1 && nf > 0) || (p <= 0 && nf < 0)) nf = 0; // "beyond" an end stop is the end stop
    gp = gp + nf - CUSUM_K;
    gn = gn - nf - CUSUM_K;
    gp = gp > 0 ? gp : 0;
    gn = gn > 0 ? gn : 0;
    // the decks read again after the blind bottom, or (free mode) both jumped: seat on the readings
    const big = info === 3 && n5 * n6 > 0 && (n5 > FREE_GATE || n5 < -FREE_GATE) && (n6 > FREE_GATE || n6 < -FREE_GATE);
    if (free ? big : info && pp > SEAT_PP) {
      seat();
      L.used[0] = L.used[1] = true;
      return;
    }
    const gate = free ? FREE_GATE : GATE;
    const p0 = p;
    for (d = 0; d < 2; d++) {
      if (!(info & (1 << d)) || L.n[d] > gate || L.n[d] < -gate) continue;
      if (p !== p0) predict(d); // the second deck: relinearise at the updated estimate
      fuse(d);
      L.used[d] = true;
    }
    // the L/R gain difference does not depend on an error both decks share: follow it whenever
    // both read, outliers clipped
    if (info === 3) {
      const a = tab.r(0, p);
      const b = tab.r(1, p);
      const te = TABLE_ERR[+tab.cal];
      const v = (NOISE * NOISE * (1 / (a * a) + 1 / (b * b))) / 4 + (te * te) / 2;
      const q = DELTA_DRIFT[+tab.cal] * (Math.abs(p - p0) + Math.abs(u * tick));
      dvar += q * q + 1e-9;
      const k = dvar / (dvar + v);
      const lim = 4 * Math.sqrt(v + dvar);
      const e = (z[0] / a - z[1] / b) / 2 - L.dl;
      L.dl += k * (e > lim ? lim : e < -lim ? -lim : e);
      dvar *= 1 - k;
    }
  }

  /** Position from the readings alone (inverse-variance mean of the decks). */
  function seat() {
    let ws = 0;
    let xs = 0;
    for (let d = 0; d < 2; d++) {
      if (!L.ok[d]) continue;
      const x = tab.x(d, z[d] / (d ? 1 - L.dl : 1 + L.dl));
      tab.r(d, x);
      const w = (tab.s * tab.s) / (NOISE * NOISE);
      ws += w;
      xs += w * x;
    }
    const xb = tab.x(0, BLIND);
    if (ws > 0 && xs / ws > xb) {
      p = xs / ws;
      pp = 1 / ws + 1e-8;
    } else {
      if (p > xb) p = xb; // somewhere in the part of the travel the decks cannot see
      pp = (xb * xb) / 12;
    }
    pu = 0;
    gp = gn = 0;
  }

  function enterFree() {
    keptU = u;
    keptUU = uu;
    free = true;
    seat();
    u = 0;
    phi = 0;
    uu = 16 * o.speed * o.speed;
  }

  function exitFree() {
    free = false;
    u = keptU;
    uu = keptUU;
    pu = 0;
    phi = 0;
    gp = gn = 0;
  }

  // ---- control ----
  function cancelTimer() {
    if (timer >= 0) o.cancel(timer);
    timer = -1;
  }

  /** Bridge released (coasting), no timer. */
  function off(t: number) {
    cancelTimer();
    if (cmd === 1 || cmd === -1) endT = t;
    setCmd(t, 0);
    motor.stop();
  }

  function brakeNow() {
    timer = -1;
    const t = o.now();
    setCmd(t, BRAKE);
    motor.brake();
    endT = stopT = t;
    brakeP = p;
    brakeV = u * phi;
    brakePP = pp;
    L.mode = MODE_STOP;
  }

  /** Ms from now until braking (brake time constant tb) leaves the shaft at rest on x under full
   *  drive s; 0 = now (or too late). tb = 0: the arrival time without braking. */
  function brakeDelay(s: number, x: number, tb: number): number {
    const req = (x - p) / u; // distance at unit speed
    if (s * (req - phi * tb) <= 0) return 0;
    let tau = s * req + (1 - s * phi) * tauS - tb;
    if (tau > (PLAN_TICKS + 1) * tick) return tau; // not due yet: the steady-state estimate will do
    for (let i = 0; i < 4; i++) {
      if (tau < 0) tau = 0;
      const E = exp(-tau / tauS);
      tau -= (s * (tau + tb) + (phi - s) * (tauS * (1 - E) + tb * E) - req) / (s + (phi - s) * E * (1 - tb / tauS));
    }
    return tau < 0 ? 0 : tau;
  }

  function plan(t: number) {
    const s = dir;
    const x = L.x;
    const bs = u * sigB;
    const tau = atEnd ? (s * (x - p) < END_EPS ? 0 : brakeDelay(s, x, 0) + END_MARGIN_MS) : brakeDelay(s, x - s * AIM_SD * Math.sqrt(pp + bs * bs), tauB);
    cancelTimer();
    if (tau <= 0.05) brakeNow();
    else if (tau < PLAN_TICKS * tick) timer = o.after(tau - (o.now() - t), brakeNow);
  }

  function drive(t: number, s: number) {
    if (s !== dir && t < endT + o.reverseRestMs) {
      L.mode = MODE_WAIT_REV;
      return;
    }
    if (dir && s !== dir) L.rev++;
    dir = s;
    segT0 = t;
    segU = u;
    segZ[0] = z[0];
    segZ[1] = z[1];
    learned = false;
    segP0 = p;
    segPP0 = pp;
    setCmd(t, s);
    motor.drive(s);
    L.mode = MODE_MOVE;
    plan(t);
  }

  function there(): boolean {
    if (atEnd) return L.x > 0 ? p >= 1 - END_EPS : p <= END_EPS;
    const e = tab.db(2, L.x) - tab.db(2, p);
    return (e < 0 ? -e : e) <= o.tolDb(L.x);
  }

  function set(t: number, x: number) {
    advance(t);
    L.x = x;
    atEnd = x >= 1 || x <= 0;
    if (L.mode === MODE_FREE || !seated) return; // a hand wins; boot: moves once seated
    const s = x > p ? 1 : -1;
    moveT0 = t;
    limit = (TIMEOUT_FACTOR * (x > p ? x - p : p - x)) / u + TIMEOUT_SLACK_MS;
    corr = 0;
    if (L.mode === MODE_MOVE) {
      if (s === dir) plan(t);
      else brakeNow();
    } else if (L.mode !== MODE_STOP) {
      // (braking: the settling check decides once the shaft has stopped)
      L.rev = 0;
      if (there()) L.mode = MODE_IDLE;
      else drive(t, s);
    }
  }

  function onTick(t: number, r5: number, r6: number) {
    z[0] = r5;
    z[1] = r6;
    if (!seated) {
      tE = t;
      seat();
      seated = true;
      if (L.x === L.x) set(t, L.x);
    }
    observe(t, r5, r6);
    control(t);
    L.p = p;
    L.pp = pp;
  }

  function control(t: number) {
    const m = L.mode;
    if (m === MODE_FREE) return freeTick(t);
    // driven for a while but nowhere near as far as the motor goes (a filter that can still learn
    // the speed, e.g. uncalibrated, would rather believe in a slow motor than in a stall)
    const dt = t - segT0;
    const E = exp(-dt / tauS);
    const due = segU * (dt - tauS * (1 - E)); // what the drive should have done by now
    const slow = m === MODE_MOVE && dt > CHECK_MS && pp + segPP0 < SEAT_PP && dir * (p - segP0) < SLOW_SHARE * due;
    if (gp > SURPRISE || gn > SURPRISE || slow) {
      // the motor was driving: judge what the shaft did once it is still again
      judge = m === MODE_MOVE || m === MODE_STOP ? dir : 0;
      judgeP0 = segP0;
      judgeExp = due + segU * (1 - E) * tauC; // and will coast on
      off(t);
      u = segU; // the motor's speed as it was known before this drive
      enterFree();
      L.mode = MODE_FREE;
      freeT = stillT = movedT = t;
      return;
    }
    if (L.moving() && t - moveT0 > limit) return fail(t, VF_TIMEOUT);
    if (m === MODE_MOVE) {
      // at an end stop that is not the target: the estimate or the wiring is wrong
      if (!atEnd && ((dir > 0 && p >= 1) || (dir < 0 && p <= 0))) return fail(t, VF_ENDSTOP);
      // spin-up time constant from this drive's lag behind an instant start, once it is at speed
      const dt = t - segT0;
      if (!learned && dt >= 6 * tauS) {
        learned = true;
        const k = (sigS * sigS) / (sigS * sigS + (pp + segPP0 + dt * dt * uu) / (u * u));
        const ts = tauS + k * (dt - (dir * (p - segP0)) / u - tauS);
        sigS = Math.sqrt((1 - k) * sigS * sigS) + 0.2;
        taus(ts < TAU_S_MIN ? TAU_S_MIN : ts > TAU_S_MAX ? TAU_S_MAX : ts, tauB);
      }
      plan(t);
    } else if (m === MODE_STOP) {
      if (phi === 0 && t - stopT >= STOP_TAUS * tauB) {
        setCmd(t, 0);
        motor.stop();
        L.mode = MODE_SETTLE;
        settleT = t;
      }
    } else if (m === MODE_SETTLE) {
      const e = L.x - p;
      const ae = e < 0 ? -e : e;
      const sd = Math.sqrt(pp);
      const late = t - settleT >= SETTLE_MAX_MS;
      if (there() || ae > 2 * sd || late) {
        learnBrake();
        if (there() || corr >= MAX_CORRECTIONS || ae <= sd) L.mode = MODE_IDLE;
        else {
          corr++;
          drive(t, e > 0 ? 1 : -1);
        }
      }
    } else if (m === MODE_WAIT_REV && t >= endT + o.reverseRestMs) drive(t, L.x > p ? 1 : -1);
  }

  function fail(t: number, code: number) {
    off(t);
    L.mode = MODE_IDLE;
    o.fault(code);
    o.adopt(p);
  }

  /** Brake time constant from where the shaft came to rest against the model's prediction. */
  function learnBrake() {
    const v = brakeV;
    if (!(v > 1e-9 || v < -1e-9)) return;
    brakeV = 0;
    const k = (sigB * sigB) / (sigB * sigB + (pp + brakePP) / (v * v));
    const tb = tauB + k * ((p - brakeP) / v - tauB);
    sigB = Math.sqrt((1 - k) * sigB * sigB) + 0.05;
    taus(tauS, tb < TAU_B_MIN ? TAU_B_MIN : tb > TAU_B_MAX ? TAU_B_MAX : tb);
  }

  function freeTick(t: number) {
    const v = u < 0 ? -u : u;
    const sd = Math.sqrt(uu);
    // still: slow and sure of it, or no sure motion for a while (the decks may read too little)
    if (v > W_STILL + 2 * sd) movedT = t;
    if (!((v < W_STILL && sd < 3 * W_STILL) || t - movedT > NO_MOTION_MS)) stillT = t;
    if (t - stillT < STILL_MS) return;
    if (judge) {
      // not moved: stall; the other way about as far as the motor would, and stopped as soon as
      // it was cut: reversed wiring; anything else: a hand
      // (moved or not: the decks' own readings, which need no table, where they read at all)
      const rel = (judge * (p - judgeP0)) / judgeExp;
      let seen = 0;
      let same = 0;
      for (let d = 0; d < 2; d++) {
        if (!L.ok[d] || segZ[d] < 2 * BLIND) continue;
        seen++;
        const dz = z[d] - segZ[d];
        if ((dz < 0 ? -dz : dz) < STALL_LSB * LSB + STALL_REL * segZ[d]) same++;
      }
      if (movedT - freeT < QUICK_MS && rel < -0.5 && rel > -1.6) o.fault(VF_REVERSED);
      else if (seen && same === seen) o.fault(VF_STALL);
      judge = 0;
    }
    exitFree();
    L.mode = MODE_IDLE;
    L.x = p;
    o.adopt(p);
  }

  taus(tauS, tauB);
  return L;
}
