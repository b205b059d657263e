// Volume-unit fault bits in state.faults, after the protection supervisor's (firmware/faults.ts has
// bits 0-9; these follow on, so a fault's code number is still bit index + 1: 11-17).
// Motor faults stop the motor within the tick they are seen and leave the bridge released.
//   stall, end-stop, timeout: reported; the next volume request tries again.
//   reversed: latched (every move would run away from its target) until `clear`.
//   deck5/deck6: a monitoring deck reads a rail (open or shorted wiper) or jumps (dirty track);
//     the unit runs on the other deck (degraded). A rail clears itself once the deck reads true
//     again; jumping is latched until `clear`. Both decks failed: no position, no moves.
//   tracking: the L/R error stayed outside the band (board.tracking) for 2 s.
export const VF_STALL = 1 << 10;
export const VF_ENDSTOP = 1 << 11;
export const VF_REVERSED = 1 << 12;
export const VF_TIMEOUT = 1 << 13;
export const VF_DECK5 = 1 << 14;
export const VF_DECK6 = 1 << 15;
export const VF_TRACKING = 1 << 16;
export const VF_ALL = 127 << 10;
/** Cleared by the next volume request. */
export const VF_SOFT = VF_STALL | VF_ENDSTOP | VF_TIMEOUT;

/** Names in bit order from bit 10 (faults.ts NAMES continues with these). */
export const VF_NAMES = "motor-stall end-stop motor-reversed move-timeout deck5 deck6 tracking";
