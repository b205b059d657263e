// npm run flash -- --board pico --port /dev/ttyACM0        upload to the board's flash (.bootcde)
// npm run flash -- --board pico --dry-run --out upload.js   write what would be sent, no port
//
// The Espruino tool exits 0 when it cannot connect and can hang on a bad file
// (shared/ESPRUINO.md), so this script builds and checks the bundle first, runs the tool under a
// timeout, reads what it printed, and fails loudly.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { BOARDS } from "../boards/index";
import { checkBundle } from "./checkBundle";

const ROOT = path.resolve(__dirname, "..");
const TOOL = path.join(ROOT, "node_modules", "espruino", "bin", "espruino-cli.js");
const DEFAULT_TIMEOUT_S = 60;
/** Phrases the tool prints on failure while still exiting 0. */
const FAILURE_PATTERNS = [/Unable to connect/i, /Error/, /not found/i, /Timed out/i, /Uncaught/];

export const FLASH_USAGE = `usage: npm run flash -- [--board ${Object.keys(BOARDS).join("|")}] --port PORT [--timeout S] [--no-build]
       npm run flash -- [--board B] --dry-run --out FILE [--no-build]
  PORT: a serial device (/dev/ttyACM0), tcp://host:port, or a Bluetooth address (MDBT42Q)`;

export interface FlashArgs {
  help?: boolean;
  board: string;
  port?: string;
  dryRun: boolean;
  out?: string;
  timeoutS: number;
  skipBuild: boolean;
}

export function parseFlashArgs(argv: string[]): FlashArgs {
  const a: FlashArgs = { board: "pico", dryRun: false, timeoutS: DEFAULT_TIMEOUT_S, skipBuild: false };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = () => {
      const x = argv[++i];
      if (x === undefined) throw new Error(k + " needs a value");
      return x;
    };
    if (k === "--help" || k === "-h") return { ...a, help: true };
    else if (k === "--board") a.board = v();
    else if (k === "--port") a.port = v();
    else if (k === "--dry-run") a.dryRun = true;
    else if (k === "--out") a.out = v();
    else if (k === "--timeout") a.timeoutS = Number(v());
    else if (k === "--no-build") a.skipBuild = true;
    else throw new Error("unknown argument " + k + "\n" + FLASH_USAGE);
  }
  if (!BOARDS[a.board]) throw new Error("unknown board " + a.board + " (known: " + Object.keys(BOARDS).join(", ") + ")");
  if (a.dryRun && !a.out) throw new Error("--dry-run needs --out FILE");
  if (a.dryRun && !fs.existsSync(path.dirname(path.resolve(a.out!)))) throw new Error(`--out ${a.out}: the folder ${path.dirname(path.resolve(a.out!))} does not exist`);
  if (!a.dryRun && !a.port) throw new Error("--port PORT is required (or --dry-run --out FILE)");
  if (!(a.timeoutS > 0)) throw new Error("--timeout must be a positive number of seconds");
  return a;
}

/** A Bluetooth LE address (MDBT42Q over BLE); anything else is a serial device or tcp:// address. */
const BLE_ADDRESS = /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i;

/** "serial ports now: /dev/ttyACM0" or "no USB serial port is present", for failure messages. */
function serialPortsHint(): string {
  try {
    const ports = fs.readdirSync("/dev").filter((n) => /^(ttyACM|ttyUSB|cu\.usbmodem)/.test(n));
    return ports.length ? "serial ports now: " + ports.map((n) => "/dev/" + n).join(", ") : "no USB serial port is present";
  } catch {
    return "serial ports unknown";
  }
}

function fail(msg: string): never {
  throw new Error(msg);
}

export function flash(a: FlashArgs, log: (s: string) => void = console.log): void {
  const board = BOARDS[a.board];
  const bundle = path.join(ROOT, "dist", a.board, "firmware.js");
  if (!a.skipBuild) {
    const b = spawnSync(process.execPath, [path.join(ROOT, "tools", "build.js"), "--board", a.board, "--quiet"], { stdio: "inherit" });
    if (b.status !== 0) fail("build failed");
  }
  if (!fs.existsSync(bundle)) fail(bundle + " does not exist: run npm run build");
  const check = checkBundle(fs.readFileSync(bundle, "utf8"));
  if (!check.ok) fail("bundle check failed, not flashing:\n" + check.problems.map((p) => `  ${p.rule}: ${p.message}`).join("\n"));
  log(`${path.relative(ROOT, bundle)}: ${check.bytes} bytes, checks passed`);

  const boardJson = path.join(ROOT, "boards", "espruino", board.espruinoBoard + ".json");
  const args = [TOOL, "--board", boardJson];
  if (a.dryRun) args.push("--storage", ".bootcde:-", "-o", path.resolve(a.out!), bundle);
  else {
    const port = a.port!;
    // A device path that is not there: say so before the tool runs (it would exit 0 or crash).
    if (port.startsWith("/") && !fs.existsSync(port)) fail(`cannot connect to ${port}: no such port (is the board plugged in? ${serialPortsHint()})`);
    // Bluetooth only for a Bluetooth address: noble crashes on machines without BlueZ/D-Bus.
    if (!BLE_ADDRESS.test(port)) args.push("--no-ble");
    args.push("-p", port, "--config", "SAVE_ON_SEND=1", bundle);
    log(`uploading to ${port} (the Espruino tool gets ${a.timeoutS} s) ...`);
  }
  const r = spawnSync(process.execPath, args, { encoding: "utf8", timeout: a.timeoutS * 1000 });
  const printed = (r.stdout || "") + (r.stderr || "");
  if (r.error && (r.error as NodeJS.ErrnoException).code === "ETIMEDOUT") fail(`the Espruino tool did not finish within ${a.timeoutS} s:\n${printed}`);
  if (r.status !== 0) fail(`the Espruino tool exited with ${r.status}:\n${printed}`);
  if (!a.dryRun && /Unable to connect|Port .* not found/i.test(printed)) fail(`cannot connect to ${a.port}: the Espruino tool could not open it (${serialPortsHint()}):\n${printed}`);
  const bad = FAILURE_PATTERNS.find((re) => re.test(printed));
  if (bad) fail(`the Espruino tool reported a failure (${bad}):\n${printed}`);
  if (a.dryRun) {
    const sent = fs.existsSync(a.out!) ? fs.readFileSync(a.out!, "utf8") : "";
    if (!/require\("Storage"\)\.write\("\.bootcde"/.test(sent)) fail("the tool wrote no .bootcde upload to " + a.out);
    log(`dry run: the upload for ${a.board} (${sent.length} bytes) is in ${a.out}`);
  } else log(`flashed ${a.board} on ${a.port}; it boots from .bootcde`);
}

if (require.main === module) {
  try {
    const a = parseFlashArgs(process.argv.slice(2));
    if (a.help) console.log(FLASH_USAGE);
    else flash(a);
  } catch (e) {
    console.error("flash: " + (e as Error).message);
    process.exit(1);
  }
}
