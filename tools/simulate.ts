// npm start                                   live front panel of a simulated amp (board pico)
// npm start -- --board mdbt42q --seed 7       another board / another unit
// npm start -- --scenario FILE --out DIR      headless: run a scenario, write DIR/plot.svg,
//                                             DIR/trace.csv, DIR/events.csv, DIR/plot.vl.json
// npm start -- --lines                        plain line mode (console only), also used when the
//                                             terminal is not interactive
// npm start -- --seconds S                    run S simulated seconds, print the console, exit
// Common: --no-build (use dist/<board>/firmware.js as it is). docs/simulator.md has the details.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as readline from "readline";
import { BOARDS } from "../boards/index";
import { parseScenario, ScenarioError } from "./scenario/format";
import { startProgress } from "./scenario/progress";
import { eventsCsv, refusedLines, runScenario, traceCsv, traceSummary } from "./scenario/runner";
import { SimSession } from "./scenario/session";

const ROOT = path.resolve(__dirname, "..");
/** Line mode: advance the sim this often in real time. */
const FRAME_MS = 20;

export interface SimulateArgs {
  board: string;
  seed: number;
  build: boolean;
  scenario?: string;
  out?: string;
  seconds?: number;
  lines: boolean;
  /** The browser control page (tools/web/server.ts) on this port. */
  web?: boolean;
  port?: number;
  /** Whether --board / --seed were given (they override a scenario's own settings). */
  boardGiven: boolean;
  seedGiven: boolean;
}

const DEFAULT_WEB_PORT = 8080;

const USAGE = `usage: npm start -- [--board ${Object.keys(BOARDS).join("|")}] [--seed N] [--no-build] [--lines]
       npm start -- --scenario FILE --out DIR [--board B] [--seed N] [--no-build]
       npm start -- --seconds S [--board B] [--seed N]
       npm start -- --web [--port P] [--board B] [--seed N]   the control page in a browser (http://localhost:P)`;

export function parseSimulateArgs(argv: string[]): SimulateArgs {
  const a: SimulateArgs = { board: "pico", seed: 1, build: true, lines: false, boardGiven: false, seedGiven: false };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = () => {
      const x = argv[++i];
      if (x === undefined || x.startsWith("--")) throw new Error(k + " needs a value");
      return x;
    };
    if (k === "--board") {
      a.board = v();
      a.boardGiven = true;
    } else if (k === "--seed") {
      const s = v();
      if (!/^\d+$/.test(s)) throw new Error("--seed needs a whole number, got " + s);
      a.seed = Number(s);
      a.seedGiven = true;
    } else if (k === "--scenario") a.scenario = v();
    else if (k === "--out") a.out = v();
    else if (k === "--seconds") a.seconds = Number(v());
    else if (k === "--no-build") a.build = false;
    else if (k === "--lines") a.lines = true;
    else if (k === "--web") a.web = true;
    else if (k === "--port") {
      const s = v();
      if (!/^\d+$/.test(s) || Number(s) > 65535) throw new Error("--port needs a port number, got " + s);
      a.port = Number(s);
    }
    else if (k === "--help" || k === "-h") throw new Error(USAGE);
    else throw new Error("unknown argument " + k + "\n" + USAGE);
  }
  if (!BOARDS[a.board]) throw new Error("unknown board " + a.board + " (known: " + Object.keys(BOARDS).join(", ") + ")");
  if (a.scenario && !a.out) throw new Error("--scenario needs --out DIR (where plot.svg and trace.csv go)");
  if (a.out && !a.scenario) throw new Error("--out goes with --scenario FILE");
  if (a.seconds !== undefined && !(a.seconds > 0)) throw new Error("--seconds needs a positive number");
  return a;
}

/** Builds the board's bundle (unless told not to) and returns its source. */
export function loadBundle(board: string, build: boolean): string {
  const file = path.join(ROOT, "dist", board, "firmware.js");
  if (build) {
    process.stderr.write(`building ${path.relative(ROOT, file)} if a source changed ...`);
    const t0 = Date.now();
    const b = spawnSync(process.execPath, [path.join(ROOT, "tools", "build.js"), "--board", board, "--quiet", "--if-stale"], { stdio: ["ignore", "ignore", "inherit"] });
    if (b.status !== 0) throw new Error("the build failed (see above); fix it or run with --no-build to use the last bundle");
    process.stderr.write(` ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  if (!fs.existsSync(file)) throw new Error(`${path.relative(ROOT, file)} does not exist: run npm run build (or drop --no-build)`);
  return fs.readFileSync(file, "utf8");
}

async function scenarioMode(a: SimulateArgs): Promise<number> {
  const file = a.scenario!;
  if (!fs.existsSync(file)) throw new Error("scenario file not found: " + file);
  const sc = parseScenario(fs.readFileSync(file, "utf8"), file);
  const boardName = a.boardGiven ? a.board : sc.board || a.board;
  if (!BOARDS[boardName]) throw new Error(`${file}: unknown board ${boardName}`);
  const seed = a.seedGiven ? a.seed : sc.seed ?? a.seed;
  const board = BOARDS[boardName];
  const code = loadBundle(boardName, a.build);

  const progress = startProgress(`scenario ${path.basename(file)}`);
  const trace = runScenario(sc, { board, code, seed, onProgress: (f) => progress.update(f, "simulating") });
  progress.update(1, "plotting");
  const { plotSpec, renderSvg } = await import("./plot/plot");
  const spec = plotSpec(trace);
  const svg = await renderSvg(spec);
  progress.done();

  fs.mkdirSync(a.out!, { recursive: true });
  const outFile = (n: string) => path.join(a.out!, n);
  fs.writeFileSync(outFile("trace.csv"), traceCsv(trace));
  fs.writeFileSync(outFile("events.csv"), eventsCsv(trace));
  fs.writeFileSync(outFile("plot.vl.json"), JSON.stringify(spec));
  fs.writeFileSync(outFile("plot.svg"), svg);
  for (const l of traceSummary(trace)) console.log(l);
  console.log(`wrote ${["plot.svg", "trace.csv", "events.csv", "plot.vl.json"].map(outFile).join(", ")}`);
  if (trace.errors.length) {
    console.error(`the firmware threw ${trace.errors.length} uncaught error(s):\n  ` + trace.errors.slice(0, 5).join("\n  "));
    return 3;
  }
  const refused = refusedLines(trace);
  if (refused.length) {
    console.error(`${file}: the firmware refused ${refused.length} console line(s): ` + refused.map((e) => e.text).join("; "));
    return 4;
  }
  return 0;
}

function secondsMode(a: SimulateArgs): number {
  const board = BOARDS[a.board];
  const s = new SimSession({ board, code: loadBundle(a.board, a.build), seed: a.seed });
  let shown = 0;
  const flush = () => {
    for (; shown < s.consoleLines.length; shown++) console.log(s.consoleLines[shown]);
  };
  for (let t = 0; t < a.seconds! * 1000; t += 100) {
    s.advance(100);
    flush();
  }
  s.command("status");
  s.advance(20);
  flush();
  return s.errors.length ? 1 : 0;
}

function lineMode(a: SimulateArgs): Promise<number> {
  const board = BOARDS[a.board];
  const s = new SimSession({ board, code: loadBundle(a.board, a.build), seed: a.seed });
  console.log(`simulated ${board.name} amp (seed ${a.seed}), line mode: type console commands, "quit" to leave`);
  let shown = 0;
  const timer = setInterval(() => {
    s.advance(FRAME_MS);
    for (; shown < s.consoleLines.length; shown++) if (!s.consoleLines[shown].startsWith("> ")) console.log(s.consoleLines[shown]);
  }, FRAME_MS);
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, prompt: "> " });
  rl.prompt();
  return new Promise((resolve) => {
    rl.on("line", (line) => {
      if (line.trim() === "quit") rl.close();
      else if (line.trim()) s.command(line.trim());
      setTimeout(() => rl.prompt(), FRAME_MS * 3);
    });
    rl.on("close", () => {
      // Input ended (Ctrl-D, or the end of piped input): let the last replies arrive first.
      setTimeout(() => {
        clearInterval(timer);
        resolve(s.errors.length ? 1 : 0);
      }, FRAME_MS * 5);
    });
  });
}

async function webMode(a: SimulateArgs): Promise<number> {
  const { startWebServer } = await import("./web/server");
  const w = await startWebServer({ board: BOARDS[a.board], code: loadBundle(a.board, a.build), seed: a.seed, port: a.port ?? DEFAULT_WEB_PORT });
  console.log(`simulated ${a.board} amp (seed ${a.seed}): open http://localhost:${w.port}/?sim in Chrome or Edge (Ctrl-C stops)`);
  return new Promise<number>((resolve) => {
    process.once("SIGINT", () => w.close().then(() => resolve(w.session.errors.length ? 1 : 0)));
  });
}

async function main(): Promise<number> {
  const a = parseSimulateArgs(process.argv.slice(2));
  if (a.scenario) return scenarioMode(a);
  if (a.web) return webMode(a);
  if (a.seconds !== undefined) return secondsMode(a);
  if (a.lines || !process.stdin.isTTY || !process.stdout.isTTY) {
    if (!a.lines) console.error("(not an interactive terminal: plain line mode; the front panel needs a terminal)");
    return lineMode(a);
  }
  const { runPanel } = await import("./panel/app");
  return runPanel({ board: a.board, seed: a.seed, code: loadBundle(a.board, a.build) });
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      const msg = e instanceof ScenarioError ? e.message : (e as Error).message || String(e);
      console.error("simulate: " + msg);
      process.exit(2);
    },
  );
}
