// A drive cut short by a surprise, judged once the shaft is still again (the pot loop's free
// mode): not moved is a stall; the other way about as far as the motor would go, stopped as soon
// as it was cut, is reversed wiring; the motor's way and stopped with it is the model's error;
// anything else is a hand. Pure: what the decks read and where the estimate went.
import { Observer } from "./loopContracts";
import { BLIND } from "./observer";
import { VF_REVERSED, VF_STALL } from "../faults";
import { LSB } from "../sensors";

/** Not moved: both decks read within this (LSB, and relative) of where they read when the drive
 *  started. */
const STALL_LSB = 4;
const STALL_REL = 0.02;
/** The shaft went the motor's way and stopped with it: the model was wrong, not a hand. */
export const JUDGED_MODEL = -1;

/** rel: how far the estimate went the drive's way, as a share of how far the motor would have
 *  taken it; quick: it stopped as the motor did (nobody turned it on); z0: the decks' readings
 *  when the drive started. VF_REVERSED, VF_STALL, JUDGED_MODEL, or 0 (a hand). */
export function judgeDrive(O: Observer, z0: number[], rel: number, quick: boolean): number {
  // (moved or not: the decks' own readings, which need no table, where they read at all)
  let seen = 0;
  let same = 0;
  for (let d = 0; d < 2; d++) {
    if (!O.usable[d] || z0[d] < 2 * BLIND) continue;
    seen++;
    const dz = O.reading[d] - z0[d];
    if ((dz < 0 ? -dz : dz) < STALL_LSB * LSB + STALL_REL * z0[d]) same++;
  }
  if (quick && rel < -0.5 && rel > -1.6) return VF_REVERSED;
  if (seen && same === seen) return VF_STALL;
  return quick && rel > 0 ? JUDGED_MODEL : 0;
}
