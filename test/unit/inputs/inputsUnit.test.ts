// The inputs unit over the simulated amplifier's pins (simHal): the knob, its push button and the
// IR remote, as the sim's own signal generators make them (bounce, receiver distortion), turned
// into Controls calls. Controls here only record what they were asked.
import { OUTPUT_NAMES, OutputName } from "../../../boards/board";
import PICO from "../../../boards/pico";
import { createSimAmp } from "../../../hal/sim/amp";
import { createSimHal } from "../../../hal/sim/simHal";
import { newAmpState } from "../../../firmware/ampState";
import { Controls, ERR_RANGE, OK } from "../../../firmware/controls";
import { startInputs } from "../../../firmware/inputs/inputsUnit";
import { IR_AB, IR_ADDRESS, IR_MUTE, IR_OUT_NEXT, IR_OUT_XLR, IR_VOL_DOWN, IR_VOL_UP } from "../../../firmware/inputs/keymap";

function rig(opts: { contactBounceMs?: number; seed?: number; plugged?: OutputName[] } = {}) {
  const amp = createSimAmp(PICO, { seed: opts.seed ?? 3, contactBounceMs: opts.contactBounceMs ?? 0 });
  const hal = createSimHal(amp);
  const state = newAmpState();
  const calls: string[] = [];
  const steps: number[] = [];
  const plugged = opts.plugged ?? OUTPUT_NAMES;
  const controls: Controls = {
    setVolumeDb: () => OK,
    stepVolumeDb: (d) => {
      steps.push(d);
      return OK;
    },
    setMute: (on) => void calls.push("mute " + on),
    toggleMute: () => void calls.push("toggleMute"),
    selectOutput: (name) => {
      calls.push("out " + name);
      if (plugged.indexOf(name) < 0) return ERR_RANGE;
      state.out = name;
      return OK;
    },
    toggleAB: () => {
      calls.push("ab");
      return OK;
    },
    setGainDb: () => OK,
    clearFaults: () => OK,
    calStart: () => OK,
    calAbort: () => OK,
    calStatus: () => "idle",
  };
  startInputs(hal, PICO, controls, state);
  return { amp, hal, state, calls, steps, run: (ms: number) => amp.clock.advance(ms) };
}

describe("inputs unit: wiring", () => {
  test("encoder, push button and IR receiver are pull-up inputs", () => {
    const r = rig();
    const p = PICO.pins;
    for (const pin of [p.encA, p.encB, p.encPush, p.ir]) expect(r.hal.pullUps.has(pin)).toBe(true);
  });
});

describe("inputs unit: knob", () => {
  test("a slow turn steps by the board's default step per detent, each way", () => {
    const r = rig();
    r.amp.turnKnob(3, 150);
    r.run(1000);
    r.amp.turnKnob(-2, 150);
    r.run(1000);
    const s = PICO.volume.stepDb;
    expect(r.steps).toEqual([s, s, s, -s, -s]);
  });

  test("the step follows the user's setting (0.5 / 1 / 2 dB)", () => {
    for (const stepDb of [0.5, 1, 2]) {
      const r = rig();
      r.state.step = stepDb;
      r.amp.turnKnob(2, 150);
      r.run(1000);
      expect(r.steps).toEqual([stepDb, stepDb]);
    }
  });

  test("a bouncing contact counts the same detents", () => {
    const r = rig({ contactBounceMs: 3 });
    r.amp.turnKnob(5, 120);
    r.run(1000);
    r.amp.turnKnob(-4, 120);
    r.run(1000);
    expect(r.steps).toEqual([1, 1, 1, 1, 1, -1, -1, -1, -1]);
  });

  test("a fast spin accelerates: more dB than detents", () => {
    const r = rig();
    r.amp.turnKnob(10, 12);
    r.run(1000);
    expect(r.steps.length).toBe(10);
    expect(r.steps[0]).toBe(1);
    expect(r.steps.slice(1).every((s) => s >= 3)).toBe(true);
  });

  test("each press of the knob toggles mute once, bounce or not", () => {
    const r = rig({ contactBounceMs: 5 });
    r.amp.pressKnob(120);
    r.run(500);
    expect(r.calls).toEqual(["toggleMute"]);
    r.amp.pressKnob(60);
    r.run(500);
    expect(r.calls).toEqual(["toggleMute", "toggleMute"]);
  });
});

describe("inputs unit: IR remote (receiver distortion on)", () => {
  test("volume up: one step for the press; held, one step per repeat after the first", () => {
    const r = rig();
    r.amp.irSend(IR_ADDRESS, IR_VOL_UP, 5);
    r.run(1000);
    expect(r.steps).toEqual([1, 1, 1, 1, 1]);
    r.amp.irSend(IR_ADDRESS, IR_VOL_DOWN, 1); // a tap: frame plus one repeat
    r.run(500);
    expect(r.steps.slice(5)).toEqual([-1]);
  });

  test("mute, A/B and output keys act once even when held", () => {
    const r = rig();
    r.amp.irSend(IR_ADDRESS, IR_MUTE, 4);
    r.amp.irSend(IR_ADDRESS, IR_AB, 3);
    r.amp.irSend(IR_ADDRESS, IR_OUT_XLR, 2);
    r.run(2000);
    expect(r.calls).toEqual(["toggleMute", "ab", "out xlr"]);
  });

  test("next output skips outputs that refuse (nothing plugged) and wraps round", () => {
    const r = rig({ plugged: ["bal44", "se63"] });
    r.state.out = "bal44";
    r.amp.irSend(IR_ADDRESS, IR_OUT_NEXT);
    r.run(300);
    expect(r.state.out).toBe("se63");
    r.amp.irSend(IR_ADDRESS, IR_OUT_NEXT);
    r.run(300);
    expect(r.state.out).toBe("bal44");
  });

  test("another remote's address and unknown commands do nothing", () => {
    const r = rig();
    r.amp.irSend(0x00, IR_VOL_UP, 3);
    r.amp.irSend(IR_ADDRESS + 1, IR_MUTE);
    r.amp.irSend(0xee87, IR_VOL_UP, 2);
    r.amp.irSend(IR_ADDRESS, 0x99, 2);
    r.run(3000);
    expect(r.steps).toEqual([]);
    expect(r.calls).toEqual([]);
  });
});
