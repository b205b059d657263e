// The device volume bench's oracle and scoring (tools/bench/deviceVolume.ts): the numbers the
// closing notes quote come from these two functions.
import { oracleS, scoreMove } from "../../tools/bench/deviceVolume";
import { MovedLine } from "../../tools/device/runDevice";

const unit = { name: "u", taperHalf: 0, fullTravelS: 12 };
const at = (x: number, db: number) => ({ x, db });

describe("device volume bench", () => {
  it("the oracle brakes at the distance at top speed, then waits for the brake's tail", () => {
    const o = oracleS(0.25, 12); // 3 s at 1/12 of travel per second
    expect(o.brakeS).toBeCloseTo(3, 9);
    // tail: 25 ms time constant from 1/12 per s down to 0.001 per s
    expect(o.totalS - o.brakeS).toBeCloseTo(0.025 * Math.log(1 / 12 / 0.001), 6);
    expect(oracleS(0, 12).totalS).toBe(0);
  });

  it("a move down that went 0.3 dB past its target and came back scores that overshoot and its final error", () => {
    const m: MovedLine = { db: -30, start: at(0.5, -20), goal: at(0.3, -30), hi: at(0.5, -20), lo: at(0.29, -30.3), end: at(0.301, -29.95), lastMoveMs: 2600, reversals: 1, still: true, ms: 0 };
    const s = scoreMove(unit, m);
    expect(s.overshootDb).toBeCloseTo(0.3, 9);
    expect(s.finalErrorDb).toBeCloseTo(0.05, 9);
    expect(s.timeRatio).toBeCloseTo(2.6 / oracleS(0.2, 12).totalS, 9);
    expect(s.reversals).toBe(1);
  });

  it("a move up that stopped short has no overshoot", () => {
    const m: MovedLine = { db: -10, start: at(0.3, -30), goal: at(0.6, -10), hi: at(0.59, -10.2), lo: at(0.3, -30), end: at(0.59, -10.2), lastMoveMs: 4000, reversals: 0, still: true, ms: 0 };
    const s = scoreMove(unit, m);
    expect(s.overshootDb).toBe(0);
    expect(s.finalErrorDb).toBeCloseTo(-0.2, 9);
  });
});
