#!/usr/bin/env node
// npm run build [-- --board pico[,mdbt42q]] [--dev] [--quiet]
// Builds dist/<board>/firmware.js for each board with rollup, then prints each bundle's size.
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
const ALL_BOARDS = ["pico", "mdbt42q"];

function parseArgs(argv) {
  const out = { boards: ALL_BOARDS, dev: false, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--board" || a === "--boards") out.boards = String(argv[++i] || "").split(",").filter(Boolean);
    else if (a.startsWith("--board=")) out.boards = a.slice(8).split(",").filter(Boolean);
    else if (a === "--dev") out.dev = true;
    else if (a === "--quiet") out.quiet = true;
    else throw new Error("unknown argument: " + a + "\nusage: npm run build -- [--board pico|mdbt42q[,..]] [--dev] [--quiet]");
  }
  for (const b of out.boards) if (!ALL_BOARDS.includes(b)) throw new Error("unknown board: " + b + " (known: " + ALL_BOARDS.join(", ") + ")");
  if (out.boards.length === 0) throw new Error("--board needs a board name");
  return out;
}

function build(opts) {
  const env = Object.assign({}, process.env, { AMP_BOARDS: opts.boards.join(","), AMP_DEV: opts.dev ? "1" : "0" });
  const rollup = path.join(ROOT, "node_modules", "rollup", "dist", "bin", "rollup");
  const r = spawnSync(process.execPath, [rollup, "-c", path.join(ROOT, "rollup.config.js"), "--silent"], { cwd: ROOT, env, stdio: opts.quiet ? ["ignore", "ignore", "inherit"] : "inherit" });
  if (r.status !== 0) process.exit(r.status || 1);
  for (const b of opts.boards) {
    const file = path.join(ROOT, "dist", b, "firmware.js");
    const bytes = fs.statSync(file).size;
    if (!opts.quiet) console.log(`${path.relative(ROOT, file)}  ${bytes} bytes${opts.dev ? "  (developer build: REPL reachable)" : ""}`);
  }
}

module.exports = { build, parseArgs, ALL_BOARDS };

if (require.main === module) {
  try {
    build(parseArgs(process.argv.slice(2)));
  } catch (e) {
    console.error(String(e.message || e));
    process.exit(2);
  }
}
