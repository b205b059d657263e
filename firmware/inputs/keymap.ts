// The IR remote's code map: which NEC address the amp answers to and what each command does.
// Any NEC remote can be programmed to it (learning / universal remotes), or these constants changed
// to match a remote at hand (docs/controls.md lists the map).
//
// Address 0x4D: a standard (8-bit, inverse-checked) NEC address, not the 0x00 of the common cheap
// "car MP3" remotes, so those do not drive the amp by accident. The commands are contiguous from
// IR_FIRST so that the lookup is one subtraction: action = command - IR_FIRST + 1.

export const IR_ADDRESS = 0x4d;

export const IR_VOL_UP = 0x10;
export const IR_VOL_DOWN = 0x11;
export const IR_MUTE = 0x12;
export const IR_AB = 0x13;
export const IR_OUT_NEXT = 0x14;
/** Direct output keys, OUTPUT_NAMES order: bal44, bal35, xlr, se63. */
export const IR_OUT_BAL44 = 0x15;
export const IR_OUT_BAL35 = 0x16;
export const IR_OUT_XLR = 0x17;
export const IR_OUT_SE63 = 0x18;

/** Actions. Output actions are ACT_OUTPUT + index in OUTPUT_NAMES order. */
export const ACT_NONE = 0;
export const ACT_VOL_UP = 1;
export const ACT_VOL_DOWN = 2;
export const ACT_MUTE = 3;
export const ACT_AB = 4;
export const ACT_OUT_NEXT = 5;
export const ACT_OUTPUT = 6;

/** What a decoded frame (address * 256 + command, repeat flag stripped) asks for. */
export function irAction(code: number): number {
  const IR_FIRST = IR_VOL_UP;
  const IR_KEYS = 9;
  const k = code - (IR_ADDRESS * 256 + IR_FIRST);
  return k >= 0 && k < IR_KEYS ? k + 1 : ACT_NONE;
}

/** Only the volume keys act on repeat codes; a held mute or output key acts once. */
export function irRepeats(action: number): boolean {
  return action === ACT_VOL_UP || action === ACT_VOL_DOWN;
}
