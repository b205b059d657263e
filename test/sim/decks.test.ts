import {
  ADC_MAX_CODE,
  adcSample,
  angleToAudioDb,
  angleToDeckRatio,
  deckDb,
  deckRatio,
  drawDeckDeviations,
  gangBandDb,
  MonitoringDeck,
  nominalDb,
  nominalRatio,
  nominalX,
} from "../../hal/sim/decks";
import { createRng } from "../../hal/sim/rng";
import { amp, PICO } from "./helpers";

describe("monitoring decks: taper", () => {
  it("is an audio (15A) log taper: bottom 20 % of travel within ~2 % of the ADC range", () => {
    expect(nominalRatio(0)).toBe(0);
    expect(nominalDb(0)).toBe(-Infinity);
    expect(nominalRatio(1)).toBeCloseTo(1, 12);
    expect(nominalRatio(0.2)).toBeCloseTo(0.02, 6);
    expect(nominalDb(0.1)).toBeGreaterThanOrEqual(-80);
    expect(nominalDb(0.1)).toBeLessThanOrEqual(-70);
    expect(nominalRatio(0.5)).toBeGreaterThan(0.1); // 15A: ~15 % at mid travel
    expect(nominalRatio(0.5)).toBeLessThan(0.2);
  });

  it("is strictly monotonic and continuous, and nominalX inverts it", () => {
    let prev = -1;
    for (let i = 1; i <= 1000; i++) {
      const x = i / 1000;
      const r = nominalRatio(x);
      expect(r).toBeGreaterThan(prev);
      if (prev >= 0) expect(r - prev).toBeLessThan(0.01);
      prev = r;
    }
    for (const x of [0.05, 0.15, 0.3, 0.6, 0.95]) expect(nominalX(nominalRatio(x))).toBeCloseTo(x, 9);
  });

  it("every unit's decks stay monotonic and inside [0, 1]", () => {
    const bad: string[] = [];
    for (let seed = 1; seed <= 50; seed++) {
      const { deck5Dev, deck6Dev } = drawDeckDeviations(createRng(seed).fork("decks"));
      for (const dev of [deck5Dev, deck6Dev]) {
        let prev = -Infinity;
        for (let i = 1; i <= 400; i++) {
          const db = deckDb(dev, i / 400);
          if (!(db > prev) || db > 1e-12) bad.push(`seed ${seed} x ${i / 400}: ${db} after ${prev}`);
          prev = db;
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it("keeps L/R gang error inside the ALPS band at many angles over many seeds", () => {
    let worst = 0;
    const bad: string[] = [];
    for (let seed = 1; seed <= 200; seed++) {
      const a = amp({ seed });
      for (let i = 1; i <= 300; i++) {
        const deg = (i / 300) * a.unit.travelDeg;
        const level = nominalDb(i / 300);
        if (level < -70) continue;
        const err = Math.abs(angleToAudioDb(a.unit, "left", deg) - angleToAudioDb(a.unit, "right", deg));
        if (err > gangBandDb(level)) bad.push(`seed ${seed} at ${deg} deg (${level} dB): ${err} dB`);
        worst = Math.max(worst, err);
      }
    }
    expect(bad).toEqual([]);
    expect(worst).toBeGreaterThan(0.5); // the decks do deviate
  });

  it("audio decks track their monitoring deck (truth functions agree)", () => {
    const a = amp({ seed: 3 });
    for (const deg of [20, 60, 150, 290]) {
      const r5 = angleToDeckRatio(a.unit, 5, deg);
      expect(20 * Math.log10(r5)).toBeCloseTo(angleToAudioDb(a.unit, "left", deg), 9);
      const r6 = angleToDeckRatio(a.unit, 6, deg);
      expect(20 * Math.log10(r6)).toBeCloseTo(angleToAudioDb(a.unit, "right", deg), 9);
    }
    expect(angleToAudioDb(a.unit, "left", a.unit.travelDeg)).toBe(0);
  });
});

describe("monitoring decks: ADC", () => {
  it("quantises to 12 bits with at most ±2 LSB noise", () => {
    const rng = createRng(1);
    const codes = new Set<number>();
    let worstQuant = 0;
    let worstErr = 0;
    for (let i = 0; i < 5000; i++) {
      const truth = (i % 97) / 97;
      const code = adcSample(truth, rng, 2) * ADC_MAX_CODE;
      worstQuant = Math.max(worstQuant, Math.abs(code - Math.round(code)));
      worstErr = Math.max(worstErr, Math.abs(code - truth * ADC_MAX_CODE));
      if (i % 97 === 40) codes.add(Math.round(code));
    }
    expect(worstQuant).toBeLessThan(1e-9);
    expect(worstErr).toBeLessThanOrEqual(2.5);
    expect(worstErr).toBeGreaterThan(1.5); // the ±2 LSB bound is reached
    expect(codes.size).toBeGreaterThan(2); // there is noise
    expect(adcSample(1.2, rng, 2)).toBe(1);
    expect(adcSample(-0.1, rng, 2)).toBe(0);
  });

  it("reads the deck through the pin bus within ±2.5 LSB of the truth when still", () => {
    const a = amp({ seed: 11, startDeg: 240 });
    const truth = a.deckRatio(5);
    let worst = 0;
    for (let i = 0; i < 500; i++) {
      worst = Math.max(worst, Math.abs(a.pins.analogRead(PICO.pins.deck5) - truth) * ADC_MAX_CODE);
    }
    expect(worst).toBeLessThanOrEqual(2.5);
  });

  it("faults: open reads a rail, shorted reads 0, dirty jumps", () => {
    const rng = createRng(5);
    const dev = drawDeckDeviations(rng).deck5Dev;
    const deck = new MonitoringDeck(dev, rng.fork("d"), 2);
    deck.setFault("open");
    const open = deck.read(0.5, false);
    expect(open === 0 || open === 1).toBe(true);
    expect(deck.read(0.9, true)).toBe(open);
    deck.setFault("shorted");
    expect(deck.read(0.9, false)).toBe(0);
    deck.setFault("dirty");
    const truth = deckRatio(dev, 0.8);
    const jumps = Array.from({ length: 200 }, () => deck.read(0.8, false)).filter((v) => Math.abs(v - truth) > 0.03);
    expect(jumps.length).toBeGreaterThan(10);
    expect(jumps.length).toBeLessThan(100);
    deck.setFault("none");
    expect(Math.abs(deck.read(0.8, false) - truth)).toBeLessThan(0.03);
  });
});
