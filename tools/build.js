#!/usr/bin/env node
// npm run build [-- --board pico[,mdbt42q]] [--dev] [--quiet] [--if-stale]
// Builds dist/<board>/firmware.js for each board with rollup, then prints each bundle's size.
// --if-stale builds only the bundles older than a source they are made from (npm start uses it).
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
const ALL_BOARDS = ["pico", "mdbt42q"];

function parseArgs(argv) {
  const out = { boards: ALL_BOARDS, dev: false, quiet: false, ifStale: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--board" || a === "--boards") out.boards = String(argv[++i] || "").split(",").filter(Boolean);
    else if (a.startsWith("--board=")) out.boards = a.slice(8).split(",").filter(Boolean);
    else if (a === "--dev") out.dev = true;
    else if (a === "--quiet") out.quiet = true;
    else if (a === "--if-stale") out.ifStale = true;
    else throw new Error("unknown argument: " + a + "\nusage: npm run build -- [--board pico|mdbt42q[,..]] [--dev] [--quiet] [--if-stale]");
  }
  for (const b of out.boards) if (!ALL_BOARDS.includes(b)) throw new Error("unknown board: " + b + " (known: " + ALL_BOARDS.join(", ") + ")");
  if (out.boards.length === 0) throw new Error("--board needs a board name");
  return out;
}

/** What a bundle is made from: the firmware, the HAL adapter, the boards, the build's own code. */
const SOURCES = ["firmware", "hal/hal.ts", "hal/espruino.ts", "boards", "rollup.config.js", "tools/hoistVars.js", "tools/espruinoMinify.js", "tools/releaseBootOnly.js", "tools/sinkOnDemand.js", "tools/astEdits.js", "tsconfig.json", "package-lock.json"];

function newestSourceMs() {
  let newest = 0;
  const visit = (p) => {
    if (!fs.existsSync(p)) return;
    const st = fs.statSync(p);
    if (st.isDirectory()) for (const n of fs.readdirSync(p)) visit(path.join(p, n));
    else if (st.mtimeMs > newest) newest = st.mtimeMs;
  };
  for (const s of SOURCES) visit(path.join(ROOT, s));
  return newest;
}

/** A bundle needs building: missing, older than a source, or built for the other mode (dev). */
function stale(board, dev) {
  const file = path.join(ROOT, "dist", board, "firmware.js");
  const stamp = path.join(ROOT, "dist", board, ".mode");
  if (!fs.existsSync(file) || !fs.existsSync(stamp) || fs.readFileSync(stamp, "utf8") !== (dev ? "dev" : "production")) return true;
  return fs.statSync(file).mtimeMs < newestSourceMs();
}

function build(opts) {
  if (opts.ifStale) {
    const boards = opts.boards.filter((b) => stale(b, opts.dev));
    if (!boards.length) {
      if (!opts.quiet) console.log("bundles up to date: " + opts.boards.join(", "));
      return;
    }
    opts = Object.assign({}, opts, { boards });
  }
  const env = Object.assign({}, process.env, { AMP_BOARDS: opts.boards.join(","), AMP_DEV: opts.dev ? "1" : "0" });
  const rollup = path.join(ROOT, "node_modules", "rollup", "dist", "bin", "rollup");
  const r = spawnSync(process.execPath, [rollup, "-c", path.join(ROOT, "rollup.config.js"), "--silent"], { cwd: ROOT, env, stdio: opts.quiet ? ["ignore", "ignore", "inherit"] : "inherit" });
  if (r.status !== 0) process.exit(r.status || 1);
  for (const b of opts.boards) {
    const file = path.join(ROOT, "dist", b, "firmware.js");
    fs.writeFileSync(path.join(ROOT, "dist", b, ".mode"), opts.dev ? "dev" : "production");
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
