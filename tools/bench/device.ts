// The firmware on the real Espruino interpreter (tools/device/runDevice.ts): each board's flashed
// bundle at rest for DEVICE_S seconds of paced device time, at a Pico's cost per token. Per periodic
// callback: calls per second, mean and worst ms, the share of the CPU it takes and how late it
// started at worst; JsVars at the end; then the same with the pot moving (two long moves). The
// targets are issue 9's.
import { BOARDS } from "../../boards/index";
import { CpuLine, DeviceRun, interpreterMissing, PICO_NS_PER_TOKEN, runOnDevice, Step } from "../device/runDevice";
import { BenchSection, formatTable } from "./section";

/** From boot: the boot move and the volume unit's settling after it (volumeUnit SETTLE_MS) are over. */
const SETTLE_MS = 14000;
const DEVICE_S = 20;
const QUICK_DEVICE_S = 5;
const CPU_AT_REST_TARGET = 10;
const CPU_MOVING_TARGET = 30;
/** Moves for the moving window: the pot travels most of it (~4 s each on a 12 s pot). */
const MOVES = ["vol -45", "vol -25"];
const MOVE_EVERY_MS = 4000;
const JSVARS_TARGET = 60;
/** The firmware's periodic callbacks by the period they are started with. */
const CALLBACK_NAMES: Record<number, string> = {
  10: "control tick (10 ms moving, 100-500 ms at rest)",
  50: "change watch: decks, rail, jacks, heat (50 ms)",
  5: "DC fast scan (5 ms)",
};

export const deviceSection: BenchSection = {
  name: "device",
  async run(ctx) {
    const missing = interpreterMissing();
    if (missing) return { table: "skipped: " + missing, json: { skipped: missing } };
    const secs = ctx.quick ? QUICK_DEVICE_S : DEVICE_S;
    const end = SETTLE_MS + secs * 1000;
    const rows: (string | number)[][] = [["board", "callback", "calls/s", "mean ms", "worst ms", "% CPU", "target", "worst late ms", "JsVars"]];
    const json: Record<string, unknown> = {};
    const names = Object.keys(BOARDS);
    const callbacks = (cpu: CpuLine[], fallbackMs: number, phase: string, board: string, memText: string) =>
      cpu.map((c) => {
        const ms = (t: number) => (t * PICO_NS_PER_TOKEN) / 1e6;
        const win = c.windowMs || fallbackMs; // the device time the counts cover
        const perS = (1000 * c.calls) / win;
        const mean = c.calls ? ms(c.tokens / c.calls) : 0;
        const cpuPct = (100 * ms(c.tokens)) / win;
        const name = (CALLBACK_NAMES[c.periodMs] || `every ${c.periodMs} ms`) + phase;
        rows.push([board, name, perS.toFixed(1), mean.toFixed(2), ms(c.worstTokens).toFixed(2), cpuPct.toFixed(1), "", c.worstLateMs.toFixed(1), memText]);
        return { callback: name, periodMs: c.periodMs, callsPerS: perS, meanMs: mean, worstMs: ms(c.worstTokens), cpuPercent: cpuPct, worstLateMs: c.worstLateMs };
      });
    names.forEach((board, i) => {
      const script: Step[] = [[SETTLE_MS, "cpuReset"], [end, "cpu"], [end, "mem"], [end + 10, "end"]];
      const run = runOnDevice({ board, script });
      const mem = run.mem[0];
      const memText = mem ? `${mem.used}/${mem.total} (${Math.round((100 * mem.used) / mem.total)} %, <= ${JSVARS_TARGET} %)` : "did not boot";
      if (!run.cpu.length) rows.push([board, "-", "-", "-", "-", "-", "-", "-", run.errors[0] ? "did not boot: " + run.errors[0].slice(0, 40) : memText]);
      // out of memory: what it needs, on the Pico's interpreter (5,100 JsVars; the model included)
      let needs: { used: number; total: number } | null = null;
      if (run.errors.length && board !== "pico") {
        const big = runOnDevice({ board, interpreter: "pico", script });
        if (big.mem[0] && !big.errors.length) needs = big.mem[0];
        const what = needs ? `needs ${needs.used} JsVars (measured on the Pico's ${needs.total})` : "needs more than the Pico's 5,100 JsVars";
        rows.push([board, "errors: " + run.errors[0].slice(0, 50), "", "", "", "", "", "", what]);
      }
      const cbs = callbacks(run.cpu, secs * 1000, "", board, memText);
      // all the firmware's work in the window: the callbacks above, and its timeouts (the brake,
      // a mux scan's steps), watches and console handling
      const all = (r: DeviceRun, sum: number) => (r.cpuAll[0] ? (100 * r.cpuAll[0].tokens * PICO_NS_PER_TOKEN) / 1e6 / r.cpuAll[0].windowMs : sum);
      const total = all(run, cbs.reduce((s, c) => s + c.cpuPercent, 0));
      if (cbs.length) rows.push([board, "all, at rest (timeouts and watches too)", "", "", "", total.toFixed(1), `<= ${CPU_AT_REST_TARGET}`, "", ""]);
      // moving: the pot driven back and forth, a move every MOVE_EVERY_MS
      let moving: unknown = null;
      if (run.cpu.length && !run.errors.length) {
        const mv: Step[] = [[SETTLE_MS, "cpuReset"]];
        MOVES.forEach((m, k) => mv.push([SETTLE_MS + 1 + k * MOVE_EVERY_MS, "line", m]));
        const mvEnd = SETTLE_MS + MOVES.length * MOVE_EVERY_MS;
        mv.push([mvEnd, "cpu"], [mvEnd + 10, "end"]);
        const mrun = runOnDevice({ board, script: mv });
        const mcbs = callbacks(mrun.cpu, MOVES.length * MOVE_EVERY_MS, ", moving", board, "");
        const mtotal = all(mrun, mcbs.reduce((s, c) => s + c.cpuPercent, 0));
        rows.push([board, "all, moving (timeouts and watches too)", "", "", "", mtotal.toFixed(1), `<= ${CPU_MOVING_TARGET}`, "", ""]);
        moving = { callbacks: mcbs, cpuPercent: mtotal, errors: mrun.errors };
      }
      json[board] = { deviceSeconds: secs, nsPerToken: PICO_NS_PER_TOKEN, callbacks: cbs, cpuPercentAtRest: total, moving, jsVars: mem || null, jsVarsNeeded: needs, errors: run.errors };
      ctx.progress(i + 1, names.length, board);
    });
    return { table: formatTable(rows), json };
  },
};
