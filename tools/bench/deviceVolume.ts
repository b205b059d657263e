// The closed-loop volume bench on the real Espruino interpreter (issue 9 item 5): the Pico's
// flashed bundle on the paced clock, the shaft modelled in ES5 inside the interpreter
// (tools/device/hardware.js), on UNITS simulated units (taper and motor speed differ) and MOVES
// each, requested through the console as a user would. The units off the nominal taper are
// calibrated first ("cal start"), as at the factory.
//
// Per move: time from the request to the last instant the shaft moved, against the oracle (this
// model's motor driven ideally: full drive, then the brake at the one instant that stops it on the
// target, to the same stillness), overshoot past the target in the direction of travel and final
// error in the level the decks read, and drive reversals. Targets as in the Node bench.
import { DeviceRun, interpreterMissing, MovedLine, runOnDevice, Step } from "../device/runDevice";
import { BenchSection, formatTable, median } from "./section";
import { TARGETS } from "./volume";
import { MoveResult } from "./volumeOracle";

const BOARD = "pico";
/** The model's spin-up and braking time constant (hardware.js: first order, 25 ms). */
const SPIN_S = 0.025;
/** Slower than this (share of travel per second) the model's shaft counts as still (hardware.js HW_STILL). */
const STILL = 0.001;
/** Requested levels, in order, from the level boot left (dB). */
const MOVES = [-10, -30, -20, -40, -5];
const QUICK_MOVES = [-10, -30];
const MOVE_EVERY_MS = 12000;
/** The report comes this long after the request: every move here is over by then. */
const REPORT_AFTER_MS = 11500;
/** Moves start once boot's own move has settled, or once a calibration is over (~82 s). */
const FIRST_MOVE_MS = 14000;
const FIRST_MOVE_CALIBRATED_MS = 90000;
const CAL_AT_MS = 6000;

interface Unit {
  name: string;
  /** 0: the nominal 15A curve; else the straight two-segment line with this ratio at half travel. */
  taperHalf: number;
  fullTravelS: number;
}
/** The nominal unit, and the catalogue's taper tolerance at both ends with a slow and a fast motor. */
const UNITS: Unit[] = [
  { name: "nominal 15A, 12 s", taperHalf: 0, fullTravelS: 12 },
  { name: "12 % at half, 13 s", taperHalf: 0.12, fullTravelS: 13 },
  { name: "18 % at half, 11 s", taperHalf: 0.18, fullTravelS: 11 },
];

/** A scored move: the Node bench's measures (MoveResult), with the unit and the levels it ran between. */
export interface DeviceMove extends MoveResult {
  unit: string;
  fromDb: number;
  toDb: number;
  /** Distance at the unit's top speed: the instant the oracle brakes. */
  topSpeedS: number;
}

/** The oracle for this model: from rest at full drive, the brake stops the shaft a time constant's
 *  travel past where it was braked, x(T) + v(T)*SPIN_S, which is exactly vmax*T: so it brakes at the
 *  distance at top speed, then its speed decays below STILL. */
export function oracleS(distance: number, fullTravelS: number): { brakeS: number; totalS: number } {
  const brakeS = distance * fullTravelS;
  const v = (1 - Math.exp(-brakeS / SPIN_S)) / fullTravelS;
  return { brakeS, totalS: brakeS + (v > STILL ? SPIN_S * Math.log(v / STILL) : 0) };
}

export function scoreMove(unit: Unit, m: MovedLine): DeviceMove {
  const dir = m.goal.x > m.start.x ? 1 : -1;
  const o = oracleS(Math.abs(m.goal.x - m.start.x), unit.fullTravelS);
  const past = dir > 0 ? m.hi.db - m.db : m.db - m.lo.db;
  const timeS = m.lastMoveMs / 1000;
  return {
    unit: unit.name,
    fromDb: m.start.db,
    toDb: m.db,
    timeS,
    topSpeedS: o.brakeS,
    oracleTimeS: o.totalS,
    timeRatio: o.totalS > 0 ? timeS / o.totalS : 1,
    overshootDb: past > 0 ? past : 0,
    finalErrorDb: m.end.db - m.db,
    reversals: m.reversals,
    settled: m.still,
  };
}

function runUnit(unit: Unit, moves: number[]): DeviceRun {
  const calibrate = unit.taperHalf > 0;
  const first = calibrate ? FIRST_MOVE_CALIBRATED_MS : FIRST_MOVE_MS;
  const script: Step[] = [[2000, "line", "out se63"]];
  if (calibrate) script.push([CAL_AT_MS, "line", "cal start"]);
  moves.forEach((db, i) => script.push([first + i * MOVE_EVERY_MS, "move", db], [first + i * MOVE_EVERY_MS + REPORT_AFTER_MS, "moved"]));
  script.push([first + moves.length * MOVE_EVERY_MS, "end"]);
  // the 6.3 mm jack alone: single-ended, no output cap, as in the Node bench
  return runOnDevice({ board: BOARD, script, jacks: 8, taperHalf: unit.taperHalf || undefined, fullTravelS: unit.fullTravelS });
}

const f = (x: number, d: number) => (Number.isFinite(x) ? x.toFixed(d) : String(x));

export const deviceVolumeSection: BenchSection = {
  name: "deviceVolume",
  async run(ctx) {
    const missing = interpreterMissing();
    if (missing) return { table: "skipped: " + missing, json: { skipped: missing } };
    const units = ctx.quick ? UNITS.slice(0, 1) : UNITS;
    const moves = ctx.quick ? QUICK_MOVES : MOVES;
    const runs: DeviceMove[] = [];
    const errors: string[] = [];
    const faults: string[] = [];
    units.forEach((u, i) => {
      const run = runUnit(u, moves);
      errors.push(...run.errors.map((e) => u.name + ": " + e));
      faults.push(...run.usb.filter((l) => l.text.startsWith("FAULT ")).map((l) => u.name + ": " + l.text));
      for (const m of run.moved) runs.push(scoreMove(u, m));
      if (run.moved.length !== moves.length) errors.push(`${u.name}: ${run.moved.length} of ${moves.length} moves reported`);
      ctx.progress(i + 1, units.length, u.name);
    });
    const rows: (string | number)[][] = [["unit", "from dB", "to dB", "time s", "top-speed s", "oracle s", "ratio", "overshoot dB", "final dB", "reversals", "still"]];
    for (const r of runs) rows.push([r.unit, f(r.fromDb, 2), r.toDb, f(r.timeS, 3), f(r.topSpeedS, 3), f(r.oracleTimeS, 3), f(r.timeRatio, 3), f(r.overshootDb, 3), f(r.finalErrorDb, 3), r.reversals, r.settled ? "yes" : "NO"]);
    const ratios = runs.map((r) => r.timeRatio);
    const above40 = runs.filter((r) => r.toDb >= -40).map((r) => Math.abs(r.finalErrorDb));
    const summary = {
      timeRatioMedian: median(ratios),
      timeRatioWorst: Math.max(...ratios),
      overshootWorstDb: Math.max(...runs.map((r) => r.overshootDb)),
      finalWorstAbove40Db: Math.max(...above40),
      reversalsWorst: Math.max(...runs.map((r) => r.reversals)),
      allStill: runs.every((r) => r.settled),
    };
    const ok = (v: number, t: number) => f(v, 3) + (v <= t ? "  ok" : "  MISSED");
    const sum = formatTable([
      ["summary (Pico, paced)", "measured", "target"],
      ["time ratio median", ok(summary.timeRatioMedian, TARGETS.timeRatioMedian), "<= " + TARGETS.timeRatioMedian],
      ["time ratio worst", ok(summary.timeRatioWorst, TARGETS.timeRatioWorst), "<= " + TARGETS.timeRatioWorst],
      ["overshoot worst dB", ok(summary.overshootWorstDb, TARGETS.overshootDb), "<= " + TARGETS.overshootDb],
      ["final error worst, >= -40 dB", ok(summary.finalWorstAbove40Db, TARGETS.finalAbove40Db), "<= " + TARGETS.finalAbove40Db],
      ["reversals worst", ok(summary.reversalsWorst, TARGETS.reversals), "<= " + TARGETS.reversals],
    ]);
    const notes = [errors.length ? "errors: " + errors.join("; ") : "", faults.length ? "faults: " + faults.join("; ") : ""].filter(Boolean).join("\n");
    return {
      table: formatTable(rows) + "\n\n" + sum + (notes ? "\n\n" + notes : ""),
      json: { board: BOARD, units, moves, targets: TARGETS, summary, runs, errors, faults },
    };
  },
};
