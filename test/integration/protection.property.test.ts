// Properties of the built bundle over random event sequences (fast-check): plugs in and out
// (including single-ended plugs in TRRS jacks), output / A/B / gain requests, clears, DC on the
// legs, shorts, heat, mains and rail loss, knob and console volume changes. Watched every
// 0.25 ms of sim time against what the simulated amp really does:
//   1. the output relay is never closed while a fault or power-on condition holds (beyond the
//      time the protection needs to see it: ALLOW_* below), and a latched over-current never
//      reconnects without a clear (or the single-ended plug being pulled);
//   2. never two outputs live;
//   3. no output or gain relay contact moves while the output relay is closed;
//   4. the level heard never jumps up across an output or gain change the user did not make
//      louder (no knob/volume command in between).
import fc from "fast-check";
import { Board, OUTPUT_NAMES, OutputName } from "../../boards/board";
import { BOARDS } from "../../boards/index";
import { createSimAmp, SimAmpHandle } from "../../hal/sim/amp";
import { bootBundle } from "../../hal/sim/espruinoEmu";
import { BOARD_NAMES, readBundle } from "../helpers/device";

const SAMPLE_MS = 0.25;
const SETTLE_MS = 1500;
/** Detection allowances (the protection's own latency budget, with margin). */
const ALLOW_DC_FAST_MS = 10;
const ALLOW_DC_SLOW_MS = 250; // 100 ms filter from wherever it was, a tick, the release
const ALLOW_OC_MS = 5; // watch dispatch + relay release
const ALLOW_POWER_MS = 16; // rail read each tick + release (AC sense: a watch, much faster)
const ALLOW_THERMAL_MS = 520; // heat sink read every 50 ticks + release
/** A DC pulse shorter than a leg scan may go unseen: only longer ones must latch. */
const DC_SEEN_MS = 6;
/** Comparator edges closer than this are one episode (relay bounce re-trips it). */
const OC_EPISODE_GAP_MS = 20;
/** Margins around thresholds where the truth and a noisy ADC reading may disagree. */
const RAIL_MARGIN_V = 0.5;
const HEAT_MARGIN_C = 0.3;
/** The firmware knows the level from the monitoring decks (uncalibrated: the taper's own error,
 *  worst at the bottom where the ADC sees a few LSB); the listener hears the audio decks. A jump
 *  is more than this. */
const LEVEL_TOL_DB = 1;
/** ...and below this pot level (the bottom fifth of travel spans ~2 % of the ADC range, and the
 *  gang band widens to 3 dB) the estimate is coarser. */
const LOW_POT_DB = -50;
const LOW_LEVEL_TOL_DB = 2;
/** The fault runs start warm (derating already: a trip is seconds away); the switching runs cool. */
const WARM_C = 66;
const COOL_C = 30;

type Action =
  | { k: "plug"; out: OutputName; on: boolean }
  | { k: "sePlug"; out: "bal44" | "bal35"; on: boolean }
  | { k: "cmd"; line: string }
  | { k: "dc"; leg: 0 | 1 | 2 | 3; v: number }
  | { k: "short"; ch: "left" | "right"; on: boolean }
  | { k: "heat"; c: number }
  | { k: "ac"; on: boolean }
  | { k: "rail"; v: number }
  | { k: "knob"; n: number };

const outputArb = fc.constantFrom(...OUTPUT_NAMES);
const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ k: fc.constant("plug" as const), out: outputArb, on: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("sePlug" as const), out: fc.constantFrom("bal44" as const, "bal35" as const), on: fc.boolean() }) },
  {
    weight: 5,
    arbitrary: fc.record({
      k: fc.constant("cmd" as const),
      line: fc.oneof(
        outputArb.map((o) => "out " + o),
        fc.constant("ab"),
        fc.constantFrom("gain 0", "gain 9", "gain 18"),
        fc.constant("clear"),
        fc.integer({ min: -70, max: 0 }).map((v) => "vol " + v),
        fc.constantFrom("mute on", "mute off"),
      ),
    }),
  },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("dc" as const), leg: fc.constantFrom(0 as const, 1 as const, 2 as const, 3 as const), v: fc.constantFrom(0, 0, 0.04, 0.15, -0.15, 1, -1) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("short" as const), ch: fc.constantFrom("left" as const, "right" as const), on: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("heat" as const), c: fc.constantFrom(30, 60, 120) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("ac" as const), on: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("rail" as const), v: fc.constantFrom(30, 18) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("knob" as const), n: fc.integer({ min: -4, max: 4 }).filter((n) => n !== 0) }) },
);
const waitArb = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 40, max: 700 }));
const stepArb = fc.record({ a: actionArb, waitMs: waitArb });
/** Mostly switching (outputs, A/B, gain, plugs), now and then a volume change or a fault. */
const switchArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 6, arbitrary: outputArb.map((o) => ({ k: "cmd" as const, line: "out " + o })) },
  { weight: 3, arbitrary: fc.constant({ k: "cmd" as const, line: "ab" }) },
  { weight: 3, arbitrary: fc.constantFrom("gain 0", "gain 9", "gain 18").map((line) => ({ k: "cmd" as const, line })) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant("plug" as const), out: outputArb, on: fc.boolean() }) },
  { weight: 1, arbitrary: actionArb },
);
/** Long enough, often, for the pot to arrive and the output to play between two switches. */
const switchStepArb = fc.record({ a: switchArb, waitMs: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 300, max: 3000 })) });

/** Runs one sequence and returns the first broken invariant ("" if none). */
function check(board: Board, code: string, seed: number, steps: { a: Action; waitMs: number }[], heatsinkC: number): string {
  const amp = createSimAmp(board, { seed, heatsinkC }) as SimAmpHandle;
  const dev = bootBundle({ board, amp, code });
  const P = board.protection;
  const legV = [0, 0, 0, 0];
  const fastSince = [-1, -1, -1, -1];
  const slowSince = [-1, -1, -1, -1];
  let dcLatchedAt = -1; // when a DC step the firmware must have seen appeared
  let ocLowSince = -1;
  let ocLastLowMs = -1e9;
  let ocPermit = true;
  let powerBadSince = -1;
  let powerGoodSince = 0;
  let hotSince = -1;
  let lastLevel = NaN;
  let lastPot = NaN;
  let lastLive = "";
  let lastGain = 0;
  let userLouder = false;
  let wasConnected = false;

  function potDb(): number {
    const a = amp.audioDb();
    return Math.max(a.left, a.right);
  }

  function heard(live: string): number {
    return potDb() + amp.gainDb() + board.outputs.offsetDb[live as OutputName];
  }

  function sample(): string {
    const now = amp.clock.nowMs();
    const connected = amp.outputConnected();
    const live = amp.outputsLive();
    if (live.length > 1) return `two outputs live at ${now}: ${live}`;
    // DC conditions (truth set on the legs).
    for (let i = 0; i < 4; i++) {
      const a = Math.abs(legV[i]);
      if (a > P.dcFastV) {
        if (fastSince[i] < 0) fastSince[i] = now;
        if (now - fastSince[i] >= DC_SEEN_MS && dcLatchedAt < 0) dcLatchedAt = fastSince[i];
      } else fastSince[i] = -1;
      if (a > P.dcWindowV) {
        if (slowSince[i] < 0) slowSince[i] = now;
      } else slowSince[i] = -1;
    }
    // Over-current comparator (truth).
    const oc = amp.overCurrent();
    if (oc.left || oc.right) {
      if (ocLowSince < 0) {
        ocLowSince = now;
        if (now - ocLastLowMs > OC_EPISODE_GAP_MS) {
          if (!ocPermit) return `over-current tripped again at ${now} without a clear`;
          ocPermit = false;
        }
      }
      ocLastLowMs = now;
    } else ocLowSince = -1;
    // Power: AC-sense pin and rail (truth, with a margin around the threshold).
    const rail = amp.railV();
    const acPin = amp.pinLevel(board.pins.acSense);
    if (!acPin || rail < P.railMinV - RAIL_MARGIN_V) {
      if (powerBadSince < 0) powerBadSince = now;
      powerGoodSince = -1;
    } else if (rail >= P.railMinV + RAIL_MARGIN_V) {
      powerBadSince = -1;
      if (powerGoodSince < 0) powerGoodSince = now;
    } else {
      powerBadSince = -1; // within the margin: the firmware may see it either way
      powerGoodSince = -1;
    }
    // Heat: the thermistor's own temperature; re-armed only below rearmC.
    const heat = amp.thermistorC();
    if (heat >= P.thermal.tripC + HEAT_MARGIN_C) {
      if (hotSince < 0) hotSince = now;
    } else if (heat < P.thermal.rearmC) hotSince = -1;

    if (connected) {
      for (let i = 0; i < 4; i++) {
        if (fastSince[i] >= 0 && now - fastSince[i] > ALLOW_DC_FAST_MS) return `connected at ${now} with ${legV[i]} V on leg ${i} since ${fastSince[i]}`;
        if (slowSince[i] >= 0 && now - slowSince[i] > ALLOW_DC_SLOW_MS) return `connected at ${now} with ${legV[i]} V on leg ${i} since ${slowSince[i]}`;
      }
      if (dcLatchedAt >= 0 && now - dcLatchedAt > ALLOW_DC_FAST_MS) return `connected at ${now} with a DC step (${dcLatchedAt}) latched and no clear since`;
      if (ocLowSince >= 0 && now - ocLowSince > ALLOW_OC_MS) return `connected at ${now} with over-current since ${ocLowSince}`;
      if (powerBadSince >= 0 && now - powerBadSince > ALLOW_POWER_MS) return `connected at ${now} with power bad since ${powerBadSince}`;
      if (powerGoodSince >= 0 && now - powerGoodSince < P.powerOnDelayMs - board.tickMs - 5) return `connected at ${now}, power good only since ${powerGoodSince}`;
      if (hotSince >= 0 && now - hotSince > ALLOW_THERMAL_MS) return `connected at ${now} with the thermistor at ${heat.toFixed(1)} C since ${hotSince}`;
      if (live.length === 1) {
        const level = heard(live[0]);
        const pot = potDb();
        const tol = pot < LOW_POT_DB || lastPot < LOW_POT_DB ? LOW_LEVEL_TOL_DB : LEVEL_TOL_DB;
        if (!wasConnected && lastLive && (live[0] !== lastLive || amp.gainDb() !== lastGain) && !userLouder && level > lastLevel + tol) {
          return `louder after a switch at ${now}: ${lastLevel.toFixed(2)} dB on ${lastLive} -> ${level.toFixed(2)} dB on ${live[0]}`;
        }
        lastLevel = level;
        lastPot = pot;
        lastLive = live[0];
        lastGain = amp.gainDb();
        // (a level request is the user's until it is done: the pot at rest; on the way it may
        // take a gain swap that gain staging makes for it, under mute)
        if (amp.shaftSpeed() === 0 && amp.motorDrive() === 0) userLouder = false;
      }
    }
    wasConnected = connected;
    return "";
  }

  function act(a: Action) {
    switch (a.k) {
      case "plug":
        amp.plug(a.out, a.on);
        if (!a.on) ocPermit = true;
        break;
      case "sePlug":
        amp.plugSingleEndedIntoTrrs(a.out, a.on);
        if (!a.on) ocPermit = true;
        break;
      case "cmd":
        dev.send(a.line + "\r\n");
        if (a.line === "clear") {
          ocPermit = true;
          dcLatchedAt = -1; // the firmware may refuse (DC still there): the model stops asking
        }
        if (a.line.startsWith("vol")) userLouder = true;
        break;
      case "dc":
        legV[a.leg] = a.v;
        amp.setLegDc(a.leg, a.v);
        break;
      case "short":
        amp.setShort(a.ch, a.on);
        break;
      case "heat":
        amp.setHeatsinkC(a.c);
        break;
      case "ac":
        amp.setAcPresent(a.on);
        break;
      case "rail":
        amp.setRailV(a.v);
        break;
      case "knob":
        amp.turnKnob(a.n, 30);
        userLouder = true;
        break;
    }
  }

  function run(ms: number): string {
    for (let t = 0; t < ms; t += SAMPLE_MS) {
      amp.clock.advance(SAMPLE_MS);
      const bad = sample();
      if (bad) return bad;
    }
    return "";
  }

  let bad = run(SETTLE_MS);
  for (const s of steps) {
    if (bad) break;
    act(s.a);
    bad = run(s.waitMs);
  }
  if (!bad) bad = run(SETTLE_MS);
  if (!bad && amp.relayEventsWhileConnected().length) bad = "relay contacts moved while connected: " + JSON.stringify(amp.relayEventsWhileConnected().slice(0, 3));
  if (!bad && dev.errors.length) bad = "firmware errors: " + dev.errors.join("; ");
  return bad;
}

describe.each(BOARD_NAMES)("%s: invariants over random event sequences", (boardName) => {
  const board = BOARDS[boardName];
  const code = readBundle(boardName);

  test("faults, power and plugs at random: the invariants hold", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.array(stepArb, { minLength: 1, maxLength: 14 }), (seed, steps) => {
        const bad = check(board, code, seed, steps, WARM_C);
        if (bad) throw new Error(bad);
      }),
      { numRuns: 30, seed: 4242, endOnFailure: true },
    );
  });

  test("mostly output, A/B and gain changes: the invariants hold, never louder on a switch", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.array(switchStepArb, { minLength: 2, maxLength: 12 }), (seed, steps) => {
        const bad = check(board, code, seed, steps, COOL_C);
        if (bad) throw new Error(bad);
      }),
      { numRuns: 25, seed: 2424, endOnFailure: true },
    );
  });
});
