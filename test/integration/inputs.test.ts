// Knob and remote on the built bundle, in the Espruino emulation over the simulated amp: what the
// user does with the front-panel encoder and an NEC remote, and what the amp's volume target
// (status line) and output relay do about it.
import { ACCEL_MS } from "../../firmware/inputs/encoder";
import { NEC_REPEAT_TIMEOUT_MS } from "../../firmware/inputs/irNec";
import { IR_ADDRESS, IR_MUTE, IR_VOL_DOWN, IR_VOL_UP } from "../../firmware/inputs/keymap";
import { SimAmp } from "../../hal/sim/types";
import { BOARD_NAMES, boot, Rig, status as statusOf } from "../helpers/device";

const NEC_PERIOD_MS = 108;
const SLOW_DETENT_MS = 150;

/** (the status command followed by the command's usual 50 ms) */
const status = (rig: Rig) => statusOf(rig, 50);

/** The pot attenuation target the amp is heading for, from the status line. */
function targetDb(rig: Rig): number {
  const st = status(rig);
  if (st.target === undefined) throw new Error("the status line has no target=<dB> field");
  return Number(st.target);
}

/** Booted, a plug in the default output, past the power-on mute, volume set to a known level. */
function ready(boardName: string, startDb: number): Rig {
  const rig = boot(boardName, { seed: 11 });
  rig.amp.plug(rig.board.outputs.defaultOutput, true);
  rig.run(2500);
  expect(rig.command("vol " + startDb)).toMatch(/^ok/);
  expect(targetDb(rig)).toBeCloseTo(startDb, 2);
  return rig;
}

/** Raw edges on the IR receiver's output, at absolute times (noise the sim's remote cannot make). */
function irRaw(amp: SimAmp, pin: string, edges: [boolean, number][]) {
  const bus = amp.pins as unknown as { setLevel?: (pin: string, level: boolean) => void };
  if (typeof bus.setLevel !== "function") throw new Error("the sim's pin bus cannot drive the IR pin");
  for (const [level, at] of edges) amp.clock.at(at, () => bus.setLevel!(pin, level));
}

function marks(t0: number, parts: [number, number][]): [boolean, number][] {
  const out: [boolean, number][] = [];
  let t = t0;
  for (const [mark, space] of parts) {
    out.push([false, t], [true, t + mark]);
    t += mark + space;
  }
  return out;
}

/** A frame whose command does not match its inverse byte. */
function badFrame(t0: number, address: number, command: number): [boolean, number][] {
  const parts: [number, number][] = [[9, 4.5]];
  for (const byte of [address, ~address & 0xff, command, command]) for (let b = 0; b < 8; b++) parts.push([0.5625, (byte >> b) & 1 ? 1.6875 : 0.5625]);
  parts.push([0.5625, 0]);
  return marks(t0, parts);
}

function strayRepeat(t0: number): [boolean, number][] {
  return marks(t0, [[9, 2.25], [0.5625, 0]]);
}

/** Deterministic noise: alternating low/high intervals of 0.02..12 ms, ending high. */
function randomEdges(t0: number, count: number, seed: number): [boolean, number][] {
  let x = seed >>> 0 || 1;
  const rnd = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
  const out: [boolean, number][] = [];
  let t = t0;
  let high = true;
  for (let i = 0; i < count; i++) {
    high = !high;
    out.push([high, t]);
    t += rnd() < 0.3 ? 0.02 + rnd() * 0.3 : 0.3 + rnd() * 12;
  }
  if (!high) out.push([true, t]);
  return out;
}

describe.each(BOARD_NAMES)("%s: front-panel knob", (boardName) => {
  test("a slow turn moves the target by the configured step per detent, both ways", () => {
    const rig = ready(boardName, -50);
    const step = rig.board.volume.stepDb;
    rig.amp.turnKnob(4, SLOW_DETENT_MS);
    rig.run(4 * SLOW_DETENT_MS + 100);
    expect(targetDb(rig)).toBeCloseTo(-50 + 4 * step, 2);
    rig.amp.turnKnob(-3, SLOW_DETENT_MS);
    rig.run(3 * SLOW_DETENT_MS + 100);
    expect(targetDb(rig)).toBeCloseTo(-50 + step, 2);
  });

  test("turned fast, the same number of detents goes much further", () => {
    const rig = ready(boardName, -75);
    const step = rig.board.volume.stepDb;
    const detents = 8;
    const fastMs = ACCEL_MS[ACCEL_MS.length - 1] - 3;
    rig.amp.turnKnob(detents, fastMs);
    rig.run(detents * fastMs + 100);
    const fast = targetDb(rig) + 75;
    expect(fast).toBeGreaterThanOrEqual(3 * detents * step);
    rig.command("vol -75");
    rig.amp.turnKnob(-detents, fastMs);
    rig.run(detents * fastMs + 100);
    expect(targetDb(rig)).toBe(rig.board.volume.minDb); // accelerated down into the floor
  });

  test("the knob never takes the level past the output's cap", () => {
    const rig = ready(boardName, -40);
    const out = rig.board.outputs.defaultOutput;
    const ceiling = rig.board.outputs.capDb[out] - rig.board.outputs.offsetDb[out];
    rig.amp.turnKnob(40, 20);
    rig.run(2000);
    expect(targetDb(rig)).toBeCloseTo(Math.min(0, ceiling), 2);
  });

  test("pushing the knob mutes (output relay opens) and pushing again unmutes", () => {
    const rig = ready(boardName, -50);
    expect(rig.amp.outputConnected()).toBe(true);
    rig.amp.pressKnob(150);
    rig.run(400);
    expect(rig.amp.outputConnected()).toBe(false);
    expect(status(rig).mute).toContain("user");
    rig.amp.pressKnob(150);
    rig.run(400);
    expect(rig.amp.outputConnected()).toBe(true);
    expect(targetDb(rig)).toBeCloseTo(-50, 2); // a hard mute leaves the level alone
  });
});

describe.each(BOARD_NAMES)("%s: IR remote", (boardName) => {
  test("volume up held: steps on every repeat after the first, and stops with the last repeat", () => {
    const rig = ready(boardName, -50);
    const step = rig.board.volume.stepDb;
    const t0 = rig.amp.clock.nowMs();
    rig.amp.irSend(IR_ADDRESS, IR_VOL_UP, 6);
    rig.run(80); // the frame (about 68 ms long) is in
    expect(targetDb(rig)).toBeCloseTo(-50 + step, 2);
    rig.run(t0 + 3 * NEC_PERIOD_MS + 20 - rig.amp.clock.nowMs()); // three repeats in
    expect(targetDb(rig)).toBeCloseTo(-50 + 3 * step, 2);
    const lastRepeatEnd = t0 + 6 * NEC_PERIOD_MS + 12;
    rig.run(lastRepeatEnd + NEC_REPEAT_TIMEOUT_MS - rig.amp.clock.nowMs());
    const settled = targetDb(rig);
    expect(settled).toBeCloseTo(-50 + 6 * step, 2);
    rig.run(1000);
    expect(targetDb(rig)).toBeCloseTo(settled, 2);
  });

  test("volume down and mute keys; a held mute key toggles once", () => {
    const rig = ready(boardName, -40);
    rig.amp.irSend(IR_ADDRESS, IR_VOL_DOWN, 0);
    rig.run(300);
    expect(targetDb(rig)).toBeCloseTo(-40 - rig.board.volume.stepDb, 2);
    rig.amp.irSend(IR_ADDRESS, IR_MUTE, 5);
    rig.run(1000);
    expect(rig.amp.outputConnected()).toBe(false);
    rig.amp.irSend(IR_ADDRESS, IR_MUTE, 0);
    rig.run(500);
    expect(rig.amp.outputConnected()).toBe(true);
  });

  test("noise, other remotes, stray repeats and corrupted frames change nothing; the remote still works after", () => {
    const rig = ready(boardName, -50);
    const pin = rig.board.pins.ir;
    let t = rig.amp.clock.nowMs() + 10;
    irRaw(rig.amp, pin, randomEdges(t, 400, 12345));
    t += 2500;
    for (let i = 0; i < 4; i++) irRaw(rig.amp, pin, strayRepeat(t + i * NEC_PERIOD_MS));
    t += 600;
    irRaw(rig.amp, pin, badFrame(t, IR_ADDRESS, IR_MUTE));
    irRaw(rig.amp, pin, strayRepeat(t + NEC_PERIOD_MS));
    t += 300;
    irRaw(rig.amp, pin, badFrame(t, IR_ADDRESS, IR_VOL_UP));
    rig.run(t + 200 - rig.amp.clock.nowMs());
    rig.amp.irSend(0x00, IR_VOL_UP, 3); // a cheap remote's address
    rig.amp.irSend(0xee87, IR_MUTE, 1); // an extended address
    rig.amp.irSend(IR_ADDRESS ^ 0x01, IR_MUTE, 0); // one bit off ours
    rig.run(1500);
    expect(targetDb(rig)).toBeCloseTo(-50, 2);
    expect(rig.amp.outputConnected()).toBe(true);
    expect(status(rig).mute).toBe("none");
    expect(rig.dev.errors).toEqual([]);
    rig.amp.irSend(IR_ADDRESS, IR_VOL_UP, 0);
    rig.run(300);
    expect(targetDb(rig)).toBeCloseTo(-50 + rig.board.volume.stepDb, 2);
  });
});

describe.each(BOARD_NAMES)("%s: volume limits and mute modes", (boardName) => {
  test("mute-to-level: the push turns the level down instead of opening the relay, and back up", () => {
    const rig = ready(boardName, -30);
    const offset = rig.board.outputs.offsetDb[rig.board.outputs.defaultOutput];
    expect(rig.command("set mutelevel -45")).toMatch(/^ok/);
    rig.amp.pressKnob(150);
    rig.run(400);
    expect(rig.amp.outputConnected()).toBe(true);
    expect(targetDb(rig)).toBeCloseTo(-45 - offset, 2); // -45 dB as the listener hears it
    rig.amp.pressKnob(150);
    rig.run(400);
    expect(targetDb(rig)).toBeCloseTo(-30, 2);
  });

  test("mute-to-level: turning the knob while muted takes the level from there; the next push mutes again", () => {
    const rig = ready(boardName, -30);
    const offset = rig.board.outputs.offsetDb[rig.board.outputs.defaultOutput];
    const step = rig.board.volume.stepDb;
    rig.command("set mutelevel -45");
    rig.amp.pressKnob(150);
    rig.run(400);
    rig.amp.turnKnob(2, SLOW_DETENT_MS);
    rig.run(2 * SLOW_DETENT_MS + 100);
    expect(targetDb(rig)).toBeCloseTo(-45 - offset + 2 * step, 2);
    rig.amp.pressKnob(150);
    rig.run(400);
    expect(targetDb(rig)).toBeCloseTo(-45 - offset, 2);
  });

  test("mute-to-level, then another output: unmute restores the level the listener had, not the pot position", () => {
    const rig = ready(boardName, -40);
    const b = rig.board;
    rig.amp.plug("se63", true);
    rig.amp.plug("bal44", true);
    rig.run(300);
    expect(rig.command("out se63")).toMatch(/^ok/);
    rig.run(3000);
    rig.command("vol -30");
    const heard = -30 + b.outputs.offsetDb.se63;
    rig.command("set mutelevel -50");
    rig.amp.pressKnob(150);
    rig.run(400);
    expect(rig.command("out bal44")).toMatch(/^ok/);
    rig.run(3000);
    rig.amp.pressKnob(150);
    rig.run(400);
    expect(targetDb(rig) + b.outputs.offsetDb.bal44).toBeCloseTo(heard, 2);
  });

  test("a maximum volume holds against the knob, the remote and the console, in listener level", () => {
    const rig = ready(boardName, -50);
    const offset = rig.board.outputs.offsetDb[rig.board.outputs.defaultOutput];
    expect(rig.command("set maxvol -35")).toMatch(/^ok/);
    rig.amp.turnKnob(30, SLOW_DETENT_MS / 3);
    rig.run(30 * SLOW_DETENT_MS + 100);
    expect(targetDb(rig)).toBeCloseTo(-35 - offset, 2);
    rig.amp.irSend(IR_ADDRESS, IR_VOL_UP, 4);
    rig.run(1000);
    expect(targetDb(rig)).toBeCloseTo(-35 - offset, 2);
    rig.command("vol -5");
    expect(targetDb(rig)).toBeCloseTo(-35 - offset, 2);
  });

  test("power-on: the last volume comes back, but never above the start-up cap", () => {
    const first = ready(boardName, -45);
    const out = first.board.outputs.defaultOutput;
    const startCeiling = first.board.volume.startCapDb - first.board.outputs.offsetDb[out];
    first.run(5000); // settings save a few seconds after the last change
    let rig = boot(boardName, { seed: 11, flash: first.amp.flash });
    rig.amp.plug(out, true);
    rig.run(500);
    expect(targetDb(rig)).toBeCloseTo(-45, 2);
    rig.command("vol " + (startCeiling + 6));
    rig.run(5000);
    rig = boot(boardName, { seed: 11, flash: rig.amp.flash });
    rig.run(500);
    expect(targetDb(rig)).toBeCloseTo(startCeiling, 2);
  });
});
