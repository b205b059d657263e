import { TraceSample } from "../../hal/sim/types";
import { amp, drive, MDBT42Q, PICO } from "./helpers";
import { createSimAmp, drawUnit } from "../../hal/sim/amp";
import { createSimFlash } from "../../hal/sim/flash";

describe("pin bus", () => {
  it("throws naming an unknown pin, and on writing an input or analog-reading a digital pin", () => {
    const a = amp();
    expect(() => a.pins.digitalWrite("Z9", true)).toThrow(/"Z9"/);
    expect(() => a.pins.analogRead("Z9")).toThrow(/unknown pin "Z9"/);
    expect(() => a.pins.onEdge("Q1", () => undefined)).toThrow(/"Q1"/);
    expect(() => a.pins.digitalWrite(PICO.pins.encA, false)).toThrow(/encA/);
    expect(() => a.pins.analogRead(PICO.pins.ledRed)).toThrow(/ledRed/);
    expect(a.pins.has(PICO.pins.deck5)).toBe(true);
    expect(a.pins.has("D13")).toBe(false); // an mdbt42q pin
  });

  it("records writes to pins the sim does not model (LEDs)", () => {
    const a = amp({}, MDBT42Q);
    expect(a.pinLevel(MDBT42Q.pins.ledGreen)).toBe(false);
    a.pins.digitalWrite(MDBT42Q.pins.ledGreen, true);
    a.pins.pwm(MDBT42Q.pins.ledRed, 0.3, 100);
    expect(a.pinLevel(MDBT42Q.pins.ledGreen)).toBe(true);
    expect(a.pinDuty(MDBT42Q.pins.ledRed)).toBe(0.3);
    expect(a.pinLevel(MDBT42Q.pins.ledRed)).toBe(true);
  });

  it("starts safe: inputs idle high, everything else low, contacts open", () => {
    for (const board of [PICO, MDBT42Q]) {
      const a = createSimAmp(board, { seed: 9 });
      for (const p of ["encA", "encB", "encPush", "ir", "ocLeft", "ocRight", "acSense"] as const) {
        expect(a.pins.digitalRead(board.pins[p])).toBe(true);
      }
      expect(a.pinLevel(board.pins.muteRelay)).toBe(false);
      expect(a.outputConnected()).toBe(false);
      expect(a.outputsLive()).toEqual([]);
      expect(a.gainDb()).toBe(0);
      expect(a.motorDrive()).toBe(0);
    }
  });
});

describe("watchdog", () => {
  it("fires only when not kicked within the timeout", () => {
    const a = amp();
    let fired = 0;
    a.onWatchdog(() => fired++);
    a.watchdogStart(2);
    const kick = a.clock.every(100, () => a.watchdogKick());
    a.clock.advance(10000);
    expect(a.watchdogFired()).toBe(false);
    a.clock.cancel(kick);
    a.clock.advance(1999);
    expect(a.watchdogFired()).toBe(false);
    a.clock.advance(2);
    expect(a.watchdogFired()).toBe(true);
    expect(fired).toBe(1);
  });
});

describe("trace", () => {
  it("samples truth every N ms into one reused object", () => {
    const a = amp({ seed: 2, startDeg: 100 });
    const rows: TraceSample[] = [];
    let obj: TraceSample | undefined;
    const stop = a.trace(100, (s) => {
      obj = obj ?? s;
      expect(s).toBe(obj);
      rows.push({ ...s });
    });
    drive(a, PICO, 1);
    a.clock.advance(1000);
    stop();
    a.clock.advance(1000);
    expect(rows.length).toBe(11);
    expect(rows[0].timeMs).toBe(0);
    expect(rows[10].timeMs).toBe(1000);
    expect(rows[10].shaftDeg).toBeGreaterThan(rows[0].shaftDeg);
    expect(rows[10].drive).toBe(1);
    expect(rows[10].leftDb).toBeLessThan(0);
    expect(rows[10].motorMa).toBeGreaterThan(0);
  });
});

describe("determinism", () => {
  function run(seed: number): string {
    const a = createSimAmp(PICO, { seed });
    const out: number[] = [];
    a.trace(7, (s) => out.push(s.shaftDeg, s.leftDb, s.rightDb));
    drive(a, PICO, 0.6);
    a.turnKnob(3);
    a.irSend(1, 2, 1);
    a.clock.advance(300);
    a.handTurn(20, 200);
    a.clock.advance(700);
    drive(a, PICO, "brake");
    for (let i = 0; i < 50; i++) {
      a.clock.advance(3);
      for (const p of [PICO.pins.deck5, PICO.pins.deck6, PICO.pins.jackSense, PICO.pins.thermistor]) {
        out.push(a.pins.analogRead(p));
      }
    }
    return JSON.stringify({ unit: a.unit, out });
  }

  it("same seed -> identical unit, readings and trajectory; another seed differs", () => {
    expect(run(42)).toBe(run(42));
    expect(run(42)).not.toBe(run(43));
  });

  it("overriding one unit field leaves the others as drawn", () => {
    const base = drawUnit(PICO, 5);
    const over = drawUnit(PICO, 5, { fullTravelS: 12 });
    expect(over.fullTravelS).toBe(12);
    expect({ ...over, fullTravelS: base.fullTravelS }).toEqual(base);
  });

  it("keeps files across a simulated reboot when handed the flash", () => {
    const flash = createSimFlash();
    const a = createSimAmp(PICO, { flash });
    a.flash.write("cfg", "x");
    const b = createSimAmp(PICO, { flash });
    expect(b.flash.read("cfg")).toBe("x");
  });
});

describe("performance", () => {
  it("simulates an hour of a busy amp in well under a second", () => {
    const a = amp({ seed: 3 });
    let d = 1;
    a.clock.every(10, () => {
      a.pins.analogRead(PICO.pins.deck5);
      a.pins.analogRead(PICO.pins.deck6);
    });
    a.clock.every(5000, () => {
      d = -d;
      drive(a, PICO, d);
    });
    const t0 = Date.now();
    a.clock.advance(3600 * 1000);
    expect(Date.now() - t0).toBeLessThan(3000); // ~0.3 s on a laptop-class host
  });
});
