// The scheduler: fast ticks while anything moves, and at rest ticks that sleep until what is due
// next, never so long that the watchdog goes hungry.
import { startScheduler } from "../../firmware/scheduler";
import { Clock, Watchdog } from "../../hal/hal";

/** One interval, run by hand: retime's next call comes periodMs after the last one. */
function fakeClock() {
  const c = { now: 0, fn: null as null | (() => void), period: 0, last: 0, kicks: [] as number[] };
  const clock = {
    nowMs: () => c.now,
    every: (fn: () => void, ms: number) => ((c.fn = fn), (c.period = ms), (c.last = c.now), 1),
    retime: (_id: unknown, ms: number) => void (c.period = ms),
    after: () => 0,
    cancel: () => undefined,
  } as unknown as Clock;
  const watchdog = { start: () => undefined, kick: () => void c.kicks.push(c.now) } as unknown as Watchdog;
  /** Runs the interval until `until`, returning the times it fired. */
  function runTo(until: number): number[] {
    const at: number[] = [];
    while (c.last + c.period <= until) {
      c.now = c.last += c.period;
      at.push(c.now);
      c.fn!();
    }
    c.now = until;
    return at;
  }
  return { c, clock, watchdog, runTo };
}

describe("scheduler", () => {
  it("ticks at the fast period while the tick says busy, then at the rest period", () => {
    const f = fakeClock();
    let busyUntil = 100;
    startScheduler({ clock: f.clock, watchdog: f.watchdog, fastMs: 10, restMs: 100, watchdogS: 2, tick: (now) => (now < busyUntil ? 10 : 0) });
    expect(f.runTo(100)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(f.runTo(400)).toEqual([200, 300, 400]);
    busyUntil = 0;
  });

  it("a rest tick that asks to sleep is next called then, within the rest period and a quarter of the watchdog", () => {
    const f = fakeClock();
    // what the ticks find due next: 300 ms on; then far off; then already past
    const dueAfter = (now: number) => (now < 300 ? 310 : now < 1300 ? 5000 : 0);
    const s = startScheduler({ clock: f.clock, watchdog: f.watchdog, fastMs: 10, restMs: 100, watchdogS: 2, tick: (now) => {
      if (now >= 10) s.sleepUntil(dueAfter(now));
      return now < 10 ? 10 : 0;
    } });
    expect(f.runTo(10)).toEqual([10]);
    expect(f.runTo(400)).toEqual([310]); // asked for: 300 ms on
    expect(f.runTo(1400)).toEqual([810, 1310]); // far off: a quarter of the 2 s watchdog at most
    expect(f.runTo(1600)).toEqual([1410, 1510]); // due already: the rest period, no sooner
    expect(f.c.kicks).toEqual([10, 310, 810, 1310, 1410, 1510]); // the watchdog fed at every tick
  });

  it("wake() brings the fast period back at once", () => {
    const f = fakeClock();
    let busy = false;
    const s = startScheduler({ clock: f.clock, watchdog: f.watchdog, fastMs: 10, restMs: 100, watchdogS: 2, tick: (now) => {
      if (!busy) s.sleepUntil(now + 400);
      return busy ? 10 : 0;
    } });
    expect(f.runTo(420)).toEqual([10, 410]);
    busy = true;
    s.wake();
    const at = f.runTo(450);
    expect(at[0]).toBeLessThanOrEqual(430); // within a fast period of the wake, not 400 ms on
    expect(at.slice(1).map((t, i) => t - at[i])).toEqual(at.slice(1).map(() => 10));
  });
});

describe("scheduler on a slow interpreter", () => {
  /** A tick that takes tookMs of the clock and allows waits up to slackMs. */
  function slowTicks(tookMs: () => number, slackMs: () => number) {
    const f = fakeClock();
    const s = startScheduler({ clock: f.clock, watchdog: f.watchdog, fastMs: 10, restMs: 100, watchdogS: 2, tick: () => {
      f.c.now += tookMs();
      return slackMs();
    } });
    return { f, s };
  }

  it("a tick in motion that takes long waits five times its own length before the next, up to what it allows", () => {
    const { f, s } = slowTicks(() => 40, () => 500);
    f.runTo(10);
    expect(s.periodMs).toBe(200); // the control work stays near a fifth of the CPU
    const long = slowTicks(() => 40, () => 120);
    long.f.runTo(10);
    expect(long.s.periodMs).toBe(120);
  });

  it("never waits longer than a quarter of the watchdog's timeout, however long the tick and what it allows", () => {
    const { f, s } = slowTicks(() => 300, () => 5000);
    f.runTo(10);
    expect(s.periodMs).toBe(500);
  });

  it("a tick that wants the fast period gets it however long it takes, and so does one that costs nothing", () => {
    const precise = slowTicks(() => 40, () => 10);
    precise.f.runTo(10);
    expect(precise.s.periodMs).toBe(10);
    const host = slowTicks(() => 0, () => 500);
    expect(host.f.runTo(100)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  });

  it("keeps the period in force while the wait it would choose stays within 30 % of it", () => {
    let took = 40;
    const { f, s } = slowTicks(() => took, () => 500);
    f.runTo(10);
    expect(s.periodMs).toBe(200);
    took = 45; // (225 ms: kept)
    f.runTo(1000);
    expect(s.periodMs).toBe(200);
    took = 70; // (350 ms: changed)
    f.runTo(2000);
    expect(s.periodMs).toBe(350);
  });
});
