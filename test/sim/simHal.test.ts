import { createSimHal } from "../../hal/sim/simHal";
import { amp, PICO } from "./helpers";

describe("simHal", () => {
  it("timers run on the virtual clock; every() is drift-free", () => {
    const hal = createSimHal(amp());
    const log: number[] = [];
    const id = hal.every(() => log.push(hal.nowMs()), 10);
    hal.after(() => log.push(-hal.nowMs()), 25);
    hal.amp.clock.advance(40);
    hal.cancel(id);
    hal.amp.clock.advance(40);
    expect(log).toEqual([10, 20, -25, 30, 40]);
  });

  it("pins by name; unknown names throw", () => {
    const hal = createSimHal(amp({ startDeg: 200 }));
    const deck = hal.pin(PICO.pins.deck5);
    expect(deck).toBe(PICO.pins.deck5);
    expect(hal.analog(deck)).toBeGreaterThan(0.05);
    expect(() => hal.pin("NOPE")).toThrow(/NOPE/);
    const led = hal.pin(PICO.pins.ledGreen);
    hal.write(led, true);
    expect(hal.amp.pinLevel(PICO.pins.ledGreen)).toBe(true);
    hal.pwm(hal.pin(PICO.pins.motorA), 1, 2000);
    expect(hal.amp.motorDrive()).toBe(1);
    hal.inputPullUp(hal.pin(PICO.pins.encA));
    expect(hal.pullUps.has(PICO.pins.encA)).toBe(true);
  });

  it("watch: edge filter, and debounce reports a level once it has been stable", () => {
    const a = amp({ seed: 1, contactBounceMs: 3 });
    const hal = createSimHal(a);
    const push = hal.pin(PICO.pins.encPush);
    const raw: [boolean, number][] = [];
    const falling: [boolean, number][] = [];
    const debounced: [boolean, number][] = [];
    hal.watch(push, "both", (h, t) => raw.push([h, t]), 0);
    hal.watch(push, "falling", (h, t) => falling.push([h, t]), 0);
    const id = hal.watch(push, "both", (h, t) => debounced.push([h, t]), 5);
    a.pressKnob(100);
    a.clock.advance(200);
    expect(raw.length).toBe(10); // 2 edges + 2 bounces of 2 glitches each
    expect(falling.every(([h]) => h === false)).toBe(true);
    expect(debounced.map(([h]) => h)).toEqual([false, true]);
    expect(debounced[0][1]).toBeLessThan(3); // time of the last bounce edge
    hal.unwatch(id);
    a.pressKnob(100);
    a.clock.advance(200);
    expect(debounced.length).toBe(2);
  });

  it("storage over the amp's flash; watchdog over the amp's", () => {
    const hal = createSimHal(amp());
    expect(hal.storage.write("s", "abc")).toBe(true);
    expect(hal.storage.read("s")).toBe("abc");
    hal.storage.erase("s");
    expect(hal.storage.read("s")).toBeUndefined();
    hal.watchdog.start(1);
    hal.amp.clock.advance(500);
    hal.watchdog.kick();
    hal.amp.clock.advance(900);
    expect(hal.amp.watchdogFired()).toBe(false);
    hal.amp.clock.advance(200);
    expect(hal.amp.watchdogFired()).toBe(true);
  });

  it("console: captures writes, injects data at the current virtual time", () => {
    const hal = createSimHal(amp());
    const got: string[] = [];
    hal.console.onData((c) => got.push(`${c}@${hal.nowMs()}`));
    hal.console.write("hello ");
    hal.console.write("world\n");
    hal.console.detachRepl();
    expect(hal.simConsole.text()).toBe("hello world\n");
    expect(hal.simConsole.replDetached()).toBe(true);
    hal.amp.clock.advance(5);
    hal.simConsole.inject("vol 10\r");
    expect(got).toEqual([]);
    hal.amp.clock.advance(0);
    expect(got).toEqual(["vol 10\r@5"]);
  });
});
