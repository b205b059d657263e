// Scenario files: a plain text format, one item per line, `#` starts a comment.
//
//   title Volume sweep and back      settings: a keyword and its value, anywhere in the file
//   seed 3
//   duration 12                      seconds of simulated time (default: last step + 3 s)
//   0      console vol -40           steps: a time in seconds, then an action (actions.ts)
//   1.5    knob +10 30
//   +2     ir vol+ 5                 "+2" = 2 s after the previous step
//
// Settings: title TEXT, board NAME, seed N, duration S, sample MS (trace period, default 5),
// status MS (status poll period, default 100, at least 60, 0 = never), start-deg DEG,
// plugged OUT[,OUT...].
// Every line is checked before anything runs; errors name the file and line.
import { OUTPUT_NAMES, OutputName } from "../../boards/board";
import { Action, parseAction } from "./actions";

export const DEFAULT_SAMPLE_MS = 5;
/** The firmware takes at most 20 console lines a second (more is a flood, dropped): polling the
 *  status 10 times a second leaves half of that for the scenario's own console lines. */
export const DEFAULT_STATUS_MS = 100;
export const MIN_STATUS_MS = 60;
/** Simulated time after the last step when no duration is given, ms. */
export const DEFAULT_TAIL_MS = 3000;
/** A scenario longer than this is almost certainly a typo (hours, not seconds). */
const MAX_DURATION_S = 3600;

export interface ScenarioStep {
  atMs: number;
  action: Action;
  /** The action's text as written, and its line number (1-based). */
  text: string;
  line: number;
}

export interface Scenario {
  title: string;
  board?: string;
  seed?: number;
  durationMs: number;
  sampleMs: number;
  statusMs: number;
  startDeg?: number;
  plugged: OutputName[];
  steps: ScenarioStep[];
}

export class ScenarioError extends Error {}

export function parseScenario(text: string, fileName = "scenario"): Scenario {
  const sc: Scenario = { title: "", durationMs: NaN, sampleMs: DEFAULT_SAMPLE_MS, statusMs: DEFAULT_STATUS_MS, plugged: [], steps: [] };
  let lastMs = 0;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const where = `${fileName}:${i + 1}`;
    const line = lines[i].replace(/#.*$/, "").trim();
    if (!line) continue;
    const m = /^(\+?)(\d+(?:\.\d*)?|\.\d+)(?:\s+(.*))?$/.exec(line);
    try {
      if (m) {
        if (!m[3]) throw new Error("a time needs an action after it");
        const s = parseFloat(m[2]);
        const atMs = Math.round((m[1] ? lastMs / 1000 + s : s) * 1e6) / 1e3;
        if (atMs < lastMs) throw new Error(`time ${s} s is before the previous step (${lastMs / 1000} s): steps go in time order`);
        sc.steps.push({ atMs, action: parseAction(m[3]), text: m[3].trim(), line: i + 1 });
        lastMs = atMs;
        continue;
      }
      setting(sc, line);
    } catch (e) {
      throw new ScenarioError(`${where}: ${(e as Error).message}`);
    }
  }
  if (sc.durationMs !== sc.durationMs) sc.durationMs = lastMs + DEFAULT_TAIL_MS;
  if (sc.durationMs < lastMs) throw new ScenarioError(`${fileName}: duration ${sc.durationMs / 1000} s ends before the last step at ${lastMs / 1000} s`);
  if (!sc.title) sc.title = fileName.replace(/^.*[\\/]/, "").replace(/\.[^.]*$/, "");
  return sc;
}

function positive(v: string, what: string, allowZero = false): number {
  const n = /^\d+(\.\d*)?$/.test(v) ? parseFloat(v) : NaN;
  if (!(n > 0 || (allowZero && n === 0))) throw new Error(`${what}: expected a ${allowZero ? "non-negative" : "positive"} number, got ${JSON.stringify(v)}`);
  return n;
}

function setting(sc: Scenario, line: string): void {
  const sp = line.search(/\s/);
  const key = sp < 0 ? line : line.slice(0, sp);
  const value = sp < 0 ? "" : line.slice(sp).trim();
  if (!value) throw new Error(`"${key}" needs a value (or is this a step without its time?)`);
  switch (key) {
    case "title":
      sc.title = value;
      return;
    case "board":
      sc.board = value;
      return;
    case "seed": {
      if (!/^\d+$/.test(value)) throw new Error(`seed: expected a whole number, got ${JSON.stringify(value)}`);
      sc.seed = Number(value);
      return;
    }
    case "duration": {
      const s = positive(value, "duration");
      if (s > MAX_DURATION_S) throw new Error(`duration: ${s} s is longer than ${MAX_DURATION_S} s`);
      sc.durationMs = s * 1000;
      return;
    }
    case "sample":
      sc.sampleMs = positive(value, "sample");
      return;
    case "status":
      sc.statusMs = positive(value, "status", true);
      if (sc.statusMs > 0 && sc.statusMs < MIN_STATUS_MS) throw new Error(`status: polling faster than every ${MIN_STATUS_MS} ms floods the firmware's console (20 lines/s)`);
      return;
    case "start-deg":
      sc.startDeg = positive(value, "start-deg", true);
      return;
    case "plugged":
      sc.plugged = value.split(/[\s,]+/).map((o) => {
        if ((OUTPUT_NAMES as string[]).indexOf(o) < 0) throw new Error(`plugged: unknown output ${JSON.stringify(o)} (${OUTPUT_NAMES.join(", ")})`);
        return o as OutputName;
      });
      return;
    default:
      throw new Error(`unknown setting ${JSON.stringify(key)}: a step starts with its time in seconds; settings are title, board, seed, duration, sample, status, start-deg, plugged`);
  }
}
