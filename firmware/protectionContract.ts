// The protection supervisor's face (protection.ts keeps it): what the composition root calls
// every tick and from the edges it watches, and the fault log it writes to.
import { Readings } from "./sensors";

/** A fault to log (code = bit index + 1), or (repeat) the same fault back straight after a clear:
 *  counted on its entry, not logged again. */
export type FaultLogger = (code: number, tMs: number, a: number, b: number, repeat: boolean) => void;

export interface Protection {
  /** Once per tick: returns the protection mute reasons (power-on, rail, dc, over-current, thermal). */
  tick(r: Readings): number;
  reasons(): number;
  /** A leg beyond the fast threshold (from the fast leg scan). */
  dcFast(leg: number, volts: number, tMs: number): void;
  /** Over-current comparator edge: channel 0 left / 1 right, whether the other one is low now,
   *  and the live output's index (-1 none). */
  overCurrent(channel: number, tMs: number, otherLow: boolean, liveOutput: number): void;
  /** AC-present sense went low. */
  acLost(tMs: number): void;
  /** A plug was pulled out of output index i (clears a single-ended-plug fault there). */
  plugRemoved(i: number): void;
  /** Clears every latched fault, or none (ERR_FAULT): a DC step still there, or a latched fault
   *  that came straight back after the last clear and is held off (it is still there). */
  clear(nowMs: number): number;
  /** AC absent or rail low right now: the motor must not run. */
  powerLost(): boolean;
}
