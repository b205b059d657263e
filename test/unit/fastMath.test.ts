import { dbToRatio, ratioToDb } from "../../firmware/fastMath";

// The functions are thin names over Math.exp/Math.log (exact on the interpreter: pinned in
// test/device/interpreterQuirks.test.ts); what is worth pinning here is the dB convention.
describe("fastMath: amplitude ratios and dB", () => {
  test("dB round-trips and has the familiar anchors", () => {
    expect(ratioToDb(0.5)).toBeCloseTo(-6.0206, 4);
    expect(ratioToDb(0.1)).toBeCloseTo(-20, 10);
    expect(ratioToDb(1)).toBe(0);
    expect(dbToRatio(-60)).toBeCloseTo(0.001, 12);
    for (let db = -100; db <= 0; db += 0.37) expect(ratioToDb(dbToRatio(db))).toBeCloseTo(db, 9);
  });

  test("no signal is minus infinity dB, a negative ratio is not a level", () => {
    expect(ratioToDb(0)).toBe(-Infinity);
    expect(ratioToDb(-1)).toBeNaN();
  });
});
