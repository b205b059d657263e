import { SimAmpHandle } from "../../hal/sim/amp";
import { amp, drive, PICO } from "./helpers";

/** Run until pred() or timeout; returns the time it became true (or -1). */
function runUntil(a: SimAmpHandle, pred: () => boolean, maxMs: number, stepMs = 1): number {
  const end = a.clock.nowMs() + maxMs;
  while (a.clock.nowMs() < end) {
    a.clock.advance(stepMs);
    if (pred()) return a.clock.nowMs();
  }
  return -1;
}

function fullTravelS(seed: number): { measured: number; unit: number } {
  const a = amp({ seed, startDeg: 0 });
  drive(a, PICO, 1);
  const t = runUntil(a, () => a.shaftDeg() >= a.unit.travelDeg, 20000, 5);
  return { measured: t / 1000, unit: a.unit.fullTravelS };
}

describe("motor + pot mechanics", () => {
  it("full travel at full drive takes 12 ± 3 s and follows the unit's spread", () => {
    const results = [1, 2, 3, 4, 5, 6, 7, 8].map(fullTravelS);
    for (const r of results) {
      expect(r.measured).toBeGreaterThanOrEqual(9);
      expect(r.measured).toBeLessThanOrEqual(15.1);
      expect(Math.abs(r.measured - r.unit)).toBeLessThan(0.1); // spin-up adds ~ spinUpMs
    }
    const times = results.map((r) => r.measured);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(1); // units differ
  });

  it("reverse drive runs down at the same speed", () => {
    const a = amp({ seed: 3, startDeg: 300 });
    drive(a, PICO, -1);
    const t = runUntil(a, () => a.shaftDeg() <= 0, 20000, 5);
    expect(Math.abs(t / 1000 - a.unit.fullTravelS)).toBeLessThan(0.1);
  });

  it("does not move inside the static-friction dead zone; speed is proportional above it", () => {
    const a = amp({ seed: 4, startDeg: 150 });
    drive(a, PICO, a.unit.deadZone - 0.01);
    a.clock.advance(2000);
    expect(a.shaftDeg()).toBe(150);
    expect(a.motorCurrentMa()).toBeGreaterThan(0); // a stalled rotor still draws current
    const vMax = a.unit.travelDeg / a.unit.fullTravelS;
    for (const d of [0.4, 0.7]) {
      drive(a, PICO, d);
      a.clock.advance(500);
      const expected = (vMax * (d - a.unit.deadZone)) / (1 - a.unit.deadZone);
      expect(a.shaftSpeed()).toBeCloseTo(expected, 3);
    }
  });

  it("spins up first-order within ~spinUpMs", () => {
    const a = amp({ seed: 5, startDeg: 100 });
    const vMax = a.unit.travelDeg / a.unit.fullTravelS;
    drive(a, PICO, 1);
    a.clock.advance(a.unit.spinUpMs);
    expect(a.shaftSpeed() / vMax).toBeCloseTo(1 - Math.exp(-1), 2);
    a.clock.advance(5 * a.unit.spinUpMs);
    expect(a.shaftSpeed() / vMax).toBeGreaterThan(0.99);
  });

  it("coasts a few tens of ms after the drive stops; the brake stops it sooner", () => {
    const coast = amp({ seed: 6, startDeg: 100 });
    const brake = amp({ seed: 6, startDeg: 100 });
    for (const a of [coast, brake]) {
      drive(a, PICO, 1);
      a.clock.advance(1000);
    }
    const from = coast.shaftDeg();
    drive(coast, PICO, 0);
    drive(brake, PICO, "brake");
    expect(coast.motorDrive()).toBe(0);
    expect(brake.motorDrive()).toBe("brake");
    coast.clock.advance(10);
    expect(coast.shaftDeg()).toBeGreaterThan(from); // still moving after the drive stopped
    expect(coast.shaftSpeed()).toBeGreaterThan(0);
    const tCoast = runUntil(coast, () => coast.shaftSpeed() === 0, 1000, 0.5);
    const tBrake = runUntil(brake, () => brake.shaftSpeed() === 0, 1000, 0.5);
    expect(tCoast - 1000).toBeGreaterThan(20);
    expect(tCoast - 1000).toBeLessThan(400);
    expect(tBrake).toBeLessThan(tCoast);
    expect(coast.shaftDeg() - from).toBeGreaterThan(brake.shaftDeg() - from);
  });

  it("slips the clutch at the end stops: stall current, never beyond the ends", () => {
    const a = amp({ seed: 7, startDeg: 295 });
    drive(a, PICO, 1);
    a.clock.advance(1000);
    expect(a.shaftDeg()).toBe(a.unit.travelDeg);
    a.clock.advance(2000);
    expect(a.shaftDeg()).toBe(a.unit.travelDeg);
    expect(a.shaftSpeed()).toBe(0);
    expect(a.motorCurrentMa()).toBeGreaterThanOrEqual(120);
    expect(a.motorCurrentMa()).toBeLessThanOrEqual(150);
    drive(a, PICO, -1);
    a.clock.advance(20000);
    expect(a.shaftDeg()).toBe(0);
    expect(a.motorCurrentMa()).toBeGreaterThanOrEqual(120);
  });

  it("draws <= 100 mA turning at full drive", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const a = amp({ seed, startDeg: 10 });
      drive(a, PICO, 1);
      a.clock.advance(1000);
      expect(a.motorCurrentMa()).toBeGreaterThan(50);
      expect(a.motorCurrentMa()).toBeLessThanOrEqual(100);
    }
  });

  it("a hand on the knob overpowers the motor (and the clutch slips)", () => {
    const a = amp({ seed: 8, startDeg: 200 });
    drive(a, PICO, 1);
    a.clock.advance(100);
    a.handTurn(50, 150);
    a.clock.advance(100);
    expect(a.shaftSpeed()).toBe(-150);
    expect(a.motorCurrentMa()).toBeGreaterThanOrEqual(120); // slipping
    a.clock.advance(1000);
    expect(a.shaftDeg()).toBeGreaterThan(50); // let go at 50, motor takes over again
    expect(a.shaftDeg()).toBeLessThan(80);
    expect(a.shaftSpeed()).toBeGreaterThan(0);
  });

  it("a hand turns a stalled motor's shaft too; a stall fault holds the shaft with stall current", () => {
    const a = amp({ seed: 9, startDeg: 100 });
    a.setMotorStalled(true);
    drive(a, PICO, 1);
    a.clock.advance(2000);
    expect(a.shaftDeg()).toBe(100);
    expect(a.motorCurrentMa()).toBeCloseTo(a.unit.motorStallMa, 6);
    a.handTurn(120, 100);
    a.clock.advance(500);
    expect(a.shaftDeg()).toBe(120);
  });

  it("reversed wiring turns the other way", () => {
    const a = amp({ seed: 10, startDeg: 100 });
    a.setMotorReversed(true);
    drive(a, PICO, 1);
    a.clock.advance(1000);
    expect(a.shaftDeg()).toBeLessThan(100);
    expect(a.motorDrive()).toBe(1); // the H-bridge still sees "louder"
  });
});
