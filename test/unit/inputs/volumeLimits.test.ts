// Volume limits (firmware/volume/volumeLimits.ts): floor, ceiling from the user's maximum, the
// output's cap and the thermal derate in listener level, start-up cap, mute-to-level, steps that
// never go the wrong way.
import fc from "fast-check";
import { OUTPUT_NAMES, OutputName } from "../../../boards/board";
import PICO from "../../../boards/pico";
import { AmpState, newAmpState, VOLUME_NO_LIMIT_DB } from "../../../firmware/ampState";
import {
  clampPotDb,
  isStepDb,
  limitTargetDb,
  listenerCapDb,
  muteLevelTargetDb,
  potCeilingDb,
  startTargetDb,
  stepSizeDb,
  stepTargetDb,
} from "../../../firmware/volume/volumeLimits";

const B = PICO;

/** A state with no output caps unless the test sets them. */
function st(over: Partial<AmpState> = {}): AmpState {
  return Object.assign(newAmpState(), { capDb: [30, 30, 30, 30] }, over);
}

/** What the listener hears for a pot level on the state's output and gain. */
function heard(s: AmpState, potDb: number): number {
  return potDb + s.gainDb + B.outputs.offsetDb[s.out];
}

describe("volume limits: pieces", () => {
  test("step sizes: 0.5, 1, 2 dB; anything else falls back to the board's default", () => {
    expect([0.5, 1, 2].map(isStepDb)).toEqual([true, true, true]);
    expect([0, 0.25, 3, NaN, -1].map(isStepDb)).toEqual([false, false, false, false, false]);
    expect(stepSizeDb(st({ step: 2 }), PICO)).toBe(2);
    expect(stepSizeDb(st({ step: 0 }), PICO)).toBe(PICO.volume.stepDb);
    expect(stepSizeDb(st({ step: 7 }), PICO)).toBe(PICO.volume.stepDb);
  });

  test("pot ceiling: the listener cap less gain and offset, never above the pot's top", () => {
    expect(potCeilingDb(-20, 0, 6)).toBe(-26);
    expect(potCeilingDb(-20, 18, 6)).toBe(-44);
    expect(potCeilingDb(10, 0, 0)).toBe(0);
  });

  test("clamp: the floor wins when the ceiling is below it; NaN is left for the caller to refuse", () => {
    expect(clampPotDb(-100, -80, -10)).toBe(-80);
    expect(clampPotDb(5, -80, -10)).toBe(-10);
    expect(clampPotDb(-Infinity, -80, 0)).toBe(-80);
    expect(clampPotDb(-30, -80, -90)).toBe(-80);
    expect(clampPotDb(NaN, -80, 0)).toBeNaN();
  });

  test("the listener cap is the lowest of the user's maximum, the output's cap and the thermal derate", () => {
    const caps = [0, -20, -5, -3];
    for (const output of OUTPUT_NAMES) {
      expect(listenerCapDb(st({ out: output, capDb: caps }))).toBe(caps[OUTPUT_NAMES.indexOf(output)]);
    }
    expect(listenerCapDb(st({ out: "bal44", capDb: caps, maxDb: -12 }))).toBe(-12);
    expect(listenerCapDb(st({ out: "bal44", capDb: caps, maxDb: VOLUME_NO_LIMIT_DB }))).toBe(0);
    expect(listenerCapDb(st({ out: "bal44", maxDb: -12, derateCapDb: -18 }))).toBe(-18);
  });
});

describe("volume limits: targets", () => {
  test("an absolute request above the maximum stops at the maximum as the listener hears it, on every output", () => {
    for (const output of OUTPUT_NAMES) {
      for (const gainDb of [0, 9, 18]) {
        const s = st({ out: output, gainDb, maxDb: -10 });
        const t = limitTargetDb(s, B, 0);
        expect(heard(s, t)).toBeCloseTo(-10, 9);
      }
    }
  });

  test("the output's own cap applies (the 3.5 mm jack also serves in-ear monitors)", () => {
    const s = st({ out: "bal35", capDb: [0, -20, 0, 0] });
    expect(heard(s, limitTargetDb(s, B, 0))).toBeCloseTo(-20, 9);
    s.out = "bal44";
    expect(limitTargetDb(s, B, 0)).toBe(-B.outputs.offsetDb.bal44);
  });

  test("a thermal derate caps a request like any other limit", () => {
    const s = st({ out: "se63", derateCapDb: -33 });
    expect(heard(s, limitTargetDb(s, B, -10))).toBeCloseTo(-33, 9);
    expect(limitTargetDb(s, B, -50)).toBe(-50);
  });

  test("below the floor the target is the floor", () => {
    expect(limitTargetDb(st(), PICO, -200)).toBe(PICO.volume.minDb);
  });

  test("steps: a step up at the maximum (or above it, turned up by hand) goes nowhere, never down", () => {
    const s = st({ out: "se63", maxDb: -20, targetDb: -20 });
    expect(stepTargetDb(s, B, 1)).toBe(-20);
    s.targetDb = -12; // hand turned above the limit
    expect(stepTargetDb(s, B, 1)).toBe(-12);
  });

  test("steps: a step down from above the maximum lands at the maximum (the limit holds once used)", () => {
    expect(stepTargetDb(st({ out: "se63", maxDb: -20, targetDb: -12 }), B, -1)).toBe(-20);
    expect(stepTargetDb(st({ out: "se63", maxDb: -20, targetDb: -19 }), B, -1)).toBe(-20);
    expect(stepTargetDb(st({ out: "se63", maxDb: -20, targetDb: -30 }), B, -2)).toBe(-32);
  });

  test("steps from the end stop (-Infinity) or an unknown target start at the floor", () => {
    expect(stepTargetDb(st({ targetDb: -Infinity }), PICO, 1)).toBe(PICO.volume.minDb + 1);
    expect(stepTargetDb(st({ targetDb: NaN }), PICO, 0.5)).toBe(PICO.volume.minDb + 0.5);
  });

  test("property: a step never moves against its sign and always lands within [floor, max(ceiling, start)]", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -120, max: 0, noNaN: true }),
        fc.double({ min: -10, max: 10, noNaN: true }),
        fc.double({ min: -90, max: 30, noNaN: true }),
        fc.constantFrom<OutputName>(...OUTPUT_NAMES),
        fc.constantFrom(0, 9, 18),
        (target, delta, maxDb, output, gainDb) => {
          const s = st({ targetDb: target, maxDb: maxDb, out: output, gainDb });
          const r = stepTargetDb(s, B, delta);
          const base = Math.max(target, PICO.volume.minDb);
          if (delta > 0) expect(r).toBeGreaterThanOrEqual(base);
          if (delta < 0) expect(r).toBeLessThanOrEqual(base);
          expect(r).toBeGreaterThanOrEqual(PICO.volume.minDb);
          const ceiling = limitTargetDb(s, B, 0);
          expect(r).toBeLessThanOrEqual(Math.max(ceiling, base));
          if (r > base) expect(r).toBeLessThanOrEqual(ceiling + 1e-9);
        },
      ),
    );
  });
});

describe("volume limits: power-on and mute-to-level", () => {
  test("start-up: the remembered level when below the start cap, the start cap when above", () => {
    const s = st({ out: "se63", bootCapDb: -30 });
    expect(startTargetDb(s, B, -45)).toBe(-45);
    expect(heard(s, startTargetDb(s, B, -5))).toBeCloseTo(-30, 9);
    s.gainDb = 9;
    expect(heard(s, startTargetDb(s, B, -5))).toBeCloseTo(-30, 9);
  });

  test("start-up: a lower maximum or output cap wins over the start cap; nothing remembered starts at the floor", () => {
    const s = st({ out: "se63", bootCapDb: -30, maxDb: -40 });
    expect(heard(s, startTargetDb(s, B, -5))).toBeCloseTo(-40, 9);
    expect(startTargetDb(s, B, NaN)).toBe(B.volume.minDb);
  });

  test("the start cap is a listener level: balanced starts 6 dB lower on the pot than single-ended", () => {
    const se = startTargetDb(st({ out: "se63", bootCapDb: -25 }), B, 0);
    const bal = startTargetDb(st({ out: "bal44", bootCapDb: -25 }), B, 0);
    expect(se - bal).toBeCloseTo(B.outputs.offsetDb.bal44 - B.outputs.offsetDb.se63, 9);
  });

  test("mute-to-level: the listener level set, never louder than now; NaN in hard-mute mode", () => {
    const s = st({ out: "bal44", targetDb: -20, muteDb: -40 });
    expect(heard(s, muteLevelTargetDb(s, B))).toBeCloseTo(-40, 9);
    s.targetDb = -60;
    expect(muteLevelTargetDb(s, B)).toBe(-60);
    expect(muteLevelTargetDb(st({ muteDb: NaN }), B)).toBeNaN();
  });
});
