import { dbToRatio, exp, ln, ratioToDb } from "../../firmware/fastMath";
import fc from "fast-check";

describe("fastMath: dB without the interpreter's approximate Math", () => {
  test("ln matches Math.log to 1e-12 relative over the whole positive range", () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-300, max: 1e300, noNaN: true }), (x) => {
        expect(Math.abs(ln(x) - Math.log(x))).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(Math.log(x))));
      }),
      { numRuns: 2000 }
    );
  });

  test("exp matches Math.exp to 1e-12 relative", () => {
    fc.assert(
      fc.property(fc.double({ min: -700, max: 700, noNaN: true }), (x) => {
        expect(Math.abs(exp(x) - Math.exp(x)) / Math.exp(x)).toBeLessThan(1e-12 * Math.max(1, Math.abs(x)));
      }),
      { numRuns: 2000 }
    );
  });

  test("edge cases are defined, not thrown", () => {
    expect(ln(0)).toBe(-Infinity);
    expect(ln(-1)).toBeNaN();
    expect(ln(NaN)).toBeNaN();
    expect(ln(Infinity)).toBe(Infinity);
    expect(exp(NaN)).toBeNaN();
    expect(exp(1000)).toBe(Infinity);
    expect(exp(-1000)).toBe(0);
  });

  test("dB round-trips and has the familiar anchors", () => {
    expect(ratioToDb(0.5)).toBeCloseTo(-6.0206, 4);
    expect(ratioToDb(0.1)).toBeCloseTo(-20, 10);
    expect(dbToRatio(-60)).toBeCloseTo(0.001, 12);
    for (let db = -100; db <= 0; db += 0.37) expect(ratioToDb(dbToRatio(db))).toBeCloseTo(db, 9);
  });
});
