// The pot loop's surprises: a drive too slow for the motor (tooSlow) is one; each is judged once
// the shaft is still again (the pot loop's free mode). A drive cut short: not moved, where the
// decks would have shown the motor's travel, is a stall; the other way about as far as the motor
// would go, stopped as soon as it was cut, is reversed wiring, but only where the decks read it
// going back (an estimate still settling from the last brake can go back on its own); the
// motor's way and stopped with it, or not moved where the decks could not have told (a short
// drive low on the taper), is the model's error. Nothing driving: the model's unless the decks
// read motion. Only motion the decks read is a hand. Pure: what the decks read and where the
// estimate went.
import { Observer } from "./loopContracts";
import { BLIND, SEAT_PP } from "./observer";
import { VF_REVERSED, VF_STALL } from "../faults";
import { LSB } from "../sensors";

/** Not moved: both decks read within this (LSB, and relative) of where they read when the drive
 *  started. */
const STALL_LSB = 4;
const STALL_REL = 0.02;
/** Nothing driving: motion of this many ADC codes is a hand (at rest the readings are averages;
 *  two codes is, a nudge of one is not). */
const HAND_LSB = 1.5;
/** A stall only where the motor's travel would have moved a deck's reading this many times that. */
const TELL = 1.5;
/** Driven this long (ms) and less than SLOW_SHARE of the way the motor goes: not turning. */
const CHECK_MS = 150;
const SLOW_SHARE = 0.3;
/** The shaft went the motor's way and stopped with it: the model was wrong, not a hand. */
export const JUDGED_MODEL = -1;

/** How far (travel) a drive at speed u from rest (spin-up tauS) goes in ms, and then once cut,
 *  coasting or braking with time constant tauEnd. */
export function driveTravel(u: number, tauS: number, ms: number, tauEnd: number): number {
  return u * (ms + (1 - Math.exp(-ms / tauS)) * (tauEnd - tauS)); // (spin-up lost, the end's gained: at speed u(1-e))
}

/** Driven dt ms at speed u, the shaft surely (its variance, and pp0 when the drive began, under
 *  SEAT_PP) went (travel) nowhere near as far as the motor goes: a stall, or a hand. */
export function tooSlow(O: Observer, went: number, pp0: number, u: number, dt: number): boolean {
  return dt > CHECK_MS && O.shaftVar + pp0 < SEAT_PP && went < SLOW_SHARE * driveTravel(u, O.tauS, dt, 0);
}

/** rel: how far the estimate went the drive's way, as a share of how far the motor would have
 *  taken it; quick: it stopped as the motor did (nobody turned it on); z0: the decks' readings
 *  when the drive started (nothing drove: when they last agreed with the model, ez 0 and rel 0);
 *  ez: how far (signed) the motor's travel would have moved a deck's reading.
 *  VF_REVERSED, VF_STALL, JUDGED_MODEL, or 0 (a hand). */
export function judgeDrive(O: Observer, z0: number[], rel: number, quick: boolean, ez: number): number {
  // (moved or not: the decks' own readings, which need no table, where they read at all)
  let told = 0;
  let moved = 0;
  let back = 0; // (of those, against the drive and with it: ez has the drive's sign)
  let fwd = 0;
  const e = ez;
  if (ez < 0) ez = -ez;
  for (let d = 0; d < 2; d++) {
    if (!O.usable[d]) continue;
    const tol = ez ? STALL_LSB * LSB + STALL_REL * z0[d] : HAND_LSB * LSB;
    const dz = O.reading[d] - z0[d];
    if ((dz < 0 ? -dz : dz) >= tol) {
      moved++;
      if (dz * e < 0) back++;
      if (dz * e > 0) fwd++;
    } else if (ez > TELL * tol && z0[d] >= 2 * BLIND) told++; // (blind at the bottom: no telling)
  }
  if (quick && back && !fwd && rel < -0.5 && rel > -1.6) return VF_REVERSED;
  if (!moved) return told ? VF_STALL : JUDGED_MODEL;
  return quick && (rel > 0 || fwd) ? JUDGED_MODEL : 0; // (stopped with the motor, gone its way)
}
