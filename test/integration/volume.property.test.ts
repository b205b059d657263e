// Properties of the volume pot on the built bundle over random event sequences (fast-check):
// volume requests (end stops included), waits, a hand turning the knob, monitoring-deck faults,
// a stalled rotor and reversed wiring switched in and out, clears. Watched every 2 ms of sim time
// against what the simulated motor really does:
//   1. once the firmware has said "FAULT motor-...", the bridge is not driven (released or
//      braking) until the next request;
//   2. the motor never pushes into an end stop for long: at most END_PUSH_MS with the wiring and
//      rotor sound, at most FAULT_PUSH_MS while a motor fault is being injected (it has to be
//      seen first), at most BLIND_FAULT_PUSH_MS when that drive began in the blind bottom of the
//      travel (below ~-64 dB the decks read under 2.5 LSB: a reversed motor pushing the shaft into
//      the bottom stop shows only once the model expects the decks to read; without a motor
//      current sense nothing can tell sooner), and the same after a hand moved the shaft inside
//      the blind bottom (the decks cannot see it there either);
//   3. the firmware never throws.
import fc from "fast-check";
import { Board } from "../../boards/board";
import { BOARDS } from "../../boards/index";
import { createSimAmp } from "../../hal/sim/amp";
import { bootBundle } from "../../hal/sim/espruinoEmu";
import { SimFlash } from "../../hal/sim/types";
import { readBundle } from "../helpers/device";

const SAMPLE_MS = 2;
/** Pushing into an end stop: a few ticks at most (a target at the stop is braked ~2 ms after it). */
const END_PUSH_MS = 30;
/** ...and while the rotor is locked or the wiring reversed, until the firmware has seen it. */
const FAULT_PUSH_MS = 300;
/** ...and from the blind bottom: the model's climb out of it at full speed (~0.12 of travel). */
const BLIND_FAULT_PUSH_MS = 1700;
/** Below this (mean audio dB) the monitoring decks read under 2.5 LSB. */
const BLIND_DB = -64;

type Action =
  | { k: "vol"; db: number }
  | { k: "hand"; deg: number; rate: number }
  | { k: "deck"; deck: 5 | 6; f: "none" | "open" | "shorted" | "dirty" }
  | { k: "stall"; on: boolean }
  | { k: "rev"; on: boolean }
  | { k: "clear" };

const volArb = fc.record({ k: fc.constant("vol" as const), db: fc.oneof(fc.integer({ min: -80, max: 0 }), fc.constantFrom(0, -80)) });
const handArb = fc.record({ k: fc.constant("hand" as const), deg: fc.integer({ min: -80, max: 80 }), rate: fc.integer({ min: 20, max: 150 }) });
const deckArb = fc.record({ k: fc.constant("deck" as const), deck: fc.constantFrom(5 as const, 6 as const), f: fc.constantFrom("none" as const, "none" as const, "open" as const, "shorted" as const, "dirty" as const) });
const soundArb: fc.Arbitrary<Action> = fc.oneof({ weight: 6, arbitrary: volArb }, { weight: 2, arbitrary: handArb }, { weight: 1, arbitrary: deckArb }, { weight: 1, arbitrary: fc.constant({ k: "clear" as const }) });
const faultyArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 5, arbitrary: volArb },
  { weight: 1, arbitrary: handArb },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("stall" as const), on: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("rev" as const), on: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ k: "clear" as const }) },
);
const waitArb = fc.oneof(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 200, max: 4000 }));

/** A calibrated unit's flash, made once per seed (calibration is slow). */
const flashes = new Map<number, SimFlash>();
function calibratedFlash(board: Board, code: string, seed: number): SimFlash {
  const have = flashes.get(seed);
  if (have) return have;
  const amp = createSimAmp(board, { seed });
  const dev = bootBundle({ board, amp, code });
  amp.clock.advance(1500);
  dev.send("cal start\r\n");
  for (let i = 0; i < 150 && !/cal (done|failed)/.test(dev.output()); i++) amp.clock.advance(1000);
  amp.clock.advance(4000);
  flashes.set(seed, amp.flash);
  return amp.flash;
}

/** Runs one sequence; returns the first broken invariant ("" if none). */
function run(board: Board, code: string, seed: number, steps: { a: Action; waitMs: number }[]): string {
  const flash = calibratedFlash(board, code, seed);
  const amp = createSimAmp(board, { seed, flash: flash });
  const dev = bootBundle({ board, amp, code });
  const travel = amp.unit.travelDeg;
  amp.clock.advance(1500);
  dev.send("out se63\r\n");
  amp.clock.advance(2000);
  let faultSeen = false; // a motor fault reported since the last request
  let reversed = false;
  let stalled = false;
  let faultInjected = false;
  let fromBlind = false; // the last request was made with the shaft in the blind bottom
  let blindHand = false; // a hand turned the shaft in the blind bottom, unseen (until it is out)
  let handUntil = -1;
  let pushMs = 0;
  let seen = dev.output().length;
  let broken = "";

  function meanDb(): number {
    const l = amp.audioDb();
    return (l.left + l.right) / 2;
  }

  function sample() {
    const now = amp.clock.nowMs();
    const out = dev.output();
    if (out.length > seen) {
      if (/FAULT (motor-stall|motor-reversed|move-timeout|end-stop)/.test(out.slice(seen))) faultSeen = true;
      seen = out.length;
    }
    const d = amp.motorDrive();
    const driven = d !== "brake" && d !== 0;
    if (faultSeen && driven) broken = broken || `driven (${d}) at ${now} after a motor fault was reported`;
    // the way the motor really turns (reversed wiring swaps it)
    const push = driven ? ((d as number) > 0 ? 1 : -1) * (reversed ? -1 : 1) : 0;
    const deg = amp.shaftDeg();
    if (push !== 0 && ((push > 0 && deg >= travel) || (push < 0 && deg <= 0))) pushMs += SAMPLE_MS;
    else pushMs = 0;
    if (now < handUntil && meanDb() < BLIND_DB) blindHand = true;
    else if (blindHand && meanDb() > BLIND_DB + 6) blindHand = false;
    const limit = blindHand ? BLIND_FAULT_PUSH_MS : faultInjected ? (fromBlind ? BLIND_FAULT_PUSH_MS : FAULT_PUSH_MS) : END_PUSH_MS;
    if (pushMs > limit) broken = broken || `pushed into the ${push > 0 ? "top" : "bottom"} end stop for ${pushMs} ms at ${now}`;
  }

  function advance(ms: number) {
    for (let t = 0; t < ms && !broken; t += SAMPLE_MS) {
      amp.clock.advance(SAMPLE_MS);
      sample();
    }
  }

  for (const s of steps) {
    const a = s.a;
    if (a.k === "vol" || a.k === "clear") {
      faultSeen = false;
      fromBlind = meanDb() < BLIND_DB;
      dev.send((a.k === "vol" ? "vol " + a.db : "clear") + "\r\n");
    } else if (a.k === "hand") {
      handUntil = amp.clock.nowMs() + (1000 * Math.abs(a.deg)) / a.rate + 20;
      amp.handTurn(Math.max(0, Math.min(travel, amp.shaftDeg() + a.deg)), a.rate);
    } else if (a.k === "deck") amp.setDeckFault(a.deck, a.f);
    else if (a.k === "stall") {
      stalled = a.on;
      amp.setMotorStalled(a.on);
    } else if (a.k === "rev") {
      reversed = a.on;
      amp.setMotorReversed(a.on);
    }
    faultInjected = faultInjected || stalled || reversed;
    advance(s.waitMs);
    if (broken) break;
  }
  advance(3000);
  if (!broken && dev.errors.length) broken = "firmware threw: " + dev.errors.join("; ");
  return broken;
}

describe("volume properties (pico bundle)", () => {
  const board = BOARDS.pico;
  const code = readBundle("pico");

  it("sound motor: never pushes into an end stop for more than a few ticks", () => {
    fc.assert(
      fc.property(fc.constantFrom(61, 62), fc.array(fc.record({ a: soundArb, waitMs: waitArb }), { minLength: 3, maxLength: 10 }), (seed, steps) => {
        const broken = run(board, code, seed, steps);
        if (broken) throw new Error(broken);
      }),
      { numRuns: 25, seed: 20260 },
    );
  });

  it("stalls and reversed wiring: never left driven after a motor fault, end stops bounded", () => {
    fc.assert(
      fc.property(fc.constantFrom(61, 62), fc.array(fc.record({ a: faultyArb, waitMs: waitArb }), { minLength: 3, maxLength: 10 }), (seed, steps) => {
        const broken = run(board, code, seed, steps);
        if (broken) throw new Error(broken);
      }),
      { numRuns: 25, seed: 20261 },
    );
  });
});
