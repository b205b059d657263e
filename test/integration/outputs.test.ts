// Output switching on the built bundle in the Espruino emulation: what the listener would
// experience (the relay contacts of the simulated amp, the level at the headphone) when outputs,
// gain and A/B are changed from the console or by plugging headphones in and out.
import { OUTPUT_NAMES, OutputName } from "../../boards/board";
import { BOARD_NAMES, boot, lastStatus, Rig, settle, status } from "../helpers/device";

/** The pot's own accuracy bounds how exactly a level can be kept across a switch: the firmware
 *  knows the level from the monitoring decks (uncalibrated here), the listener hears the audio
 *  decks. A jump is more than this. */
const LEVEL_TOL_DB = 1;
/** A/B: the 0.1 dB is by the decks; at the headphone the deck/taper error adds to it. */
const AB_TOL_DB = 0.5;

/** Contact timeline of the mute relay and the output relays, sampled every 0.05 ms. */
interface Sample {
  t: number;
  connected: boolean;
  live: string[];
  gain: number;
  level: number;
}

/** The level at the headphone, as the listener hears it: pot + gain + the live output's offset. */
function heard(rig: Rig): number {
  const live = rig.amp.outputsLive();
  if (!rig.amp.outputConnected() || live.length !== 1) return -Infinity;
  const a = rig.amp.audioDb();
  return Math.max(a.left, a.right) + rig.amp.gainDb() + rig.board.outputs.offsetDb[live[0] as OutputName];
}

function record(rig: Rig, ms: number, stepMs = 0.05): Sample[] {
  const out: Sample[] = [];
  for (let t = 0; t < ms; t += stepMs) {
    rig.run(stepMs);
    out.push({ t: rig.amp.clock.nowMs(), connected: rig.amp.outputConnected(), live: rig.amp.outputsLive(), gain: rig.amp.gainDb(), level: heard(rig) });
  }
  return out;
}



/** Booted with headphones in `output` (and `also`, plugged in before power-on too), volume at
 *  `volDb`, settled, playing on `output`. */
function ready(boardName: string, output: OutputName = "bal35", also: OutputName[] = [], seed = 3, volDb = -30): Rig {
  const rig = boot(boardName, { seed });
  rig.amp.plug(output, true);
  for (const o of also) rig.amp.plug(o, true);
  if (also.length) rig.command("out " + output, 0);
  rig.run(1500);
  expect(rig.command("vol " + volDb)).toMatch(/^ok/);
  settle(rig);
  expect(rig.amp.outputConnected()).toBe(true);
  expect(rig.amp.outputsLive()).toEqual([output]);
  return rig;
}

function noneLiveTwice(samples: Sample[]) {
  for (const s of samples) expect(s.live.length).toBeLessThanOrEqual(1);
}

describe.each(BOARD_NAMES)("%s outputs", (boardName) => {
  test("boots on the default output, muted, and plays once the power-on delay has passed", () => {
    const rig = boot(boardName);
    rig.run(300);
    expect(rig.amp.outputsLive()).toEqual([rig.board.outputs.defaultOutput]);
    expect(rig.amp.outputConnected()).toBe(false);
    expect(lastStatus(rig.dev)).toMatchObject({ output: "bal35", gain: "0", faults: "none" });
    rig.run(1200);
    expect(rig.amp.outputConnected()).toBe(true);
  });

  test("out se63: mute, old relay open, ≥15 ms gap, new relay, DC settle, unmute - no contact moves while connected", () => {
    const rig = ready(boardName, "bal35", ["se63"]);
    const t0 = rig.amp.clock.nowMs();
    expect(rig.command("out se63", 0)).toMatch(/^ok/);
    const s = record(rig, 300).concat(record(rig, 4000, 1)); // the pot may have to move first
    const firstOpen = s.find((x) => !x.connected)!;
    const oldGone = s.find((x) => !x.live.includes("bal35"))!;
    const newIn = s.find((x) => x.live.includes("se63"))!;
    const back = s.find((x) => x.connected && x.t > newIn.t)!;
    expect(firstOpen.t - t0).toBeLessThanOrEqual(rig.board.tickMs + rig.board.relayTiming.releaseMs + 0.1);
    expect(oldGone.t).toBeGreaterThan(firstOpen.t);
    expect(newIn.t - oldGone.t).toBeGreaterThanOrEqual(15);
    expect(back.t - newIn.t).toBeGreaterThanOrEqual(rig.board.relayTiming.settleMs - rig.board.relayTiming.operateMs);
    noneLiveTwice(s);
    expect(rig.amp.relayEventsWhileConnected()).toEqual([]);
    expect(rig.amp.outputsLive()).toEqual(["se63"]);
    expect(status(rig).output).toBe("se63");
  });

  test("never louder on a switch: balanced after single-ended plays only once the pot has come down 6 dB", () => {
    // bal44 remembers -20 dB (louder than where single-ended will be), se63 plays at -30 dB.
    const rig = ready(boardName, "bal44", ["se63"], 3, -20);
    rig.command("out se63");
    rig.command("vol -30");
    settle(rig);
    const before = heard(rig);
    expect(before).toBeGreaterThan(-Infinity);
    rig.command("out bal44", 0);
    // The pot is asked to go down by the offset difference (balanced is +6 dB at the same position).
    expect(Number(status(rig).target)).toBeCloseTo(-30 - 6, 6);
    const s = record(rig, 4000, 1);
    for (const x of s) if (x.connected) expect(x.level).toBeLessThanOrEqual(before + LEVEL_TOL_DB);
    // ...and it does play again, on balanced, at the level it had.
    expect(rig.amp.outputConnected()).toBe(true);
    expect(heard(rig)).toBeGreaterThan(before - LEVEL_TOL_DB);
    expect(rig.amp.relayEventsWhileConnected()).toEqual([]);
  });

  test("the 3.5 mm TRRS cap holds when switching to it from a loud output", () => {
    const rig = ready(boardName, "se63", [], 3, -2);
    rig.command("out bal35");
    const target = Number(status(rig).target);
    expect(target + rig.board.outputs.offsetDb.bal35).toBeLessThanOrEqual(rig.board.outputs.capDb.bal35);
  });

  test("inserting a plug selects its output; pulling the live plug mutes; putting it back plays again", () => {
    const rig = ready(boardName, "bal35");
    rig.amp.plug("xlr", true);
    const s = record(rig, 500, 0.5);
    settle(rig);
    noneLiveTwice(s);
    expect(rig.amp.outputsLive()).toEqual(["xlr"]);
    expect(rig.amp.outputConnected()).toBe(true);
    rig.amp.plug("xlr", false);
    rig.run(150);
    expect(rig.amp.outputConnected()).toBe(false);
    expect(status(rig).mute).toContain("no-output");
    rig.run(2000);
    expect(rig.amp.outputConnected()).toBe(false);
    rig.amp.plug("xlr", true);
    rig.run(60);
    expect(rig.amp.outputConnected()).toBe(false); // seated first: the jack switch is not yet read stable
    rig.run(400);
    expect(rig.amp.outputConnected()).toBe(true);
    expect(rig.amp.relayEventsWhileConnected()).toEqual([]);
  });

  test("pulling a plug that is not live changes nothing", () => {
    const rig = ready(boardName, "bal35", ["se63"]);
    rig.amp.plug("se63", false);
    rig.run(500);
    expect(rig.amp.outputConnected()).toBe(true);
    expect(rig.amp.outputsLive()).toEqual(["bal35"]);
  });

  test("gain 9: the gain relay changes only while muted; the level heard does not rise", () => {
    const rig = ready(boardName, "bal35");
    const before = heard(rig);
    const targetBefore = Number(status(rig).target);
    expect(rig.command("gain 9", 0)).toMatch(/^ok/);
    expect(Number(status(rig).target)).toBeCloseTo(targetBefore - 9, 6);
    const s = record(rig, 3000, 1);
    expect(rig.amp.gainDb()).toBe(9);
    expect(rig.amp.outputConnected()).toBe(true);
    for (const x of s) if (x.connected) expect(x.level).toBeLessThanOrEqual(before + LEVEL_TOL_DB);
    expect(Math.abs(heard(rig) - before)).toBeLessThanOrEqual(LEVEL_TOL_DB);
    expect(rig.amp.relayEventsWhileConnected()).toEqual([]);
    expect(rig.command("gain 5")).toMatch(/^err 3/);
    expect(rig.command("gain 0", 0)).toMatch(/^ok/);
    const back = record(rig, 3000, 1);
    expect(rig.amp.gainDb()).toBe(0);
    for (const x of back) if (x.connected) expect(x.level).toBeLessThanOrEqual(before + LEVEL_TOL_DB);
    expect(status(rig).gain).toBe("0");
  });

  test("more gain than the pot can take back below its floor is refused: nothing switches, nothing gets louder", () => {
    const rig = ready(boardName, "bal35");
    rig.command("vol -70");
    settle(rig);
    const before = heard(rig);
    expect(rig.command("gain 18")).toMatch(/^err 3/);
    rig.run(1000);
    expect(rig.amp.gainDb()).toBe(0);
    expect(status(rig).gain).toBe("0");
    expect(heard(rig)).toBeLessThanOrEqual(before + LEVEL_TOL_DB);
    expect(rig.command("gain 9", 0)).toMatch(/^ok/); // the pot can still follow 9 dB
  });

  test("gain 9 to 18 never closes both gain relays", () => {
    const rig = ready(boardName, "bal35");
    rig.command("gain 9");
    rig.run(500);
    rig.command("gain 18", 0);
    const s = record(rig, 300, 0.1);
    for (const x of s) expect(x.gain).not.toBe(27);
    expect(rig.amp.gainDb()).toBe(18);
  });

  test("A/B: toggles between the pair, muted through each swap, pot moved by the offset difference", () => {
    const rig = ready(boardName, "bal44", ["se63"]);
    const level = heard(rig);
    const target = Number(status(rig).target);
    expect(rig.command("ab", 0)).toMatch(/^ok/);
    expect(Number(status(rig).target)).toBeCloseTo(target + rig.board.outputs.offsetDb.bal44 - rig.board.outputs.offsetDb.se63, 6);
    const s = record(rig, 3000, 1);
    expect(rig.amp.outputsLive()).toEqual(["se63"]);
    expect(rig.amp.outputConnected()).toBe(true);
    // Whenever it plays, it plays at the level of the other output: the pot has arrived first.
    for (const x of s) if (x.connected) expect(Math.abs(x.level - level)).toBeLessThanOrEqual(AB_TOL_DB);
    expect(rig.command("ab", 0)).toMatch(/^ok/);
    const back = record(rig, 3000, 1);
    expect(rig.amp.outputsLive()).toEqual(["bal44"]);
    expect(rig.amp.outputConnected()).toBe(true);
    for (const x of back) if (x.connected) expect(Math.abs(x.level - level)).toBeLessThanOrEqual(AB_TOL_DB);
    expect(rig.amp.relayEventsWhileConnected()).toEqual([]);
  });

  test("requests in quick succession are merged into one muted sequence ending on the last", () => {
    const rig = ready(boardName, "bal35");
    const samples: Sample[] = [];
    for (const out of ["se63", "xlr", "bal44", "se63"] as OutputName[]) {
      rig.command("out " + out, 0);
      samples.push(...record(rig, 15));
    }
    samples.push(...record(rig, 600, 0.5));
    noneLiveTwice(samples);
    let reconnects = 0;
    for (let i = 1; i < samples.length; i++) if (samples[i].connected && !samples[i - 1].connected) reconnects++;
    expect(reconnects).toBeLessThanOrEqual(1);
    expect(rig.amp.outputsLive()).toEqual(["se63"]);
    expect(rig.amp.relayEventsWhileConnected()).toEqual([]);
  });

  test("every output name is accepted; a wrong one is refused", () => {
    const rig = ready(boardName, "bal35");
    for (const o of OUTPUT_NAMES) expect(rig.command("out " + o)).toMatch(/^ok/);
    expect(rig.command("out rca")).toMatch(/^err/);
  });
});
