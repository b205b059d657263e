// Properties of the built bundle over random cases of the kinds issue 10 found by hand (fast-check):
//   1. garbage on any analog input (NaN, ±Infinity, out of 0..1, a frozen reading), at any moment,
//      with a request after it: no uncaught error, the console still answers, no output plays
//      above its cap, the motor never pushes against a still shaft for more than a moment;
//   2. requests and switches in the first seconds after a hand on the knob: the in-ear jack never
//      plays above its cap, and a level asked for once the hand is felt is where the pot ends;
//   3. in states with faults and mutes (a latched short, DC still there, a mute-to-level, a
//      calibration running, an empty jack), every err reply leaves the state as it was.
import fc from "fast-check";
import { OUTPUT_NAMES, OutputName } from "../../boards/board";
import { BOARD_NAMES, boot, heardDb, parseStatus, reply, Rig, settle } from "../helpers/device";

const GARBAGE = [NaN, Infinity, -Infinity, -0.5, 1.7, "freeze"] as const;
/** How far above its cap the heard level may be while connected (the decks' own error, dB). */
const CAP_TOL_DB = 1.5;
/** The motor may drive a still shaft this long (a stall is judged, an end stop seated). */
const STALL_LIMIT_MS = 1000;
/** A hand is felt within this of its start; a request after it is carried out when it lets go. */
const HAND_FELT_MS = 250;

/** Runs ms in 5 ms steps; returns the worst level above the live output's cap while connected
 *  and the longest drive against a still shaft. */
function watch(rig: Rig, ms: number): { overCapDb: number; stallMs: number } {
  let overCapDb = -Infinity;
  let stall = 0;
  let stallMs = 0;
  for (let t = 0; t < ms; t += 5) {
    rig.run(5);
    const out = rig.amp.outputsLive()[0];
    if (rig.amp.outputConnected() && out) overCapDb = Math.max(overCapDb, heardDb(rig) - rig.board.outputs.capDb[out]);
    stall = rig.amp.motorDrive() !== 0 && rig.amp.shaftSpeed() === 0 ? stall + 5 : 0;
    stallMs = Math.max(stallMs, stall);
  }
  return { overCapDb, stallMs };
}

function analogInputs(board: string): string[] {
  const rig = boot(board);
  const legs = rig.board.dcSense.kind === "mux" ? ["dcSense mux"] : [0, 1, 2, 3].map((l) => `dcSense leg ${l}`);
  return ["deck5", "deck6", "railSense", "thermistor", "jackSense", ...legs];
}

describe.each(BOARD_NAMES)("%s: safety properties", (board) => {
  it("garbage on any analog input at any moment: no crash, the console answers, nothing plays above its cap, no push against a stop", () => {
    const inputs = analogInputs(board);
    fc.assert(
      fc.property(
        fc.oneof({ weight: 3, arbitrary: fc.constantFrom("deck5", "deck6") }, { weight: 2, arbitrary: fc.constantFrom(...inputs) }),
        fc.constantFrom(...GARBAGE),
        fc.integer({ min: 0, max: 3000 }),
        fc.constantFrom("vol -10", "vol -45", "vol 0", "out se63", "clear", "gain 9"),
        fc.integer({ min: 1, max: 1000 }),
        (input, value, atMs, line, seed) => {
          const rig = boot(board, { seed, plugged: ["bal35", "se63"] });
          rig.run(1500);
          settle(rig);
          reply(rig, "vol -30");
          rig.run(atMs);
          rig.amp.setAnalogGarbage(input, value);
          const a = watch(rig, 1500);
          reply(rig, line);
          const b = watch(rig, 6000);
          expect(Math.max(a.overCapDb, b.overCapDb)).toBeLessThanOrEqual(CAP_TOL_DB);
          expect(Math.max(a.stallMs, b.stallMs)).toBeLessThanOrEqual(STALL_LIMIT_MS);
          expect(rig.command("status", 0)).toMatch(/^STATUS board=/);
          expect(rig.dev.errors).toEqual([]);
        }
      ),
      { numRuns: 40, seed: 1010 }
    );
  });

  it("requests and switches in the first seconds after a hand: the in-ear jack under its cap, a level asked for once the hand is felt is where the pot ends", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 20, max: 120 }),
        fc.boolean(),
        fc.integer({ min: 60, max: 200 }),
        fc.integer({ min: 0, max: 2500 }),
        fc.oneof(fc.integer({ min: -40, max: -5 }).map((db) => "vol " + db), fc.constantFrom("out bal35", "plug bal35", "ab")),
        fc.integer({ min: 1, max: 1000 }),
        (deg, up, degPerS, delayMs, action, seed) => {
          const rig = boot(board, { seed, plugged: ["se63", "bal35"] });
          rig.run(1500);
          reply(rig, "out se63");
          settle(rig);
          reply(rig, "set ab se63,bal35");
          reply(rig, "vol -25");
          rig.run(3000);
          if (action === "plug bal35") rig.amp.plug("bal35", false);
          rig.run(500);
          const to = Math.min(290, Math.max(10, rig.amp.shaftDeg() + (up ? deg : -deg)));
          rig.amp.handTurn(to, degPerS);
          rig.run(delayMs);
          let answer = "";
          if (action === "plug bal35") rig.amp.plug("bal35", true);
          else answer = reply(rig, action);
          const w = watch(rig, 12000);
          expect(w.overCapDb).toBeLessThanOrEqual(CAP_TOL_DB);
          if (action.startsWith("vol ") && delayMs >= HAND_FELT_MS && answer.startsWith("ok")) {
            const asked = +action.slice(4);
            const a = rig.amp.audioDb();
            expect(Math.abs((a.left + a.right) / 2 - asked)).toBeLessThan(0.8);
          }
          expect(rig.dev.errors).toEqual([]);
        }
      ),
      { numRuns: 40, seed: 2020 }
    );
  });

  it("in states with faults and mutes, every err reply leaves the state as it was", () => {
    const keys = ["maxvol", "startcap", "mutelevel", "step", "ab", "gainstaging", "jackselect", ...OUTPUT_NAMES.map((o) => "cap." + o)];
    // what the line could have changed: the status's output, gain, target and faults, the fault
    // and mute report, and the key a `set` names (three lines: the console's flood limit is 20)
    const fingerprint = (rig: Rig, line: string) => {
      const st = parseStatus(rig.command("status", 0));
      const faults = reply(rig, "faults").replace(/ log=.*/, "");
      const key = line.startsWith("set ") ? reply(rig, "get " + line.split(" ")[1]) : "";
      return [st.output, st.gain, st.target, st.dim, st.faults, faults, key].join(" | ");
    };
    const lineArb = fc.oneof(
      fc.constantFrom("clear", "cal start", "cal abort", "ab", "mute on", "mute off", "set password abcdef12", "unlock abcdef12"),
      fc.constantFrom("-99", "-30", "-20", "0", "9", "+5", "+40", "up", "down").map((a) => "vol " + a),
      fc.constantFrom("0", "9", "18", "27").map((a) => "gain " + a),
      fc.constantFrom("bal44", "bal35", "xlr", "se63", "x").map((a) => "out " + a),
      fc.tuple(fc.constantFrom(...keys), fc.constantFrom("24", "-60", "-10", "none", "hard", "on", "2", "xlr,xlr", "bal44,se63", "abc")).map(([k, v]) => `set ${k} ${v}`)
    );
    const states = ["short latched", "short latched, dc still there", "dc still there", "mute to level", "mute to level, calibrating", "calibrating", "empty jack", "plain"] as const;
    let errs = 0;
    fc.assert(
      fc.property(fc.constantFrom(...states), fc.array(lineArb, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 1000 }), (state, lines, seed) => {
        const plugged: OutputName[] = state === "empty jack" ? ["bal44"] : ["bal35", "se63"];
        const rig = boot(board, { seed, plugged });
        rig.run(1500);
        settle(rig, 4000);
        if (state.startsWith("short latched")) {
          rig.amp.setShort("left", true);
          rig.run(100);
          rig.amp.setShort("left", false);
        }
        if (state.endsWith("dc still there")) rig.amp.setLegDc(2, 1);
        if (state.startsWith("mute to level")) {
          reply(rig, "set mutelevel -50");
          reply(rig, "mute on");
        }
        if (state.endsWith("calibrating")) reply(rig, "cal start");
        if (state === "empty jack") reply(rig, "out bal35");
        rig.run(300);
        for (const line of lines) {
          const before = fingerprint(rig, line);
          const r = reply(rig, line);
          if (r.startsWith("err")) {
            errs++;
            expect(fingerprint(rig, line)).toBe(before);
          }
          rig.run(700);
        }
        expect(rig.dev.errors).toEqual([]);
      }),
      { numRuns: 60, seed: 3030 }
    );
    expect(errs).toBeGreaterThan(30);
  });
});
