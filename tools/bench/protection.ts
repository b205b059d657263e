// Protection latency per fault class, on the built bundles in the simulated amp: sim time from
// the fault appearing at the sensor to the output relay's contact opening (amp.outputConnected()
// false), across seeds (unit spread: relay release times, AC detection, thermal lag) and tick
// phases (where between two 10 ms ticks the fault lands).
//
//   dcStep       a ±1 V step on one leg (legs and signs rotate)
//   dcCreep      one leg ramps at CREEP_V_PER_S; "appears" when it crosses the ±dcWindowV window
//   overCurrent  a short on one channel: the comparator fires as it is set
//   thermal      heat sink from 65 °C to 300 °C; "appears" when the thermistor itself reaches tripC
//                (the heat sink is read every 50 ticks, so this one is up to 0.5 s by design)
//   acLoss       mains off; "appears" when the AC-sense pin drops (acDetectMs after the mains)
import { Board } from "../../boards/board";
import { BOARDS } from "../../boards/index";
import { createSimAmp, SimAmpOptions } from "../../hal/sim/amp";
import { bootBundle } from "../../hal/sim/espruinoEmu";
import { SimAmp } from "../../hal/sim/types";
import { readBundle } from "../../test/helpers/device";
import { BenchSection, formatTable, median } from "./section";

const CLASSES = ["dcStep", "dcCreep", "overCurrent", "thermal", "acLoss"] as const;
type FaultClass = (typeof CLASSES)[number];
/** Where the fault lands within a tick: PHASES evenly spread offsets over one tick. */
const PHASES = 10;
const SEEDS = 8;
const QUICK_SEEDS = 2;
/** Time to wait after boot: the power-on delay has passed and the output is connected. */
const SETTLED_MS = 1500;
/** Latency is measured to this resolution. */
const STEP_MS = 0.05;
const CREEP_V_PER_S = 0.2;
const THERMAL_FROM_C = 65;
const THERMAL_TO_C = 300;
const BOUNCE_MS = 200;
/** Give up if the output has not connected by then after SETTLED_MS. */
const CONNECT_LIMIT_MS = 15000;
/** Give up (and report it) if the relay has not opened by then. */
const LIMIT_MS = 3000;

/** Advance in small steps until cond() or the limit; returns the time it took (Infinity if not). */
function until(amp: SimAmp, cond: () => boolean, limitMs: number, each?: (t: number) => void): number {
  const t0 = amp.clock.nowMs();
  while (!cond()) {
    const t = amp.clock.nowMs() - t0;
    if (t > limitMs) return Infinity;
    if (each) each(t);
    amp.clock.advance(STEP_MS);
  }
  return amp.clock.nowMs() - t0;
}

/** One case: boot, settle, land the fault at the given phase; latency in ms (Infinity: never). */
export function measure(board: Board, code: string, kind: FaultClass, seed: number, phase: number): number {
  const opts: SimAmpOptions = { seed };
  if (kind === "thermal") opts.heatsinkC = THERMAL_FROM_C;
  const amp = createSimAmp(board, opts);
  const dev = bootBundle({ board, amp, code });
  // (the output connects once the power-on delay is over and the pot is down to the start-up
  // level: from a shaft left high that takes the pot's travel)
  amp.clock.advance(SETTLED_MS);
  until(amp, () => amp.outputConnected(), CONNECT_LIMIT_MS);
  amp.clock.advance(BOUNCE_MS); // (the relay's contacts bounce as they close)
  amp.clock.advance((phase * board.tickMs) / PHASES + ((seed * 0.37) % 1) * (board.tickMs / PHASES));
  if (!amp.outputConnected() || dev.errors.length) throw new Error(`${board.name} seed ${seed}: not connected before the ${kind} case (${dev.errors.join("; ")})`);
  const connected = () => !amp.outputConnected();
  const leg = ((seed + phase) % 4) as 0 | 1 | 2 | 3;
  const sign = (seed + phase) % 2 ? 1 : -1;
  switch (kind) {
    case "dcStep":
      amp.setLegDc(leg, sign);
      return until(amp, connected, LIMIT_MS);
    case "overCurrent":
      amp.setShort(seed % 2 ? "left" : "right", true);
      return until(amp, connected, LIMIT_MS);
    case "dcCreep": {
      // ramp from 0; the window is crossed at window / slope
      const window = board.protection.dcWindowV;
      const appear = (window / CREEP_V_PER_S) * 1000;
      const took = until(amp, connected, LIMIT_MS, (t) => amp.setLegDc(leg, (sign * CREEP_V_PER_S * t) / 1000));
      return took - appear;
    }
    case "thermal": {
      // The thermistor follows the heat sink first-order: it reaches tripC after tau ln(...).
      amp.setHeatsinkC(THERMAL_TO_C);
      const tripC = board.protection.thermal.tripC;
      amp.clock.advance(amp.unit.thermalTauS * 1000 * Math.log((THERMAL_FROM_C - THERMAL_TO_C) / (tripC - THERMAL_TO_C)));
      if (amp.thermistorC() < tripC - 1e-6) throw new Error("thermal: thermistor not at trip yet");
      return until(amp, connected, LIMIT_MS);
    }
    case "acLoss": {
      amp.setAcPresent(false);
      amp.clock.advance(amp.unit.acDetectMs); // the AC-sense pin drops now
      if (amp.pinLevel(board.pins.acSense)) throw new Error("acLoss: AC-sense pin still high");
      return until(amp, connected, LIMIT_MS);
    }
  }
}

export const protectionSection: BenchSection = {
  name: "protection",
  async run(ctx) {
    const seeds = ctx.quick ? QUICK_SEEDS : SEEDS;
    const all: Record<string, number[]> = {};
    const byBoard: Record<string, Record<string, number[]>> = {};
    const names = Object.keys(BOARDS);
    const total = names.length * CLASSES.length;
    let done = 0;
    for (const name of names) {
      const board = BOARDS[name];
      const code = readBundle(name);
      byBoard[name] = {};
      for (const kind of CLASSES) {
        const xs: number[] = [];
        for (let seed = 1; seed <= seeds; seed++) for (let ph = 0; ph < PHASES; ph++) xs.push(measure(board, code, kind, seed, ph));
        byBoard[name][kind] = xs;
        all[kind] = (all[kind] || []).concat(xs);
        ctx.progress(++done, total, `${name} ${kind}`);
      }
    }
    const tickMs = BOARDS[names[0]].tickMs;
    const fmt = (x: number) => (x === Infinity ? "never" : x.toFixed(2));
    const rows: (string | number)[][] = [["fault", "board", "cases", "median ms", "worst ms", "target"]];
    const targets: Record<FaultClass, string> = {
      dcStep: "<= 10",
      dcCreep: "-",
      overCurrent: "-",
      thermal: "-",
      acLoss: `<= tick + release`,
    };
    const latencyMs: Record<string, { median: number; worst: number }> = {};
    for (const kind of CLASSES) {
      for (const name of names) {
        const xs = byBoard[name][kind];
        const b = BOARDS[name];
        const target = kind === "acLoss" ? `<= ${b.tickMs + b.relayTiming.releaseMs}` : targets[kind];
        rows.push([kind, name, xs.length, fmt(median(xs)), fmt(Math.max(...xs)), target]);
      }
      const xs = all[kind];
      latencyMs[kind] = { median: round(median(xs)), worst: round(Math.max(...xs)) };
    }
    return { table: formatTable(rows), json: { tickMs, latencyMs } };
  },
};

function round(x: number): number {
  return x === Infinity ? x : Math.round(x * 100) / 100;
}
