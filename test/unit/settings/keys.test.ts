// The settings keys: what the console's set/get and the stored record both go through.
import fc from "fast-check";
import { newAmpState, VOLUME_NO_LIMIT_DB } from "../../../firmware/ampState";
import { CONSOLE_END, CONSOLE_FIRST, ERR_ARGS, getKey, KEY_COUNT, keyIndex, keyRaw, parseNumber, setKey } from "../../../firmware/settings/keys";

const k = keyIndex;
const snapshot = (s: object) => JSON.stringify(s, (_k, v) => (typeof v === "number" && v !== v ? "NaN" : v));

describe("settings keys", () => {
  test("the console reaches exactly the user keys; out, gain, volumes and the password hash are stored only", () => {
    const names = [];
    for (let i = 0; i < KEY_COUNT; i++) if (i >= CONSOLE_FIRST && i < CONSOLE_END) names.push(i);
    expect(CONSOLE_FIRST).toBe(k("step"));
    expect(CONSOLE_END).toBe(k("pw"));
    for (const stored of ["out", "gain", "vol.bal44", "vol.se63", "pw"]) {
      const i = k(stored);
      expect(i).toBeGreaterThanOrEqual(0);
      expect(i >= CONSOLE_FIRST && i < CONSOLE_END).toBe(false);
    }
    for (const user of ["step", "maxvol", "startcap", "mutelevel", "jackselect", "ab", "gainstaging", "cap.bal44", "cap.bal35", "cap.xlr", "cap.se63"]) {
      const i = k(user);
      expect(i >= CONSOLE_FIRST && i < CONSOLE_END).toBe(true);
    }
    expect(k("nope")).toBe(-1);
  });

  test.each([
    ["step", "2", "step", 2],
    ["step", "0.5", "step", 0.5],
    ["maxvol", "-12.5", "maxDb", -12.5],
    ["maxvol", "none", "maxDb", VOLUME_NO_LIMIT_DB],
    ["startcap", "-40", "bootCapDb", -40],
    ["mutelevel", "-35", "muteDb", -35],
    ["jackselect", "off", "jackSelect", false],
    ["gainstaging", "on", "gainStaging", true],
  ] as const)("set %s %s -> state.%s = %p, and get shows it", (key, text, field, value) => {
    const s = newAmpState();
    expect(setKey(s, k(key), text)).toBe(0);
    expect((s as unknown as Record<string, unknown>)[field]).toBe(value);
    expect(getKey(s, k(key))).toBe(text);
  });

  test("hard mute, A/B pair and per-output caps", () => {
    const s = newAmpState();
    setKey(s, k("mutelevel"), "-20");
    expect(setKey(s, k("mutelevel"), "hard")).toBe(0);
    expect(s.muteDb).toBeNaN();
    expect(getKey(s, k("mutelevel"))).toBe("hard");
    expect(setKey(s, k("ab"), "xlr,se63")).toBe(0);
    expect(s.ab).toEqual(["xlr", "se63"]);
    expect(setKey(s, k("cap.bal35"), "-25")).toBe(0);
    expect(s.capDb).toEqual([0, -25, 0, 0]);
  });

  test.each([
    ["step", "1.5", 3],
    ["step", "3", 3],
    ["maxvol", "25", 3],
    ["maxvol", "-61", 3],
    ["maxvol", "loud", ERR_ARGS],
    ["startcap", "1e1", ERR_ARGS],
    ["startcap", "0x10", ERR_ARGS],
    ["mutelevel", "1", 3],
    ["mutelevel", "soft", ERR_ARGS],
    ["jackselect", "yes", ERR_ARGS],
    ["ab", "bal44,bal44", 3],
    ["ab", "bal44", ERR_ARGS],
    ["ab", "bal44,phones", ERR_ARGS],
    ["cap.xlr", "", ERR_ARGS],
    ["out", "speakers", ERR_ARGS],
    ["gain", "6", 3],
  ] as const)("set %s %p is refused with %i and changes nothing", (key, text, code) => {
    const s = newAmpState();
    const before = snapshot(s);
    expect(setKey(s, k(key), text)).toBe(code);
    expect(snapshot(s)).toBe(before);
  });

  test("any text either sets a key or changes nothing (property)", () => {
    const text = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("on", "off", "none", "hard", "bal44,xlr", "-0", "+5", "24.01", "-99.99"), fc.double().map(String));
    fc.assert(
      fc.property(fc.nat({ max: KEY_COUNT - 1 }), text, (i, value) => {
        const s = newAmpState();
        const before = snapshot(s);
        const r = setKey(s, i, value);
        if (r !== 0) expect(snapshot(s)).toBe(before);
        else expect(setKey(newAmpState(), i, getKey(s, i))).toBe(0);
      }),
      { numRuns: 3000, seed: 53 }
    );
  });

  test("whatever a unit leaves in a field (NaN, -Infinity, out of range), get gives a value set accepts", () => {
    const junk = fc.constantFrom(NaN, -Infinity, Infinity, -1000, 1000, 0.123456, -0, 7, "", "hp");
    fc.assert(
      fc.property(fc.nat({ max: KEY_COUNT - 1 }), junk, (i, v) => {
        const s = newAmpState() as unknown as Record<string, unknown>;
        for (const f of ["outVolDb", "capDb"]) (s[f] as unknown[]).fill(v);
        for (const f of ["gainDb", "step", "maxDb", "bootCapDb", "muteDb", "pwHash", "out"]) s[f] = v;
        (s.ab as unknown[])[1] = v;
        const text = getKey(s as never, i);
        expect(setKey(newAmpState(), i, text)).toBe(0);
      }),
      { numRuns: 1000, seed: 54 }
    );
  });

  test("keyRaw gives primitives, and the A/B pair as one number of both outputs", () => {
    const s = newAmpState();
    const a = keyRaw(s, k("ab"));
    s.ab[1] = "xlr";
    expect(keyRaw(s, k("ab"))).not.toBe(a);
    for (let i = 0; i < KEY_COUNT; i++) expect(typeof keyRaw(s, i)).not.toBe("object");
  });

  test("numbers are strict decimals", () => {
    expect(parseNumber("-30")).toBe(-30);
    expect(parseNumber("+2.5")).toBe(2.5);
    expect(parseNumber("4294967295")).toBe(4294967295);
    for (const bad of ["", "-", "1.", ".5", "1.234", "1e3", "0x1", " 1", "1 ", "--1", "Infinity", "NaN", "12345678901"]) expect(parseNumber(bad)).toBeNaN();
  });

});
