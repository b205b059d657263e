// Boots a built bundle (dist/<board>/firmware.js) in the Espruino emulation over a fresh
// simulated amplifier. Integration tests use only this: what is tested is what is flashed.
import * as fs from "fs";
import * as path from "path";
import { Board } from "../../boards/board";
import { BOARDS } from "../../boards/index";
import { createSimAmp, SimAmpOptions } from "../../hal/sim/amp";
import { bootBundle, EmulatedDevice } from "../../hal/sim/espruinoEmu";
import { SimAmp, SimFlash } from "../../hal/sim/types";
import { parseStatus } from "../../tools/statusFields";

export const ROOT = path.resolve(__dirname, "../..");
export const BOARD_NAMES = Object.keys(BOARDS);

export function bundlePath(board: string, variant = "firmware.js"): string {
  return path.join(ROOT, "dist", board, variant);
}

export function readBundle(board: string): string {
  const file = bundlePath(board);
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` (npm test does it first)`);
  return fs.readFileSync(file, "utf8");
}

export interface Rig {
  board: Board;
  amp: SimAmp;
  dev: EmulatedDevice;
  /** Advance simulated time. */
  run(ms: number): void;
  /** Send a console line and return what the device answered within `waitMs`. */
  command(line: string, waitMs?: number): string;
}

/** Any SimAmp option (heat sink temperature, plugs at power-on, ...) passes through to the sim. */
export function boot(boardName: string, opts: SimAmpOptions & { flash?: SimFlash; code?: string } = {}): Rig {
  const board = BOARDS[boardName];
  if (!board) throw new Error("unknown board " + boardName);
  const { code, ...simOpts } = opts;
  const amp = createSimAmp(board, { ...simOpts, seed: opts.seed ?? 1 });
  const dev = bootBundle({ board, amp, code: code ?? readBundle(boardName) });
  const rig: Rig = {
    board,
    amp,
    dev,
    run: (ms) => amp.clock.advance(ms),
    command: (line, waitMs = 50) => {
      dev.takeOutput();
      dev.send(line + "\r\n");
      amp.clock.advance(waitMs);
      return dev.takeOutput();
    },
  };
  return rig;
}

export { parseStatus };

export function lastStatus(dev: EmulatedDevice): Record<string, string> {
  const lines = dev.lines().filter((l) => l.startsWith("STATUS "));
  if (!lines.length) throw new Error("no STATUS line in output:\n" + dev.output());
  return parseStatus(lines[lines.length - 1]);
}

/** The device's answer to `status`, parsed (waitMs: simulated time run after the command). */
export function status(rig: Rig, waitMs = 0): Record<string, string> {
  const lines = rig.command("status", waitMs).split(/\r?\n/).filter((l) => l.startsWith("STATUS "));
  if (!lines.length) throw new Error("no STATUS reply");
  return parseStatus(lines[lines.length - 1]);
}

/** Runs until the bridge is off and the shaft still for 300 ms (or maxMs). */
export function settleMotor(rig: Rig, maxMs = 30000): void {
  const end = rig.amp.clock.nowMs() + maxMs;
  let quiet = 0;
  while (rig.amp.clock.nowMs() < end && quiet < 300) {
    rig.run(10);
    quiet = rig.amp.shaftSpeed() === 0 && rig.amp.motorDrive() === 0 ? quiet + 10 : 0;
  }
}

/** Runs until the output plays and the pot has come to rest (it may be moving to its start-up
 *  level, or to a new target after a switch). */
export function settle(rig: Rig, limitMs = 10000): void {
  let still = 0;
  for (let t = 0; t < limitMs && still < 5; t += 50) {
    rig.run(50);
    still = rig.amp.outputConnected() && rig.amp.shaftSpeed() === 0 ? still + 1 : 0;
  }
}

/** What the listener hears on the live output, dB: the louder channel, with gain and the output's
 *  offset (the simulated amp's truth). */
export function heardDb(rig: Rig): number {
  const a = rig.amp.audioDb();
  const out = rig.amp.outputsLive()[0];
  return (a.left > a.right ? a.left : a.right) + rig.amp.gainDb() + (out ? rig.board.outputs.offsetDb[out] : 0);
}

/** A console command's own reply line ("ok ..." / "err ..."), without status lines printed meanwhile. */
export function reply(rig: Rig, line: string, waitMs = 0): string {
  return rig.command(line, waitMs).split(/\r?\n/).find((l) => /^(ok|err)\b/.test(l)) ?? "";
}
