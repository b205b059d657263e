// The per-deck tables: nominal taper until calibrated, the unit's own curves after; lookups in
// both directions; records that are not a calibration of this pot are refused.
import { BOARDS } from "../../../boards/index";
import { drawUnit } from "../../../hal/sim/amp";
import { deckDb, deckRatio, deviationDb, nominalDb } from "../../../hal/sim/decks";
import { CalRecord, DEV_KNOTS, recordFault, startTables, validRecord } from "../../../firmware/volume/position";
import { twoSegmentRatio } from "../../helpers/tapers";

/** The record a perfect calibration of this sim unit would produce. */
function trueRecord(seed: number): { rec: CalRecord; dev5: number[]; dev6: number[] } {
  const u = drawUnit(BOARDS.pico, seed);
  const rec: CalRecord = { v: 1, deck5: [], deck6: [] };
  for (let i = 0; i < DEV_KNOTS; i++) {
    rec.deck5.push(deviationDb(u.deck5Dev, i / (DEV_KNOTS - 1)));
    rec.deck6.push(deviationDb(u.deck6Dev, i / (DEV_KNOTS - 1)));
  }
  return { rec, dev5: u.deck5Dev, dev6: u.deck6Dev };
}

const dbOf = (r: number) => 20 * Math.log10(r);

describe("position tables", () => {
  it("start on the nominal 15A taper: the level at each position is the catalogue curve's", () => {
    const t = startTables();
    expect(t.cal).toBe(false);
    for (const x of [0.15, 0.2, 0.3, 0.5, 0.8, 0.95]) {
      expect(t.dbAt(2, x)).toBeCloseTo(nominalDb(x), 1);
      expect(dbOf(t.ratioAt(0, x))).toBeCloseTo(nominalDb(x), 1);
    }
    expect(t.dbAt(2, 1)).toBeCloseTo(0, 6);
  });

  it("with a unit's calibration, ratio and dB follow that unit's decks to a few hundredths of a dB", () => {
    for (const seed of [3, 11, 42]) {
      const { rec, dev5, dev6 } = trueRecord(seed);
      const t = startTables();
      expect(t.load(rec)).toBe(true);
      // (the sim draws deviations linear in travel, the tables interpolate them along the
      // nominal level: where the toe bends, below -30 dB, the two differ by up to ~0.06 dB)
      let worst = 0;
      let worstToe = 0;
      for (let x = 0.105; x <= 1; x += 0.0013) {
        let e = Math.max(Math.abs(dbOf(t.ratioAt(0, x)) - dbOf(deckRatio(dev5, x))), Math.abs(dbOf(t.ratioAt(1, x)) - dbOf(deckRatio(dev6, x))));
        e = Math.max(e, Math.abs(t.dbAt(0, x) - deckDb(dev5, x)), Math.abs(t.dbAt(1, x) - deckDb(dev6, x)));
        if (x < 0.25) worstToe = Math.max(worstToe, e);
        else worst = Math.max(worst, e);
      }
      expect(worst).toBeLessThan(0.05);
      expect(worstToe).toBeLessThan(0.1);
    }
  });

  it("the slope of the last lookup is the local derivative", () => {
    const t = startTables();
    t.load(trueRecord(5).rec);
    for (const x of [0.13, 0.31, 0.71]) { // inside spans (at a knot the two sides differ)
      const h = 1e-4;
      const r = t.ratioAt(0, x);
      const s = t.lastSlope;
      expect(Math.abs((t.ratioAt(0, x + h) - r) / h / s - 1)).toBeLessThan(0.01);
    }
  });

  it("inverts: the position of a ratio and of a mean level come back to the same place", () => {
    const t = startTables();
    t.load(trueRecord(7).rec);
    for (const x of [0.12, 0.17, 0.25, 0.5, 0.9]) {
      expect(t.travelAt(0, t.ratioAt(0, x))).toBeCloseTo(x, 3);
      expect(t.travelAt(1, t.ratioAt(1, x))).toBeCloseTo(x, 3);
      expect(t.travelAt(2, t.dbAt(2, x))).toBeCloseTo(x, 4);
    }
    // whatever span the last lookup left behind (here the top one), an inverse finds its own
    for (const x of [0.2, 0.55, 0.13]) {
      t.dbAt(2, 1);
      expect(t.travelAt(2, t.dbAt(2, x))).toBeCloseTo(x, 4);
      t.ratioAt(1, 1);
      expect(t.travelAt(1, t.ratioAt(1, x))).toBeCloseTo(x, 3);
    }
    expect(t.travelAt(0, 0)).toBe(0);
    expect(t.travelAt(0, 1)).toBe(1);
    expect(t.travelAt(2, 0)).toBe(1);
  });

  it("is monotonic over the whole travel (the controller relies on it)", () => {
    const t = startTables();
    t.load(trueRecord(9).rec);
    let last = -Infinity;
    for (let x = 0; x <= 1; x += 0.0007) {
      const l = t.dbAt(2, x);
      expect(l).toBeGreaterThanOrEqual(last);
      last = l;
    }
  });

  it("refuses records that are not this pot's calibration and keeps the nominal taper", () => {
    const good = trueRecord(1).rec;
    const bad: unknown[] = [
      null,
      { ...good, v: 2 },
      { ...good, deck5: good.deck5.slice(1) },
      { ...good, deck6: good.deck6.map((d, i) => (i === 4 ? 12 : d)) },
      { ...good, deck5: good.deck5.map((d, i) => (i === 2 ? NaN : d)) },
      { v: 1, deck5: good.deck5 },
    ];
    for (const b of bad) {
      expect(validRecord(b as CalRecord)).toBe(false);
      const t = startTables();
      expect(t.load(b as CalRecord)).toBe(false);
      expect(t.cal).toBe(false);
      expect(t.dbAt(2, 0.5)).toBeCloseTo(nominalDb(0.5), 1);
    }
    expect(validRecord(good)).toBe(true);
  });

  describe("the pots a record may describe (the 15A definition, ±20 % at half travel)", () => {
    // (the straight two-segment 15A line: far louder than the nominal curve at the bottom, +46 dB at the knee)
    const recordOf = (half: number): CalRecord => {
      const dev = Array.from({ length: DEV_KNOTS }, (_, i) => {
        const x = Math.max(i / (DEV_KNOTS - 1), 0.1);
        return i === DEV_KNOTS - 1 ? 0 : Math.round((dbOf(twoSegmentRatio(x, half)) - nominalDb(x)) * 100) / 100;
      });
      return { v: 1, deck5: dev, deck6: dev.slice() };
    };

    it("accepts the loudest (18 % at half) and the quietest (nominal, 8 dB down) and refuses beyond", () => {
      expect(recordFault(recordOf(0.18))).toBe(0);
      expect(recordFault({ v: 1, deck5: Array(DEV_KNOTS).fill(-8), deck6: Array(DEV_KNOTS).fill(-8) })).toBe(0);
      expect(recordFault(recordOf(0.3))).toBe(2); // 30 % at half travel: not a 15A pot
      expect(recordFault({ v: 1, deck5: Array(DEV_KNOTS).fill(-9), deck6: Array(DEV_KNOTS).fill(0) })).toBe(2);
    });

    it("names a taper that does not rise from knot to knot a bad taper, a number that is not one a bad record", () => {
      const r = recordOf(0.15);
      r.deck6[8] = r.deck6[9] + nominalDb(0.45) - nominalDb(0.4) + 0.5; // knot 8 louder than knot 9
      expect(recordFault(r)).toBe(2);
      const n = recordOf(0.15);
      n.deck5[3] = NaN;
      expect(recordFault(n)).toBe(1);
    });

    it("between knots, follow a pot far off the nominal curve to a few tenths of a dB (not ~3 dB in the toe)", () => {
      const half = 0.15;
      const t = startTables();
      expect(t.load(recordOf(half))).toBe(true);
      let worst = 0;
      for (let x = 0.1; x <= 1; x += 0.005) worst = Math.max(worst, Math.abs(t.dbAt(0, x) - dbOf(twoSegmentRatio(x, half))));
      expect(worst).toBeLessThan(0.4);
    });
  });
});
