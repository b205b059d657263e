import { DcSense, RelayDrive } from "../../boards/board";
import { SimAmpHandle } from "../../hal/sim/amp";
import { ADC_MAX_CODE } from "../../hal/sim/decks";
import { decodeJackLadder } from "../../hal/sim/sensors";
import { OUTPUT_NAMES } from "../../boards/board";
import { amp, MDBT42Q, PICO, recordEdges } from "./helpers";

const LSB = 1 / ADC_MAX_CODE;
const expectedDc = (legV: number) => (PICO.adc.vref / 2 + legV / PICO.adc.dcGain) / PICO.adc.vref;

/** Close the mute relay and one output relay (mdbt42q: direct relay pins). */
function connect(a: SimAmpHandle, output: number): void {
  const rd = MDBT42Q.relays as Extract<RelayDrive, { kind: "direct" }>;
  a.pins.digitalWrite(rd.pins[output], true);
  a.clock.advance(10);
  a.pins.digitalWrite(MDBT42Q.pins.muteRelay, true);
  a.clock.advance(10);
}

describe("DC offset sense", () => {
  it("direct pins: vref/2 + legV/dcGain, clamped", () => {
    const a = amp({ seed: 1 });
    const pins = (PICO.dcSense as Extract<DcSense, { kind: "direct" }>).pins;
    const legs = [0.1, -0.25, 0, 5];
    legs.forEach((v, i) => a.setLegDc(i as 0 | 1 | 2 | 3, v));
    legs.forEach((v, i) => {
      const want = Math.min(1, expectedDc(v));
      expect(Math.abs(a.pins.analogRead(pins[i]) - want)).toBeLessThanOrEqual(2.5 * LSB);
    });
  });

  it("mux: select lines s0 (LSB), s1 pick the leg; the reading settles after settleMs", () => {
    const a = amp({ seed: 2 }, MDBT42Q);
    const mux = MDBT42Q.dcSense as Extract<DcSense, { kind: "mux" }>;
    const legs = [0.4, -0.4, 1.0, -1.0];
    legs.forEach((v, i) => a.setLegDc(i as 0 | 1 | 2 | 3, v));
    a.clock.advance(1);
    for (let leg = 0; leg < 4; leg++) {
      a.pins.digitalWrite(mux.select[0], (leg & 1) === 1);
      a.pins.digitalWrite(mux.select[1], (leg & 2) === 2);
      a.clock.advance(mux.settleMs);
      expect(Math.abs(a.pins.analogRead(mux.adc) - expectedDc(legs[leg]))).toBeLessThanOrEqual(2.5 * LSB);
      a.clock.advance(1);
    }
    // read too early after switching 3 -> 0: still shows leg 3
    a.pins.digitalWrite(mux.select[0], false);
    a.pins.digitalWrite(mux.select[1], false);
    expect(Math.abs(a.pins.analogRead(mux.adc) - expectedDc(legs[3]))).toBeLessThanOrEqual(2.5 * LSB);
    a.clock.advance(mux.settleMs);
    expect(Math.abs(a.pins.analogRead(mux.adc) - expectedDc(legs[0]))).toBeLessThanOrEqual(2.5 * LSB);
    expect(() => a.pins.analogRead(mux.select[0])).toThrow(/mux s0/);
  });
});

describe("over-current comparators", () => {
  it("fire on a short only while the output is connected and live (active low)", () => {
    const a = amp({ seed: 3 }, MDBT42Q);
    const left = recordEdges(a, MDBT42Q.pins.ocLeft);
    const right = recordEdges(a, MDBT42Q.pins.ocRight);
    a.setShort("left", true);
    a.clock.advance(50);
    expect(left).toEqual([]);
    expect(a.pins.digitalRead(MDBT42Q.pins.ocLeft)).toBe(true);
    a.pins.digitalWrite(MDBT42Q.pins.muteRelay, true); // connected, but no output relay live
    a.clock.advance(10);
    expect(left).toEqual([]);
    a.pins.digitalWrite(MDBT42Q.pins.muteRelay, false);
    a.clock.advance(10);
    connect(a, 1);
    expect(left.length).toBeGreaterThanOrEqual(1);
    expect(left[0][1]).toBe(false);
    expect(a.pins.digitalRead(MDBT42Q.pins.ocLeft)).toBe(false);
    expect(right).toEqual([]);
    const tripAt = left[0][0];
    expect(a.outputConnected()).toBe(true);
    expect(tripAt).toBeLessThan(a.clock.nowMs());
    a.pins.digitalWrite(MDBT42Q.pins.muteRelay, false);
    a.clock.advance(10);
    expect(a.pins.digitalRead(MDBT42Q.pins.ocLeft)).toBe(true);
  });

  it("a single-ended TRS plug in a live TRRS jack trips both channels", () => {
    const a = amp({ seed: 4 }, MDBT42Q);
    a.plugSingleEndedIntoTrrs("bal35", true);
    expect(decodeJackLadder(a.pins.analogRead(MDBT42Q.pins.jackSense))).toBeGreaterThanOrEqual(0);
    connect(a, 0); // bal44 live: the TRS plug sits in bal35, nothing happens
    expect(a.overCurrent()).toEqual({ left: false, right: false });
    a.pins.digitalWrite(MDBT42Q.pins.muteRelay, false);
    a.clock.advance(10);
    a.pins.digitalWrite((MDBT42Q.relays as Extract<RelayDrive, { kind: "direct" }>).pins[0], false);
    connect(a, 1);
    expect(a.overCurrent()).toEqual({ left: true, right: true });
    expect(a.pins.digitalRead(MDBT42Q.pins.ocLeft)).toBe(false);
    expect(a.pins.digitalRead(MDBT42Q.pins.ocRight)).toBe(false);
    a.plug("bal35", false);
    expect(a.overCurrent()).toEqual({ left: false, right: false });
  });
});

describe("thermistor", () => {
  it("follows the heat sink with the unit's thermal time constant", () => {
    const a = amp({ seed: 5 });
    expect(a.unit.thermalTauS).toBeGreaterThanOrEqual(20);
    expect(a.unit.thermalTauS).toBeLessThanOrEqual(60);
    const ntc = PICO.adc.ntc;
    const reading = () => a.pins.analogRead(PICO.pins.thermistor);
    expect(Math.abs(reading() - ntc.r25 / (ntc.r25 + ntc.rSeries))).toBeLessThanOrEqual(2.5 * LSB); // 25 C
    a.setHeatsinkC(85);
    a.clock.advance(a.unit.thermalTauS * 1000);
    expect(a.thermistorC()).toBeCloseTo(85 - 60 * Math.exp(-1), 6);
    a.clock.advance(a.unit.thermalTauS * 4000);
    expect(a.thermistorC()).toBeGreaterThan(84);
    // beta model: at 85 C the NTC is ~1.1 k against 10 k: reading ~0.1
    const t = a.thermistorC() + 273.15;
    const r = ntc.r25 * Math.exp(ntc.beta * (1 / t - 1 / 298.15));
    expect(Math.abs(reading() - r / (r + ntc.rSeries))).toBeLessThanOrEqual(3 * LSB);
    expect(reading()).toBeLessThan(0.15); // hotter = lower reading
  });
});

describe("rails and AC sense", () => {
  it("AC loss: the AC pin drops first, the rail holds 50-100 ms, then sags", () => {
    const a = amp({ seed: 6 });
    const ac = recordEdges(a, PICO.pins.acSense);
    const rail = () => a.pins.analogRead(PICO.pins.railSense) * PICO.adc.vref * PICO.adc.railGain;
    expect(a.pins.digitalRead(PICO.pins.acSense)).toBe(true);
    expect(Math.abs(rail() - 30)).toBeLessThan(0.1);
    a.clock.advance(100);
    a.setAcPresent(false);
    a.clock.advance(45);
    expect(ac.length).toBe(1);
    expect(ac[0][1]).toBe(false);
    expect(ac[0][0] - 100).toBeCloseTo(a.unit.acDetectMs, 9);
    expect(ac[0][0] - 100).toBeLessThan(a.unit.railHoldMs);
    expect(a.railV()).toBe(30);
    a.clock.advance(a.unit.railHoldMs - 45 + 1);
    expect(a.railV()).toBeLessThan(30);
    a.clock.advance(150);
    expect(rail()).toBeLessThan(PICO.protection.railMinV);
    a.setAcPresent(true);
    a.clock.advance(300);
    expect(a.pins.digitalRead(PICO.pins.acSense)).toBe(true);
    expect(a.railV()).toBeGreaterThan(29.9);
  });

  it("setRailV moves the nominal rail", () => {
    const a = amp({ seed: 7, railV: 26 });
    expect(a.railV()).toBe(26);
    a.setRailV(20);
    expect(a.pins.analogRead(PICO.pins.railSense)).toBeCloseTo(20 / 11 / 3.3, 2);
  });
});

describe("jack ladder", () => {
  it("encodes all 16 switch combinations distinguishably: (1 + mask) / 17", () => {
    for (const seed of [1, 2, 3]) {
      const a = amp({ seed });
      for (let mask = 0; mask < 16; mask++) {
        OUTPUT_NAMES.forEach((o, i) => a.plug(o, ((mask >> i) & 1) === 1));
        a.clock.advance(5); // switch bounce over
        expect(a.jacksInserted()).toBe(mask);
        for (let k = 0; k < 20; k++) {
          const r = a.pins.analogRead(PICO.pins.jackSense);
          expect(Math.abs(r - (1 + mask) / 17)).toBeLessThan(0.3 / 17); // wide margin to the next code
          expect(decodeJackLadder(r)).toBe(mask);
        }
      }
    }
    expect(decodeJackLadder(0)).toBe(-1);
    expect(decodeJackLadder(1)).toBe(-1);
  });
});
