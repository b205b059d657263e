// The record checksum is Adler-32 (a Fletcher checksum), written with basic arithmetic only.
import fc from "fast-check";
import { checksum } from "../../../firmware/settings/checksum";

describe("record checksum", () => {
  test("matches Adler-32's published check values", () => {
    expect(checksum("Wikipedia")).toBe(0x11e60398);
    expect(checksum("")).toBe(1);
    expect(checksum("a")).toBe(0x00620062);
  });

  test("any single changed character changes it (including to erased-flash 0xFF)", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (s, at, code) => {
        const i = at % s.length;
        const changed = s.slice(0, i) + String.fromCharCode((s.charCodeAt(i) + code) % 256) + s.slice(i + 1);
        fc.pre(changed !== s);
        expect(checksum(changed)).not.toBe(checksum(s));
      }),
      { numRuns: 2000, seed: 51 }
    );
  });
});
