// npm run bench [-- --only volume,protection] [--quick]
// Builds the bundles, runs each bench section on the built bundle in the simulated amplifier,
// prints each section's table and merges the sections into bench/out/results.json (not in the
// tree: a clone stays clean); with --save into bench/results.json, the committed reference.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { BenchContext, BenchSection } from "./bench/section";
import { SECTIONS } from "./bench/sections";

const ROOT = path.resolve(__dirname, "..");
const SAVED = path.join(ROOT, "bench", "results.json");
const OUT = path.join(ROOT, "bench", "out", "results.json");

function parse(argv: string[]): { only?: string[]; quick: boolean; save: boolean } {
  const a: { only?: string[]; quick: boolean; save: boolean } = { quick: false, save: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--only") a.only = String(argv[++i]).split(",");
    else if (argv[i] === "--quick") a.quick = true;
    else if (argv[i] === "--save") a.save = true;
    else throw new Error("unknown argument " + argv[i] + "\nusage: npm run bench -- [--only a,b] [--quick] [--save]");
  }
  return a;
}

async function main() {
  const args = parse(process.argv.slice(2));
  const b = spawnSync(process.execPath, [path.join(ROOT, "tools", "build.js"), "--quiet"], { stdio: "inherit" });
  if (b.status !== 0) process.exit(1);
  const chosen: BenchSection[] = SECTIONS.filter((s) => !args.only || args.only.includes(s.name));
  const RESULTS = args.save ? SAVED : OUT;
  const from = fs.existsSync(RESULTS) ? RESULTS : SAVED; // sections not run keep their last numbers
  const results: Record<string, unknown> = fs.existsSync(from) ? JSON.parse(fs.readFileSync(from, "utf8")) : {};
  for (const s of chosen) {
    const started = Date.now();
    const ctx: BenchContext = {
      root: ROOT,
      quick: args.quick,
      progress: (done, total, what) => {
        if (process.stderr.isTTY) process.stderr.write(`\r[${s.name}] ${done}/${total} ${what}`.padEnd(70) + (done === total ? "\n" : ""));
        else if (done === total || done % Math.max(1, Math.floor(total / 10)) === 0) process.stderr.write(`[${s.name}] ${done}/${total} ${what}\n`);
      },
    };
    const out = await s.run(ctx);
    results[s.name] = out.json;
    console.log(`\n## ${s.name}  (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
    console.log(out.table);
  }
  fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
  fs.writeFileSync(RESULTS, JSON.stringify(results, null, 2) + "\n");
  console.log(`\nwrote ${path.relative(ROOT, RESULTS)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
