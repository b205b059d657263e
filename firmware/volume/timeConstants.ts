// The motor's two time constants, learned move by move from what the observer saw: a scalar
// Kalman step on each (its gain from the constant's own uncertainty against the position's),
// clamped to a sane range. Pure updates of the observer's state; the pot loop says when.
import { Observer } from "./loopContracts";

/** The time constants stay in these ranges (ms). */
const TAU_S_MIN = 10;
const TAU_S_MAX = 150;
const TAU_B_MIN = 1;
const TAU_B_MAX = 30;

/** Spin-up, from a drive's lag behind an instant start once it is at speed: dt ms into the drive,
 *  moved its way since it started (fraction of travel), from a position of variance pp0. */
export function learnSpinUp(O: Observer, dt: number, moved: number, pp0: number): void {
  const u = O.u;
  const s2 = O.sigS * O.sigS;
  const k = s2 / (s2 + (O.shaftVar + pp0) / (u * u));
  const ts = O.tauS + k * (dt - moved / u - O.tauS);
  O.sigS = Math.sqrt((1 - k) * s2) + 0.2;
  O.taus(ts < TAU_S_MIN ? TAU_S_MIN : ts > TAU_S_MAX ? TAU_S_MAX : ts, O.tauB);
}

/** Brake, from where the shaft came to rest against the model's prediction: braked at p0
 *  (variance pp0) at speed v (travel per ms, not 0). */
export function learnBrake(O: Observer, v: number, p0: number, pp0: number): void {
  const s2 = O.sigB * O.sigB;
  const k = s2 / (s2 + (O.shaftVar + pp0) / (v * v));
  const tb = O.tauB + k * ((O.shaftX - p0) / v - O.tauB);
  O.sigB = Math.sqrt((1 - k) * s2) + 0.05;
  O.taus(O.tauS, tb < TAU_B_MIN ? TAU_B_MIN : tb > TAU_B_MAX ? TAU_B_MAX : tb);
}
