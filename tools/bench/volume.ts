// The volume bench (issue 3): the built bundle in the simulated amplifier, many seeded units (motor
// speed, spin-up, brake, dead zone, deck deviations, noise all drawn from the seed). Each unit is
// calibrated once through the console ("cal start"), then moved through steps of 3, 10, 20 and
// 40 dB in both directions from several starting levels, and end stop to end stop (full travel).
// Every request goes through the console ("vol <dB>") at a random phase of the control tick.
//
// Per move: time from the request to the last instant the shaft moved, against the oracle (the
// same unit's motor driven ideally: full drive, brake at the last possible instant; see
// volumeOracle.ts), overshoot past the target and final error in the true left/right mean level of
// the monitoring decks, direction changes of the drive, and whether the firmware reported a
// tracking fault. The output selected is single-ended (no output cap), gain 0 dB.
import * as fs from "fs";
import * as path from "path";
import { BOARDS } from "../../boards/index";
import { createSimAmp } from "../../hal/sim/amp";
import { bootBundle, EmulatedDevice } from "../../hal/sim/espruinoEmu";
import { createRng } from "../../hal/sim/rng";
import { SimAmp } from "../../hal/sim/types";
import { BenchContext, BenchSection, formatTable, median } from "./section";
import { measureMove, MoveResult } from "./volumeOracle";

const BOARD = "pico";
const UNITS = 24;
const QUICK_UNITS = 2;
const FIRST_SEED = 1001;
/** Starting levels and steps; a move stays within the scored range (down to -60 dB). */
const LEVELS = [0, -10, -20, -30, -40, -50, -57];
const STEPS = [3, 10, 20, 40];
const QUICK_STEPS = [3, 20];
const LOWEST_DB = -60;
/** Full travel: top end stop (0 dB) to the bottom one (the floor: -80 dB and below). */
const FULL = "full";
/** A unit at rest: shaft still and the bridge released for this long before a request (ms). */
const REST_MS = 300;
const CAL_TIMEOUT_MS = 150000;
/** For scale (issue 3): reading-passes-target firmware on a comparable pot model. */
const REFERENCE = { timeRatioMedian: 1.06, timeRatioWorst: 1.37, overshootDb: 0.66, finalErrorDb: 0.48 };
export const TARGETS = { timeRatioMedian: 1.05, timeRatioWorst: 1.15, overshootDb: 0.1, finalAbove40Db: 0.1, finalTo60Db: 0.3, reversals: 1 };

export interface VolumeRun {
  seed: number;
  fromDb: number;
  toDb: number;
  step: string;
  timeS: number;
  oracleTimeS: number;
  timeRatio: number;
  overshootDb: number;
  finalErrorDb: number;
  reversals: number;
  trackingFault: boolean;
  settled: boolean;
}

interface Move {
  from: number;
  to: number;
  step: string;
}

export function volumeMoves(steps: number[]): Move[] {
  const moves: Move[] = [];
  for (const s of steps)
    for (const a of LEVELS) {
      if (a - s < LOWEST_DB) continue;
      moves.push({ from: a, to: a - s, step: String(s) });
      moves.push({ from: a - s, to: a, step: String(s) });
    }
  moves.push({ from: 0, to: -80, step: FULL }, { from: -80, to: 0, step: FULL });
  return moves;
}

/** Run until the shaft has been still with the bridge released for REST_MS (or maxMs). */
function settle(amp: SimAmp, maxMs: number): void {
  const end = amp.clock.nowMs() + maxMs;
  let quiet = 0;
  while (amp.clock.nowMs() < end && quiet < REST_MS) {
    amp.clock.advance(10);
    quiet = amp.shaftSpeed() === 0 && amp.motorDrive() === 0 ? quiet + 10 : 0;
  }
}

function command(dev: EmulatedDevice, amp: SimAmp, line: string): string {
  dev.takeOutput();
  dev.send(line + "\r\n");
  amp.clock.advance(20);
  return dev.takeOutput();
}

function unitRuns(code: string, seed: number, moves: Move[]): VolumeRun[] {
  const board = BOARDS[BOARD];
  const floor = board.volume.minDb;
  const rng = createRng(seed).fork("bench-phase");
  const amp = createSimAmp(board, { seed });
  const dev = bootBundle({ board, amp, code });
  amp.clock.advance(2000);
  command(dev, amp, "out se63");
  const started = command(dev, amp, "cal start");
  if (!/^ok/m.test(started)) throw new Error(`seed ${seed}: cal start answered ${JSON.stringify(started)}`);
  const calEnd = amp.clock.nowMs() + CAL_TIMEOUT_MS;
  let status = "";
  while (amp.clock.nowMs() < calEnd) {
    amp.clock.advance(1000);
    status = command(dev, amp, "cal status");
    if (!/running/.test(status)) break;
  }
  if (!/done/.test(status)) throw new Error(`seed ${seed}: calibration ended with ${JSON.stringify(status)}`);
  const runs: VolumeRun[] = [];
  for (const m of moves) {
    command(dev, amp, "vol " + m.from);
    settle(amp, 30000);
    amp.clock.advance(rng.uniform(0, board.tickMs)); // any phase of the control tick
    dev.takeOutput();
    const target = m.to <= floor ? -Infinity : m.to;
    const r: MoveResult = measureMove(amp, target, () => dev.send("vol " + m.to + "\r\n"), { floorDb: floor });
    const said = dev.takeOutput();
    runs.push({
      seed,
      fromDb: m.from,
      toDb: m.to,
      step: m.step,
      timeS: round(r.timeS, 4),
      oracleTimeS: round(r.oracleTimeS, 4),
      timeRatio: round(r.timeRatio, 4),
      overshootDb: round(r.overshootDb, 4),
      finalErrorDb: round(r.finalErrorDb, 4),
      reversals: r.reversals,
      trackingFault: /FAULT tracking/.test(said),
      settled: r.settled,
    });
  }
  return runs;
}

function round(x: number, digits: number): number {
  const f = Math.pow(10, digits);
  return Math.round(x * f) / f;
}

function worst(xs: number[]): number {
  return xs.length ? Math.max(...xs) : NaN;
}

export function summarize(runs: VolumeRun[]) {
  const abs = (r: VolumeRun) => Math.abs(r.finalErrorDb);
  return {
    timeRatioMedian: round(median(runs.map((r) => r.timeRatio)), 4),
    timeRatioWorst: round(worst(runs.map((r) => r.timeRatio)), 4),
    overshootDbWorst: round(worst(runs.map((r) => r.overshootDb)), 4),
    finalErrorDbWorstAbove40: round(worst(runs.filter((r) => r.toDb >= -40).map(abs)), 4),
    finalErrorDbWorstTo60: round(worst(runs.filter((r) => r.toDb >= LOWEST_DB).map(abs)), 4),
    reversalsWorst: worst(runs.map((r) => r.reversals)),
    movesWithReversal: runs.filter((r) => r.reversals > 0).length,
    trackingFaults: runs.filter((r) => r.trackingFault).length,
    unsettled: runs.filter((r) => !r.settled).length,
  };
}

function tableOf(runs: VolumeRun[], steps: string[]): string {
  const rows: (string | number)[][] = [["step", "dir", "moves", "ratio median", "ratio worst", "overshoot worst dB", "final |err| worst dB", "reversals", "tracking flags"]];
  const f = (x: number, d = 3) => (x === x ? x.toFixed(d) : "-");
  for (const st of steps)
    for (const dir of ["down", "up"]) {
      const rs = runs.filter((r) => r.step === st && (dir === "down" ? r.toDb < r.fromDb : r.toDb > r.fromDb));
      if (!rs.length) continue;
      rows.push([
        st === FULL ? "full travel" : st + " dB",
        dir,
        rs.length,
        f(median(rs.map((r) => r.timeRatio))),
        f(worst(rs.map((r) => r.timeRatio))),
        f(worst(rs.map((r) => r.overshootDb))),
        f(worst(rs.map((r) => Math.abs(r.finalErrorDb)))),
        rs.filter((r) => r.reversals > 0).length,
        rs.filter((r) => r.trackingFault).length,
      ]);
    }
  const s = summarize(runs);
  rows.push(["all", "", runs.length, f(s.timeRatioMedian), f(s.timeRatioWorst), f(s.overshootDbWorst), f(s.finalErrorDbWorstTo60), s.movesWithReversal, s.trackingFaults]);
  const t = TARGETS;
  const ok = (v: number, lim: number) => (v <= lim ? "ok" : "MISSED");
  return (
    formatTable(rows) +
    "\n\n" +
    formatTable([
      ["summary", "measured", "target", "", "reading-passes-target reference"],
      ["time ratio median", f(s.timeRatioMedian), "<= " + t.timeRatioMedian, ok(s.timeRatioMedian, t.timeRatioMedian), REFERENCE.timeRatioMedian],
      ["time ratio worst", f(s.timeRatioWorst), "<= " + t.timeRatioWorst, ok(s.timeRatioWorst, t.timeRatioWorst), REFERENCE.timeRatioWorst],
      ["overshoot worst dB", f(s.overshootDbWorst), "<= " + t.overshootDb, ok(s.overshootDbWorst, t.overshootDb), REFERENCE.overshootDb],
      ["final error worst dB, targets >= -40 dB", f(s.finalErrorDbWorstAbove40), "<= " + t.finalAbove40Db, ok(s.finalErrorDbWorstAbove40, t.finalAbove40Db), REFERENCE.finalErrorDb],
      ["final error worst dB, targets >= -60 dB", f(s.finalErrorDbWorstTo60), "<= " + t.finalTo60Db, ok(s.finalErrorDbWorstTo60, t.finalTo60Db), REFERENCE.finalErrorDb],
      ["reversals worst (moves with any)", s.reversalsWorst + " (" + s.movesWithReversal + ")", "<= " + t.reversals, ok(s.reversalsWorst, t.reversals), "1"],
    ])
  );
}

export const volumeSection: BenchSection = {
  name: "volume",
  async run(ctx: BenchContext) {
    const code = fs.readFileSync(path.join(ctx.root, "dist", BOARD, "firmware.js"), "utf8");
    const units = ctx.quick ? QUICK_UNITS : UNITS;
    const steps = ctx.quick ? QUICK_STEPS : STEPS;
    const moves = volumeMoves(steps);
    const runs: VolumeRun[] = [];
    for (let i = 0; i < units; i++) {
      const seed = FIRST_SEED + i;
      runs.push(...unitRuns(code, seed, moves));
      ctx.progress(i + 1, units, "seed " + seed);
    }
    const json = {
      board: BOARD,
      units,
      seeds: [FIRST_SEED, FIRST_SEED + units - 1],
      targets: TARGETS,
      reference: REFERENCE,
      runs,
      summary: summarize(runs),
    };
    return { table: tableOf(runs, steps.map(String).concat(FULL)), json };
  },
};
