// Every fault bit of state.faults, in one place: which unit owns (writes) it, its name and its
// code number (bit index + 1: the fault log and the LED blink count use it). state.faults is the
// OR of the bits active or latched now; each owner writes only its own mask (PROTECTION_FAULTS,
// VOLUME_FAULTS) and reads the rest.
//
// Protection's, in two classes (docs/outputs-and-protection.md):
// - LATCHING: the amp stays muted after the cause has gone, until `clear` (Controls.clearFaults)
//   or a power cycle. Faults that mean something broke or is wired wrong: a big DC step (failed
//   output stage), over-current (short), a single-ended plug in a TRRS jack (cold legs shorted;
//   also cleared by pulling that plug out, which removes the cause).
// - AUTO-RETRY: the mute lifts by itself once the cause has gone for its hold time: slow DC
//   creep, thermal trip (below the re-arm temperature), AC loss / rail sag (after the power-on
//   delay), a thermistor reading open or shorted. Thermal derate only caps the volume.
// The volume unit's: motor faults stop the motor within the tick they are seen and leave the
// bridge released.
//   stall, end-stop, timeout: reported; the next volume request tries again.
//   reversed: latched (every move would run away from its target) until `clear`.
//   deck5/deck6: a monitoring deck reads a rail (open or shorted wiper) or jumps (dirty track);
//     the unit runs on the other deck (degraded). A rail clears itself once the deck reads true
//     again; jumping is latched until `clear`. Both decks failed: no position, no moves.
//   tracking: the L/R error stayed outside the band (board.tracking) for 2 s.
import { bitNames } from "./muteReasons";
import { word } from "./textScan";

// ---- protection (protection.ts) ----
export const FAULT_DC_CREEP = 1; // a leg's filtered DC outside the slow window
export const FAULT_DC_STEP = 2; // a leg above the fast threshold (latching)
export const FAULT_OC_LEFT = 4; // left over-current comparator (latching)
export const FAULT_OC_RIGHT = 8; // right over-current comparator (latching)
export const FAULT_SE_PLUG = 16; // both comparators at once on a TRRS output: TRS plug (latching)
export const FAULT_THERMAL = 32; // heat sink at or above the trip temperature
export const FAULT_DERATE = 64; // heat sink at or above the derate temperature (volume capped)
export const FAULT_AC_LOSS = 128; // AC-present sense low
export const FAULT_RAIL = 256; // rail below its minimum with AC present
export const FAULT_NTC = 512; // thermistor open or shorted: temperature unknown
// ---- the volume unit (volume/volumeUnit.ts, potController.ts, driveJudge.ts) ----
export const VF_STALL = 1024; // driven, and the shaft did not turn
export const VF_ENDSTOP = 2048; // at an end stop that is not the target
export const VF_REVERSED = 4096; // the motor runs the other way (latching)
export const VF_TIMEOUT = 8192; // a move not there in time
export const VF_DECK5 = 16384; // monitoring deck 5 unreadable
export const VF_DECK6 = 32768; // monitoring deck 6 unreadable
export const VF_TRACKING = 65536; // left/right out of the tracking band

/** Names in bit order: status, the `faults` reply and the log name every fault. */
export const FAULT_NAMES = "dc-creep dc-step oc-left oc-right se-plug thermal derate ac-loss rail-sag ntc motor-stall end-stop motor-reversed move-timeout deck5 deck6 tracking";
const FAULT_COUNT = 17;

/** What each owner writes. */
export const PROTECTION_FAULTS = FAULT_DC_CREEP | FAULT_DC_STEP | FAULT_OC_LEFT | FAULT_OC_RIGHT | FAULT_SE_PLUG | FAULT_THERMAL | FAULT_DERATE | FAULT_AC_LOSS | FAULT_RAIL | FAULT_NTC;
export const VOLUME_FAULTS = VF_STALL | VF_ENDSTOP | VF_REVERSED | VF_TIMEOUT | VF_DECK5 | VF_DECK6 | VF_TRACKING;

/** Latched until cleared; every other protection fault retries by itself. */
export const LATCHING_FAULTS = FAULT_DC_STEP | FAULT_OC_LEFT | FAULT_OC_RIGHT | FAULT_SE_PLUG;
/** The volume unit's faults a new volume request clears. */
export const VF_SOFT = VF_STALL | VF_ENDSTOP | VF_TIMEOUT;

/** Code number of a single fault bit (1..17), as the log and the LED blink count use it. */
export function faultCode(bit: number): number {
  for (let i = 0; i < FAULT_COUNT; i++) if (bit === 1 << i) return i + 1;
  return 0;
}

/** Name of a code number ("boot" for 0, the log's boot marker). */
export function faultCodeName(code: number): string {
  return code === 0 ? "boot" : word(FAULT_NAMES, code - 1, " ") || "?" + code;
}

/** "oc-left+se-plug" for a set of fault bits; "none" when empty. */
export function faultNames(faults: number): string {
  return bitNames(faults, FAULT_NAMES);
}
