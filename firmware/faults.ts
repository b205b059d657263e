// Fault codes of the protection supervisor. state.faults is the OR of the FAULT_* bits active or
// latched now; the fault log and the LEDs use the code number (bit index + 1).
//
// Two classes (docs/outputs-and-protection.md):
// - LATCHING: the amp stays muted after the cause has gone, until `clear` (Controls.clearFaults)
//   or a power cycle. Faults that mean something broke or is wired wrong: a big DC step (failed
//   output stage), over-current (short), a single-ended plug in a TRRS jack (cold legs shorted;
//   also cleared by pulling that plug out, which removes the cause).
// - AUTO-RETRY: the mute lifts by itself once the cause has gone for its hold time: slow DC
//   creep, thermal trip (below the re-arm temperature), AC loss / rail sag (after the power-on
//   delay), a thermistor reading open or shorted. Thermal derate only caps the volume.

import { bitNames } from "./muteReasons";
import { word } from "./textScan";
import { VF_NAMES } from "./volume/volumeFaults";

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

/** Latched until cleared; every other fault retries by itself. */
export const LATCHING_FAULTS = FAULT_DC_STEP | FAULT_OC_LEFT | FAULT_OC_RIGHT | FAULT_SE_PLUG;

// Bits 0..9 are protection's; 10..16 the volume unit's (VF_NAMES in volume/volumeFaults.ts, in
// bit order), so status, `faults` and the LEDs name every fault.
export const FAULT_NAMES = "dc-creep dc-step oc-left oc-right se-plug thermal derate ac-loss rail-sag ntc " + VF_NAMES;
const FAULT_COUNT = 17;

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
