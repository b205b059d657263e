// The outputs unit with a fake relay bank and a fake pot (moves towards its target at a fixed
// rate, reporting actualDb/moving as the real volume unit does), driven like main.ts drives it.
import { OUTPUT_NAMES, OutputName } from "../../../boards/board";
import PICO from "../../../boards/pico";
import { newAmpState } from "../../../firmware/ampState";
import { MUTE_NO_OUTPUT, MUTE_SWITCHING } from "../../../firmware/muteReasons";
import { startOutputs } from "../../../firmware/outputs/outputUnit";
import { Readings } from "../../../firmware/sensors";

const BOARD = PICO;
const OFF = BOARD.outputs.offsetDb;
const bit = (o: OutputName) => 1 << OUTPUT_NAMES.indexOf(o);

function rig(opts: { potDbPerTick?: number; start?: Partial<ReturnType<typeof newAmpState>>; jacks?: number; potRefuses?: () => boolean } = {}) {
  const state = Object.assign(newAmpState(), { targetDb: -40, actualDb: -40 }, opts.start || {});
  const applied: number[] = [];
  let relayWord = 0;
  const relays = {
    drive: (b: number) => {
      if (b !== relayWord) applied.push(b);
      relayWord = b;
    },
    bits: () => relayWord,
  };
  const removed: number[] = [];
  const rate = opts.potDbPerTick ?? 1;
  const outputs = startOutputs(
    BOARD,
    state,
    relays,
    (db) => {
      if (opts.potRefuses && opts.potRefuses()) return 5; // the volume unit's ERR_FAULT
      state.targetDb = db;
      return 0;
    },
    (i) => removed.push(i)
  );
  const r: Readings = { nowMs: 0, deck5: 0, deck6: 0, legV: [0, 0, 0, 0], railV: 30, acPresent: true, heatC: 25, jacks: opts.jacks ?? 0 };
  /** Listener level heard through the live relay (NaN when muted or no single output live). */
  const heard = () => {
    const outs = relayWord & 15;
    if (!state.relayClosed || !outs || outs & (outs - 1)) return NaN;
    const name = OUTPUT_NAMES[Math.log2(outs)];
    const gain = (relayWord & 16 ? 9 : 0) + (relayWord & 32 ? 18 : 0);
    return state.actualDb + gain + OFF[name];
  };
  const heardLog: number[] = [];
  function tick() {
    r.nowMs += 10;
    state.nowMs = r.nowMs;
    // pot model
    const d = state.targetDb - state.actualDb;
    state.moving = Math.abs(d) > 1e-9;
    state.actualDb += Math.abs(d) <= rate ? d : Math.sign(d) * rate;
    outputs.tick(r);
    const reasons = outputs.muteReasons();
    const safe = reasons === 0;
    if (safe !== state.relayClosed) {
      state.relayClosed = safe;
      if (!safe) state.mutedAtMs = r.nowMs;
    }
    heardLog.push(heard());
  }
  return {
    state,
    outputs,
    applied,
    removed,
    r,
    heardLog,
    heard,
    run(ms: number) {
      for (let i = 0; i < ms / 10; i++) tick();
    },
    word: () => relayWord,
  };
}

describe("outputs unit", () => {
  test("boot: the remembered output's relay closes muted; the mute lifts after the settle time", () => {
    const t = rig({ start: { out: "se63" } });
    t.run(10);
    expect(t.word()).toBe(bit("se63"));
    expect(t.outputs.muteReasons()).toBe(MUTE_SWITCHING);
    t.run(BOARD.relayTiming.settleMs + 20);
    expect(t.outputs.muteReasons()).toBe(0);
    expect(t.outputs.live()).toBe(OUTPUT_NAMES.indexOf("se63"));
  });

  test("single-ended to balanced: the pot goes down by the 6 dB offset, muted until it has", () => {
    const t = rig({ start: { out: "se63", outVolDb: [0, 0, 0, 0] } });
    t.run(300);
    const before = t.heard();
    expect(t.outputs.selectOutput("bal44")).toBe(0);
    expect(t.state.targetDb).toBeCloseTo(-40 - OFF.bal44 + OFF.se63, 9);
    t.run(500);
    expect(t.word()).toBe(bit("bal44"));
    expect(t.heard()).toBeCloseTo(before, 9);
    expect(Math.max(...t.heardLog.filter((x) => x === x))).toBeLessThanOrEqual(before + 1e-9);
  });

  test("the new output starts at its memory when that is quieter", () => {
    const t = rig({ start: { out: "bal44", outVolDb: [-40, -40, -40, -57] } });
    t.run(300);
    t.outputs.selectOutput("se63");
    expect(t.state.targetDb).toBe(-57);
    t.run(300);
    // ...and the output it left remembers where it was
    t.outputs.selectOutput("bal44");
    expect(t.state.targetDb).toBe(-40 + OFF.se63 - OFF.bal44 - 17); // min(memory -40, -57 + 0 - 6)
    expect(t.state.outVolDb[OUTPUT_NAMES.indexOf("se63")]).toBe(-57);
  });

  test("the per-output cap holds on a switch: 3.5 mm TRRS (in-ear monitors) at most its cap", () => {
    const t = rig({ start: { out: "se63", targetDb: -5, actualDb: -5, outVolDb: [0, 0, 0, 0] } });
    t.run(300);
    t.outputs.selectOutput("bal35");
    expect(t.state.targetDb + OFF.bal35 + t.state.gainDb).toBeLessThanOrEqual(BOARD.outputs.capDb.bal35);
  });

  test("level-matched A/B: same loudness on both, mute lifts only once the pot has arrived", () => {
    const t = rig({ start: { out: "bal44", targetDb: -30, actualDb: -30 }, potDbPerTick: 0.2 });
    t.run(300);
    const level = t.heard();
    expect(t.outputs.toggleAB()).toBe(0);
    expect(t.state.out).toBe("se63");
    expect(t.state.targetDb).toBeCloseTo(-30 + OFF.bal44 - OFF.se63, 9);
    t.run(150); // relays have settled, the pot (1 dB per 50 ms) has not arrived
    expect(t.word()).toBe(bit("se63"));
    expect(t.state.moving).toBe(true);
    expect(t.outputs.muteReasons()).toBe(MUTE_SWITCHING);
    t.run(300);
    expect(t.outputs.muteReasons()).toBe(0);
    expect(t.heard()).toBeCloseTo(level, 9);
    // many swaps do not drift
    for (let i = 0; i < 20; i++) {
      t.outputs.toggleAB();
      t.run(500);
      expect(t.heard()).toBeCloseTo(level, 9);
    }
    expect(t.state.out).toBe("se63");
  });

  test("A/B from an output outside the pair goes to the first of the pair", () => {
    const t = rig({ start: { out: "xlr" } });
    t.run(300);
    t.outputs.toggleAB();
    expect(t.state.out).toBe("bal44");
    t.state.ab = ["bal44", "bal44"];
    expect(t.outputs.toggleAB()).toBe(3);
  });

  test("gain: the relay changes muted and the pot compensates so the level heard stays", () => {
    const t = rig({ start: { out: "bal44" } });
    t.run(300);
    const level = t.heard();
    expect(t.outputs.setGainDb(9)).toBe(0);
    expect(t.state.targetDb).toBe(-49);
    t.run(400);
    expect(t.word()).toBe(bit("bal44") | 16);
    expect(t.heard()).toBeCloseTo(level, 9);
    expect(t.outputs.setGainDb(18)).toBe(0);
    t.run(400);
    expect(t.word()).toBe(bit("bal44") | 32);
    expect(t.heard()).toBeCloseTo(level, 9);
    expect(Math.max(...t.heardLog.filter((x) => x === x))).toBeLessThanOrEqual(level + 1e-9);
    expect(t.outputs.setGainDb(6)).toBe(3);
    expect(t.state.gainDb).toBe(18);
  });

  test("inserting a plug selects its output; pulling the live plug mutes until one goes in", () => {
    const t = rig({ start: { out: "bal35" }, jacks: bit("bal35") });
    t.run(300);
    expect(t.outputs.muteReasons()).toBe(0);
    t.r.jacks = bit("bal35") | bit("xlr");
    t.run(100);
    expect(t.state.out).toBe("xlr");
    t.run(300);
    expect(t.word()).toBe(bit("xlr"));
    t.r.jacks = bit("bal35");
    t.run(100);
    expect(t.removed).toEqual([OUTPUT_NAMES.indexOf("xlr")]);
    expect(t.outputs.muteReasons() & MUTE_NO_OUTPUT).toBeTruthy();
    expect(t.state.relayClosed).toBe(false);
    t.run(1000);
    expect(t.state.relayClosed).toBe(false);
    t.r.jacks = bit("bal35") | bit("xlr"); // back into the same jack: settle, then play
    t.run(100);
    expect(t.outputs.muteReasons()).toBe(MUTE_SWITCHING);
    t.run(200);
    expect(t.state.relayClosed).toBe(true);
    expect(t.state.out).toBe("xlr");
  });

  test("a jack reading that flickers for one ladder read is ignored", () => {
    const t = rig({ start: { out: "bal35" }, jacks: bit("bal35") });
    t.run(300);
    t.r.jacks = bit("bal35") | bit("se63");
    t.run(50);
    t.r.jacks = bit("bal35");
    t.run(300);
    expect(t.state.out).toBe("bal35");
    expect(t.applied.filter((w) => w & bit("se63"))).toEqual([]);
  });

  test("with jack selection off, a plug does not change the output", () => {
    const t = rig({ start: { out: "bal35", jackSelect: false }, jacks: bit("bal35") });
    t.run(300);
    t.r.jacks = bit("bal35") | bit("se63");
    t.run(300);
    expect(t.state.out).toBe("bal35");
  });

  test("at boot, if the remembered output's jack is empty, the plugged one is chosen", () => {
    const t = rig({ start: { out: "bal35" }, jacks: bit("se63") });
    t.run(300);
    expect(t.state.out).toBe("se63");
    expect(t.word()).toBe(bit("se63"));
  });

  test("thermal derate cap: the pot target is pulled below it", () => {
    const t = rig({ start: { out: "bal44", targetDb: -10, actualDb: -10 } });
    t.run(300);
    t.state.derateCapDb = -20; // listener level
    t.run(10);
    expect(t.state.targetDb).toBe(-20 - OFF.bal44);
  });

  test("when the pot cannot move (volume fault), a switch that needs it lower is refused; a quieter one goes ahead", () => {
    let refuse = false;
    const t = rig({ start: { out: "se63", outVolDb: [0, 0, 0, 0] }, potRefuses: () => refuse });
    t.run(300);
    refuse = true;
    expect(t.outputs.selectOutput("bal44")).toBe(5);
    expect(t.outputs.setGainDb(9)).toBe(5);
    expect(t.outputs.toggleAB()).toBe(5);
    t.run(300);
    expect([t.state.out, t.state.gainDb, t.word(), t.outputs.muteReasons()]).toEqual(["se63", 0, bit("se63"), 0]);
    t.outputs.selectOutput("bal44");
    refuse = false;
    t.outputs.selectOutput("bal44");
    t.run(300);
    refuse = true;
    expect(t.outputs.selectOutput("se63")).toBe(0); // 6 dB quieter at the same pot position
    t.run(300);
    expect(t.word()).toBe(bit("se63"));
    expect(t.outputs.muteReasons()).toBe(0);
  });

  test("unknown output names are refused", () => {
    const t = rig();
    expect(t.outputs.selectOutput("rca" as OutputName)).toBe(3);
  });
});
