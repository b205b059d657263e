import { SimClock } from "../../hal/sim/clock";

describe("SimClock", () => {
  it("runs events in time order, equal times in scheduling order", () => {
    const c = new SimClock();
    const log: string[] = [];
    c.at(5, () => log.push("b"));
    c.at(2, () => log.push("a"));
    c.at(5, () => log.push("c"));
    c.at(5, () => log.push("d"));
    c.runUntil(10);
    expect(log).toEqual(["a", "b", "c", "d"]);
    expect(c.nowMs()).toBe(10);
  });

  it("cancels, runs events up to and including t, and reports now at the event", () => {
    const c = new SimClock();
    const seen: number[] = [];
    const id = c.at(3, () => seen.push(-1));
    c.at(4, () => seen.push(c.nowMs()));
    c.at(4.5, () => seen.push(c.nowMs()));
    c.cancel(id);
    c.runUntil(4);
    expect(seen).toEqual([4]);
    c.advance(1);
    expect(seen).toEqual([4, 4.5]);
    expect(c.pendingCount()).toBe(0);
  });

  it("clamps events in the past to now and refuses to run backwards or re-enter", () => {
    const c = new SimClock();
    c.advance(10);
    const seen: number[] = [];
    c.at(3, () => seen.push(c.nowMs()));
    c.advance(0);
    expect(seen).toEqual([10]);
    expect(() => c.runUntil(5)).toThrow();
    c.at(11, () => c.advance(1));
    expect(() => c.advance(5)).toThrow(/inside an event/);
  });

  it("every() is drift-free and cancellable from inside", () => {
    const c = new SimClock();
    const times: number[] = [];
    const id = c.every(10, () => {
      times.push(c.nowMs());
      if (times.length === 5) c.cancel(id);
    });
    c.advance(100);
    expect(times).toEqual([10, 20, 30, 40, 50]);
  });

  it("steps physics on a fixed grid, split exactly at events", () => {
    const c = new SimClock();
    const steps: [number, number][] = [];
    c.addStepper(0.5, (dt) => steps.push([c.nowMs(), dt]));
    let atEvent = -1;
    c.at(1.2, () => {
      atEvent = steps[steps.length - 1][0];
    });
    c.runUntil(2);
    expect(atEvent).toBe(1.2); // physics is current when the event fires
    expect(steps.map((s) => s[0])).toEqual([0.5, 1, 1.2, 1.5, 2]);
    expect(steps.map((s) => +s[1].toFixed(6))).toEqual([0.5, 0.5, 0.2, 0.3, 0.5]);
  });

  it("an event scheduled by a stepper fires at its time, not after the step target", () => {
    const c = new SimClock();
    let fired = -1;
    let scheduled = false;
    c.addStepper(0.5, () => {
      if (!scheduled && c.nowMs() >= 1) {
        scheduled = true;
        c.at(c.nowMs(), () => (fired = c.nowMs()));
      }
    });
    c.at(10, () => undefined);
    c.runUntil(20);
    expect(fired).toBe(1);
  });

  it("removes a stepper", () => {
    const c = new SimClock();
    let n = 0;
    const remove = c.addStepper(1, () => n++);
    c.advance(10);
    remove();
    c.advance(10);
    expect(n).toBe(10);
  });
});
