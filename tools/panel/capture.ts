// A text "screenshot" of the front panel (docs/panel.txt): runs the panel in a pseudo-terminal,
// plays a short demo on it (a console volume, the knob, a hand on the shaft, a plug, a slow DC
// creep that trips the protection), writes what the screen shows, and puts it into
// docs/simulator.md between its panel:start and panel:end markers.
//   node tools/ts.js tools/panel/capture.ts [--out docs/panel.txt] [--doc docs/simulator.md]
//                                           [--cols 100] [--rows 32] [--no-build]
import * as fs from "fs";
import * as path from "path";
import { KEYS, runInPty } from "./pty";

const ROOT = path.resolve(__dirname, "../..");
const WAIT_MS = 30_000;

function pause(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const opt = (k: string, d: string) => (argv.indexOf(k) >= 0 ? argv[argv.indexOf(k) + 1] : d);
  const out = opt("--out", path.join(ROOT, "docs", "panel.txt"));
  const doc = opt("--doc", path.join(ROOT, "docs", "simulator.md"));
  const cols = Number(opt("--cols", "100"));
  const rows = Number(opt("--rows", "32"));
  const build = argv.indexOf("--no-build") < 0 ? [] : ["--no-build"];
  const pty = runInPty(["node", path.join(ROOT, "tools/ts.js"), path.join(ROOT, "tools/simulate.ts"), ...build, "--seed", "1"], { cols, rows, cwd: ROOT });
  try {
    await pty.waitFor((s) => /output relay\s+● CONNECTED/.test(s), WAIT_MS, "the output relay to close");
    pty.type(":");
    await pty.waitFor((s) => /console> /.test(s), WAIT_MS, "the console prompt");
    pty.type("vol -35" + KEYS.enter);
    await pause(1500);
    pty.type(KEYS.right + KEYS.right + KEYS.right);
    await pause(1000);
    pty.type(KEYS.up);
    pty.type("8"); // plug into the 6.3 mm single-ended jack
    await pause(1500);
    pty.type("c"); // 0.15 V on R-: the slow DC window trips
    await pty.waitFor((s) => /output relay\s+○ open/.test(s), WAIT_MS, "the protection to open the output relay");
    await pause(600);
    const screen = (await pty.screen()).join("\n").replace(/\s+$/, "") + "\n";
    fs.writeFileSync(out, screen);
    console.log(`wrote ${path.relative(process.cwd(), out)} (${cols}x${rows})`);
    if (fs.existsSync(doc)) {
      const text = fs.readFileSync(doc, "utf8");
      const m = /(<!-- panel:start -->\n)[\s\S]*?(<!-- panel:end -->)/.exec(text);
      if (!m) throw new Error(`${doc} has no <!-- panel:start --> ... <!-- panel:end --> markers`);
      fs.writeFileSync(doc, text.replace(m[0], () => m[1] + "```text\n" + screen + "```\n" + m[2]));
      console.log(`updated the capture in ${path.relative(process.cwd(), doc)}`);
    }
    pty.type("q");
    const { code } = await pty.exited();
    return code === 0 ? 0 : 1;
  } finally {
    pty.kill();
  }
}

main().then(
  (c) => process.exit(c),
  (e) => {
    console.error("capture: " + (e as Error).message);
    process.exit(1);
  },
);
