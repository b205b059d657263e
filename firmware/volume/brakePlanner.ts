// When to brake: pure arithmetic over the observer's state, no clock and no motor.
//
// Under full drive s (+1/-1) the speed profile at unit speed follows phi(t) = s + (phi0 - s) e^(-t/tauS);
// braking from phi stops the shaft phi * tauB further on (first-order brake). The brake instant tau
// solves "distance driven until tau + phi(tau) * tauB = req". Far from it the profile is at full
// speed and the answer is closed form; within a few ticks, three Newton steps on Math.exp (a
// native call on the device) refine it.

/** Newton's steps once the brake is near. */
const NEWTON_STEPS = 3;

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
