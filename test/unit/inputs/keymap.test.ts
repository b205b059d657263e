// The IR code map: only the amp's address, each documented command to its action, repeats only
// for the volume keys.
import { OUTPUT_NAMES } from "../../../boards/board";
import { necCode } from "../../../firmware/inputs/irNec";
import * as K from "../../../firmware/inputs/keymap";

describe("IR keymap", () => {
  test("each command of the amp's address maps to its action", () => {
    const a = K.IR_ADDRESS;
    expect(K.irAction(necCode(a, K.IR_VOL_UP))).toBe(K.ACT_VOL_UP);
    expect(K.irAction(necCode(a, K.IR_VOL_DOWN))).toBe(K.ACT_VOL_DOWN);
    expect(K.irAction(necCode(a, K.IR_MUTE))).toBe(K.ACT_MUTE);
    expect(K.irAction(necCode(a, K.IR_AB))).toBe(K.ACT_AB);
    expect(K.irAction(necCode(a, K.IR_OUT_NEXT))).toBe(K.ACT_OUT_NEXT);
    const outs: [number, string][] = [[K.IR_OUT_BAL44, "bal44"], [K.IR_OUT_BAL35, "bal35"], [K.IR_OUT_XLR, "xlr"], [K.IR_OUT_SE63, "se63"]];
    for (const [c, name] of outs) expect(OUTPUT_NAMES[K.irAction(necCode(a, c)) - K.ACT_OUTPUT]).toBe(name);
  });

  test("commands are distinct, and nothing outside the map does anything", () => {
    const mapped = [K.IR_VOL_UP, K.IR_VOL_DOWN, K.IR_MUTE, K.IR_OUT_BAL44, K.IR_OUT_BAL35, K.IR_OUT_XLR, K.IR_OUT_SE63, K.IR_OUT_NEXT, K.IR_AB];
    expect(new Set(mapped).size).toBe(mapped.length);
    for (let c = 0; c < 256; c++) {
      if (mapped.indexOf(c) >= 0) continue;
      expect(K.irAction(necCode(K.IR_ADDRESS, c))).toBe(K.ACT_NONE);
    }
  });

  test("another address never maps, standard or extended", () => {
    for (const addr of [0x00, K.IR_ADDRESS - 1, K.IR_ADDRESS + 1, 0xff, (K.IR_ADDRESS << 8) | K.IR_ADDRESS, 0x014d]) {
      expect(K.irAction(necCode(addr, K.IR_VOL_UP))).toBe(K.ACT_NONE);
    }
  });

  test("only the volume keys repeat", () => {
    expect(K.irRepeats(K.ACT_VOL_UP)).toBe(true);
    expect(K.irRepeats(K.ACT_VOL_DOWN)).toBe(true);
    for (const a of [K.ACT_NONE, K.ACT_MUTE, K.ACT_AB, K.ACT_OUT_NEXT, K.ACT_OUTPUT, K.ACT_OUTPUT + 3]) expect(K.irRepeats(a)).toBe(false);
  });
});
