// Runs a built bundle on the real Espruino interpreter (../shared/espruino, 2v29 built for this
// host) the way a board runs it: the hardware model goes into `.boot0`, the flash tool's own dry-run
// upload writes `.bootcde` and calls load(), and the paced clock charges the firmware's work at a
// Pico's cost per token. A run is deterministic: same bundle, same script, same output.
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { minify_sync } from "terser";
import { Board } from "../../boards/board";
import { BOARDS } from "../../boards";

const ROOT = path.resolve(__dirname, "..", "..");
/** Where CI and developers' machines keep the interpreter: shared/ beside the clone. */
export const INTERPRETER_DIR = process.env.ESPRUINO_HOST_DIR || path.resolve(ROOT, "..", "shared", "espruino");
/** Nanoseconds per lexer token on a Pico (the interpreter's README: a published Pico figure). */
export const PICO_NS_PER_TOKEN = 13086;

export type Step = [atMs: number, action: "line" | "dc" | "ac" | "pos" | "move" | "moved" | "mem" | "cpu" | "cpuReset" | "prof" | "gap" | "end", arg?: unknown];

export interface DeviceOptions {
  board: string;
  script: Step[];
  /** Shaft position at power-on, 0..1 of travel. */
  startX?: number;
  /** The pot is the straight two-segment 15A line with this share of the ratio at half travel
   *  (0.12..0.18 in the catalogue's ±20 %), not the nominal curve. */
  taperHalf?: number;
  /** This unit's motor: seconds end to end at full drive (default: the board's pot.fullTravelS). */
  fullTravelS?: number;
  /** Print every motor command with the shaft's state ("HW drive a b x dB v ms" lines in out). */
  traceDrive?: boolean;
  /** Jack insertion mask (bit i = OUTPUT_NAMES[i]); default: the 3.5 mm TRRS plugged. */
  jacks?: number;
  /** Folder whose espruino.flash persists across runs (a reboot); a fresh one by default. */
  flashDir?: string;
  /** Skip the upload: boot what is already in flashDir's Storage (a power cycle). */
  reboot?: boolean;
  nsPerToken?: number;
  /** Per-function token profile (the interpreter's ESP_PACE_PROFILE): "prof" steps print it. */
  profile?: boolean;
  /** Run on another board's interpreter (its JsVar count): what a bundle that does not fit needs. */
  interpreter?: string;
}

/** A measured move: the request (dB) sent at the "move" step; where the shaft started, where the
 *  decks read the target, the path's highest and lowest points and where it is at "moved", each
 *  as a position (0..1 of travel) and the level the decks read there (dB); the last instant it
 *  moved (ms after the request), the drive's reversals, and whether it is still. */
export interface MovedLine {
  db: number;
  start: ShaftAt;
  goal: ShaftAt;
  hi: ShaftAt;
  lo: ShaftAt;
  end: ShaftAt;
  lastMoveMs: number;
  reversals: number;
  still: boolean;
  ms: number;
}
export interface ShaftAt { x: number; db: number }

/** One periodic callback over the window since the last cpuReset (windowMs of device time). */
export interface CpuLine { periodMs: number; calls: number; tokens: number; worstTokens: number; worstLateMs: number; windowMs: number }

export interface DeviceRun {
  out: string;
  /** Lines the firmware wrote to its console, with the device time in ms. */
  usb: { ms: number; text: string }[];
  /** Output relay edges. */
  relay: { closed: boolean; ms: number }[];
  mem: { used: number; total: number; ms: number }[];
  /** Per "gap" step: the longest time (ms) the legs went unread since the step before, and how
   *  many times that was over 10 ms (the DC fast path's looks: its scan and the polls). */
  gaps: { maxMs: number; over: number; ms: number }[];
  cpu: CpuLine[];
  /** Every token the firmware used in the cpu window (the periodic callbacks, and its timeouts,
   *  watches and console handling too), per "cpu" step. */
  cpuAll: { tokens: number; windowMs: number }[];
  pos: { x: number; db: number; ms: number }[];
  /** Per "move"/"moved" pair: the shaft's path (positions 0..1 of travel). */
  moved: MovedLine[];
  errors: string[];
  ended: boolean;
}

/** Why the interpreter cannot run here, or null when it can. */
export function interpreterMissing(): string | null {
  const run = path.join(INTERPRETER_DIR, "run");
  if (!fs.existsSync(run)) return `no Espruino host interpreter at ${INTERPRETER_DIR} (set ESPRUINO_HOST_DIR)`;
  const native = spawnSync(path.join(INTERPRETER_DIR, "espruino-pico.elf"), ["--help"], { encoding: "utf8" });
  if ((native.stdout || "").indexOf("Usage") >= 0) return null;
  const qemu = spawnSync("sh", ["-c", "command -v qemu-i386"], { encoding: "utf8" });
  return qemu.status === 0 ? null : "this kernel cannot run 32-bit programs and qemu-i386 is missing (apt-get install -y qemu-user)";
}

const uploads: { [board: string]: { mtime: number; text: string } } = {};

/** The text `npm run flash -- --dry-run` writes for the built bundle (cached per bundle build). */
export function uploadFor(board: string): string {
  const bundle = path.join(ROOT, "dist", board, "firmware.js");
  const mtime = fs.statSync(bundle).mtimeMs;
  const hit = uploads[board];
  if (hit && hit.mtime === mtime) return hit.text;
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "amp-upload-")), "upload.js");
  execFileSync(process.execPath, [path.join(ROOT, "tools", "ts.js"), path.join(ROOT, "tools", "flash.ts"), "--board", board, "--dry-run", "--no-build", "--out", out], { stdio: "pipe" });
  const text = fs.readFileSync(out, "utf8");
  uploads[board] = { mtime, text };
  return text;
}

/** Pin roles the model needs, from the board file (boards are data). */
function hardwareConfig(board: Board, o: DeviceOptions): object {
  const roles: { [pin: string]: string } = {};
  const pinOf: { [role: string]: string } = {};
  const role = (pin: string, r: string) => {
    roles[pin] = r;
    pinOf[r] = pin;
  };
  for (const [r, pin] of Object.entries(board.pins)) role(pin, r);
  const dc = board.dcSense;
  if (dc.kind === "direct") dc.pins.forEach((p, i) => role(p, "leg" + i));
  else {
    role(dc.adc, "dcMux");
    role(dc.select[0], "mux0");
    role(dc.select[1], "mux1");
  }
  const rl = board.relays;
  if (rl.kind === "shift595") {
    role(rl.data, "srData");
    role(rl.clock, "srClock");
    role(rl.latch, "srLatch");
  }
  return {
    roles,
    pinOf,
    srData: pinOf.srData,
    mux0: pinOf.mux0,
    mux1: pinOf.mux1,
    startX: o.startX ?? 0.3,
    taperHalf: o.taperHalf ?? 0,
    jacks: o.jacks ?? 2,
    deadZone: board.motor.minDuty * 0.8,
    fullTravelS: o.fullTravelS ?? board.pot.fullTravelS,
    traceDrive: !!o.traceDrive,
    vref: board.adc.vref,
    dcGain: board.adc.dcGain,
    railGain: board.adc.railGain,
    railV: 30,
  };
}

let modelText: string | undefined;
function model(): string {
  if (!modelText) {
    const src = fs.readFileSync(path.join(__dirname, "hardware.js"), "utf8");
    // minified so that .boot0 takes little of the board's Storage beside the bundle
    modelText = minify_sync(src, { ecma: 5, compress: false, mangle: false, format: { comments: false } }).code!;
  }
  return modelText;
}

/** Boot the board's built bundle through the flash path and play the script; the last step should be "end". */
export function runOnDevice(o: DeviceOptions): DeviceRun {
  const board = BOARDS[o.board];
  if (!board) throw new Error("unknown board " + o.board);
  const dir = o.flashDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "amp-device-"));
  const boot0 = "var HW_CFG=" + JSON.stringify(hardwareConfig(board, o)) + ";var HW_SCRIPT=" + JSON.stringify(o.script) + ";" + model();
  const app = 'echo(0);\nrequire("Storage").write(".boot0",' + JSON.stringify(boot0) + ");\n" + (o.reboot ? 'load(".bootcde");\n' : uploadFor(o.board));
  const env: { [k: string]: string } = { ESP_CODE_STATIC: "1", ESP_PACE_NS_PER_TOKEN: String(o.nsPerToken ?? PICO_NS_PER_TOKEN) };
  if (o.profile) env.ESP_PACE_PROFILE = "1";
  return parseRun(runInterpreter(o.interpreter || o.board, dir, app, env, 120000));
}

/** Run app.js in dir on the board's interpreter (stdin an open FIFO, as its README asks); stdout + stderr. */
function runInterpreter(board: string, dir: string, app: string, env: { [k: string]: string }, timeoutMs: number): string {
  fs.writeFileSync(path.join(dir, "app.js"), app);
  const fifo = path.join(dir, "in");
  if (!fs.existsSync(fifo)) execFileSync("mkfifo", [fifo]);
  const fd = fs.openSync(fifo, "r+"); // read-write: never blocks, never reaches end of file
  try {
    const r = spawnSync(path.join(INTERPRETER_DIR, "run"), [board, "app.js"], {
      cwd: dir,
      stdio: [fd, "pipe", "pipe"],
      encoding: "utf8",
      timeout: timeoutMs,
      maxBuffer: 64 << 20,
      env: { ...process.env, ...env },
    });
    return ((r.stdout || "") + (r.stderr || "")).replace(/\r/g, "");
  } finally {
    fs.closeSync(fd);
  }
}

export function parseRun(raw: string): DeviceRun {
  const out = raw.replace(/\r/g, "");
  const run: DeviceRun = { out, usb: [], relay: [], mem: [], gaps: [], cpu: [], cpuAll: [], pos: [], moved: [], errors: [], ended: false };
  for (const raw of out.split("\n")) {
    const line = raw.replace(/^(>|\x1b\[J)+/, ""); // the REPL's prompt, back after load()
    const w = line.split(" ");
    if (w[0] === "USB") run.usb.push({ ms: +w[1], text: w.slice(2).join(" ") });
    else if (w[0] === "HW" && w[1] === "relay") run.relay.push({ closed: w[2] === "1", ms: +w[3] });
    else if (w[0] === "HW" && w[1] === "mem") run.mem.push({ used: +w[2], total: +w[3], ms: +w[4] });
    else if (w[0] === "HW" && w[1] === "gap") run.gaps.push({ maxMs: +w[2], over: +w[3], ms: +w[4] });
    else if (w[0] === "HW" && w[1] === "cpuall") run.cpuAll.push({ tokens: +w[2], windowMs: +w[3] });
    else if (w[0] === "HW" && w[1] === "cpu") run.cpu.push({ periodMs: +w[2], calls: +w[3], tokens: +w[4], worstTokens: +w[5], worstLateMs: +w[6], windowMs: +w[7] });
    else if (w[0] === "HW" && w[1] === "pos") run.pos.push({ x: +w[2], db: +w[4], ms: +w[7] });
    else if (w[0] === "HW" && w[1] === "moved") {
      const n = w.slice(2).map(Number);
      const at = (i: number): ShaftAt => ({ x: n[i], db: n[i + 1] });
      run.moved.push({ db: n[0], start: at(1), goal: at(3), hi: at(5), lo: at(7), end: at(9), lastMoveMs: n[11], reversals: n[12], still: n[13] === 1, ms: n[14] });
    } else if (w[0] === "HW" && w[1] === "end") run.ended = true;
    else if (/Uncaught|OUT OF MEMORY|LOW_MEMORY|Invalid pin|not defined/.test(line)) run.errors.push(line);
  }
  return run;
}

/** The firmware's replies to console lines (every USB line that is not STATUS/INFO/BOOT). */
export function replies(run: DeviceRun): string[] {
  return run.usb.map((u) => u.text).filter((t) => !/^(STATUS|INFO|BOOT) /.test(t));
}

/** Evaluate a short ES5 snippet on the interpreter (as a file, not through flash); its printed output. */
export function runSnippet(board: string, code: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "amp-snippet-"));
  const out = runInterpreter(board, dir, "echo(0);\n" + code + "\nquit();\n", {}, 30000);
  // the banner ends with the donate line; what follows is the snippet's output
  const i = out.indexOf("Donate\n");
  return (i >= 0 ? out.substring(i + 7) : out).replace(/^\n+/, "").replace(/\n+$/, "");
}
