// When to brake: pure arithmetic over the observer's state, no clock and no motor. brakeIn: the
// brake instant for a target (an end stop is driven into); brakeDelay: the instant itself.
//
// Under full drive s (+1/-1) the speed profile at unit speed follows phi(t) = s + (phi0 - s) e^(-t/tauS);
// braking from phi stops the shaft phi * tauB further on (first-order brake). The brake instant tau
// solves "distance driven until tau + phi(tau) * tauB = req". Far from it the profile is at full
// speed and the answer is closed form; within a few ticks, three Newton steps on Math.exp (a
// native call on the device) refine it.

import { Observer } from "./loopContracts";

/** Newton's steps once the brake is near. */
const NEWTON_STEPS = 3;
/** Aim short of the target by this many sd of the predicted stop (overshoot costs a reversal). */
const AIM_SD = 1;
/** An end stop as the target: brake this long (ms) after the predicted arrival; closer than
 *  END_EPS (fraction of travel) counts as there... */
const END_MARGIN_MS = 1.5;
export const END_EPS = 1e-5;
/** ...at the estimate's near edge, this many sd closer; the floor (the blind bottom, where the
 *  level is far below hearing) this much further still (fraction of travel, ~1 degree). */
const FLOOR_MARGIN = 0.003;
const END_SD = 2.5;

/** Ms from now until the brake, driving s towards x (an end stop when atEnd), from the
 *  observer's estimate; 0 = now. nearMs as brakeDelay's. */
export function brakeIn(O: Observer, s: number, x: number, atEnd: boolean, nearMs: number): number {
  const u = O.u;
  if (!atEnd) {
    const bs = u * O.sigB;
    return brakeDelay(s, (x - s * AIM_SD * Math.sqrt(O.shaftVar + bs * bs) - O.shaftX) / u, O.phi, O.tauS, O.tauB, nearMs);
  }
  // into the stop: brake just after the arrival the estimate's near edge predicts (an estimate
  // that is unsure, e.g. in the blind bottom, stops short rather than push on)
  const d = s * (x - O.shaftX) - END_SD * Math.sqrt(O.shaftVar) - (s < 0 ? FLOOR_MARGIN : 0);
  return d < END_EPS ? 0 : brakeDelay(s, (s * d) / u, O.phi, O.tauS, 0, nearMs) + END_MARGIN_MS;
}

/** Ms from now until braking (brake time constant tb) leaves the shaft at rest req further on,
 *  req in travel at unit speed ((target - p) / u); phi0 the profile now, under drive s; nearMs:
 *  beyond this the closed form is good enough. 0 = now (or too late). tb = 0: the arrival. */
export function brakeDelay(s: number, req: number, phi0: number, tauS: number, tb: number, nearMs: number): number {
  if (s * (req - phi0 * tb) <= 0) return 0;
  let tau = s * req + (1 - s * phi0) * tauS - tb;
  if (tau > nearMs) return tau;
  for (let i = 0; i < NEWTON_STEPS; i++) {
    if (tau < 0) tau = 0;
    const E = Math.exp(-tau / tauS);
    tau -= (s * (tau + tb) + (phi0 - s) * (tauS * (1 - E) + tb * E) - req) / (s + (phi0 - s) * E * (1 - tb / tauS));
  }
  return tau < 0 ? 0 : tau;
}
