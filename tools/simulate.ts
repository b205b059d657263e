// npm start [-- --board pico] [--seed N] [--seconds S]
// Builds the board's bundle and runs it in the simulated amplifier (Espruino emulation), printing
// what the firmware says on its console. Type protocol lines at the prompt; Ctrl-D or "quit" exits.
// With --seconds S it runs S simulated seconds as fast as it can and exits (a status trace).
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as readline from "readline";
import { BOARDS } from "../boards/index";
import { createSimAmp } from "../hal/sim/amp";
import { bootBundle } from "../hal/sim/espruinoEmu";

const ROOT = path.resolve(__dirname, "..");
/** Real-time pacing: advance the sim this often. */
const FRAME_MS = 20;

interface Args {
  board: string;
  seed: number;
  seconds?: number;
}

function parse(argv: string[]): Args {
  const a: Args = { board: "pico", seed: 1 };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === "--board") a.board = argv[++i];
    else if (k === "--seed") a.seed = Number(argv[++i]);
    else if (k === "--seconds") a.seconds = Number(argv[++i]);
    else throw new Error("unknown argument " + k);
  }
  if (!BOARDS[a.board]) throw new Error("unknown board " + a.board);
  return a;
}

function main() {
  const a = parse(process.argv.slice(2));
  const b = spawnSync(process.execPath, [path.join(ROOT, "tools", "build.js"), "--board", a.board, "--quiet"], { stdio: "inherit" });
  if (b.status !== 0) process.exit(1);
  const board = BOARDS[a.board];
  const amp = createSimAmp(board, { seed: a.seed });
  const dev = bootBundle({ board, amp, code: fs.readFileSync(path.join(ROOT, "dist", a.board, "firmware.js"), "utf8") });
  const flush = () => {
    const s = dev.takeOutput();
    if (s) process.stdout.write(s.replace(/\r\n/g, "\n"));
  };

  if (a.seconds !== undefined) {
    for (let t = 0; t < a.seconds * 1000; t += 100) {
      amp.clock.advance(100);
      flush();
    }
    dev.send("status\r\n");
    amp.clock.advance(20);
    flush();
    process.exit(dev.errors.length ? 1 : 0);
  }

  console.log(`simulated ${board.name} amp (seed ${a.seed}); type protocol commands, "quit" to leave`);
  const timer = setInterval(() => {
    amp.clock.advance(FRAME_MS);
    flush();
  }, FRAME_MS);
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, prompt: "> " });
  rl.prompt();
  rl.on("line", (line) => {
    if (line.trim() === "quit") rl.close();
    else dev.send(line + "\r\n");
    setTimeout(() => rl.prompt(), FRAME_MS * 3);
  });
  rl.on("close", () => {
    clearInterval(timer);
    process.exit(0);
  });
}

main();
