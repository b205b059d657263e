// One minified ES5 bundle per board: dist/<board>/firmware.js.
// The entry is generated per board so that a board is chosen at build time and only its data ships.
// Settings follow shared/ESPRUINO.md (no strict mode, no freezing, es5 generated code, and
// terser hoisting functions and vars: the interpreter does not hoist), except the wrapper: the
// bundle runs at the top level, not in an IIFE, which costs ~600 JsVars on the device
// (tools/espruinoMinify.js, renameGlobals).
const typescript = require("@rollup/plugin-typescript");
const path = require("path");
const { hoistVarsPlugin } = require("./tools/hoistVars");
const { espruinoMinify } = require("./tools/espruinoMinify");
const { releaseBootOnly } = require("./tools/releaseBootOnly");
const { sinkOnDemandPlugin } = require("./tools/sinkOnDemand");

const ALL_BOARDS = ["pico", "mdbt42q"];
const ENTRY_ID = "\0firmware-entry";
// A production build keeps the JavaScript REPL off the console; a developer build (AMP_DEV=1) keeps it.
const DEV_BUILD = process.env.AMP_DEV === "1";

/** A value as a JavaScript literal, keys unquoted where they can be (quoted keys are not
 *  property-mangled: the firmware's reads of them would miss). */
function literal(v) {
  if (Array.isArray(v)) return "[" + v.map(literal).join(",") + "]";
  if (v && typeof v === "object") return "{" + Object.keys(v).map((k) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)) + ":" + literal(v[k])).join(",") + "}";
  if (typeof v === "number" && !isFinite(v)) throw new Error("a board value that is not a finite number: " + v);
  return JSON.stringify(v);
}

/** Board fields only the host tools read (the flash tool's board file; the simulated pot's travel,
 *  its motor's dead zone and its relays' operate time): not shipped (test/tools/codeRules.test.ts
 *  checks that the firmware never reads them). */
const HOST_ONLY = [["espruinoBoard"], ["pot", "travelDeg"], ["motor", "minDuty"], ["relayTiming", "operateMs"]];

/** The board, evaluated here (its wiring fitted into its amplifier): the bundle gets only the
 *  resulting literal, not the parts it was made from. */
function boardData(board) {
  require("ts-node").register({ project: path.resolve(__dirname, "tsconfig.test.json"), transpileOnly: true });
  const b = structuredClone(require(path.resolve(__dirname, "boards", "index.ts")).BOARDS[board]);
  for (const p of HOST_ONLY) delete p.slice(0, -1).reduce((o, k) => o[k], b)[p[p.length - 1]];
  return b;
}

/** The board's hardware kinds (and console) as build-time constants (firmware/buildKinds.ts reads them): the
 *  minifier folds them, and the code for the other kind of DC sensing or relay drive is left out
 *  of this board's bundle. */
function boardKinds(board) {
  const b = boardData(board);
  return { AMP_DC_DIRECT: b.dcSense.kind === "direct", AMP_RELAYS_DIRECT: b.relays.kind === "direct", AMP_CONSOLE_USB: b.consoleDevice === "USB" };
}

function boardEntry(board) {
  return {
    name: "board-entry",
    resolveId(id) {
      return id === ENTRY_ID ? ENTRY_ID : null;
    },
    load(id) {
      if (id !== ENTRY_ID) return null;
      const root = JSON.stringify(path.resolve(__dirname));
      return [
        `var BOARD = ${literal(boardData(board))};`,
        `import { createEspruinoHal } from ${JSON.stringify(path.resolve(__dirname, "hal/espruino.ts"))};`,
        `import { startAmp } from ${JSON.stringify(path.resolve(__dirname, "firmware/main.ts"))};`,
        `startAmp(createEspruinoHal(BOARD), BOARD, { devBuild: ${DEV_BUILD} });`,
        `// root ${root}`,
      ].join("\n");
    },
  };
}

function selectedBoards() {
  const fromEnv = process.env.AMP_BOARDS;
  if (!fromEnv) return ALL_BOARDS;
  const wanted = fromEnv.split(",").filter(Boolean);
  for (const b of wanted) if (ALL_BOARDS.indexOf(b) < 0) throw new Error("unknown board: " + b + " (known: " + ALL_BOARDS.join(", ") + ")");
  return wanted;
}

module.exports = selectedBoards().map((board) => ({
  input: ENTRY_ID,
  treeshake: { moduleSideEffects: false },
  plugins: [
    boardEntry(board),
    typescript({ tsconfig: path.resolve(__dirname, "tsconfig.json"), noEmit: false, outDir: undefined, declaration: false, sourceMap: false, include: ["firmware/**/*.ts", "hal/hal.ts", "hal/espruino.ts", "boards/**/*.ts", "types/**/*.d.ts"] }),
    sinkOnDemandPlugin(),
    releaseBootOnly(),
    espruinoMinify({ mangleProperties: process.env.AMP_MANGLE_PROPS !== "0", defs: boardKinds(board) }),
    hoistVarsPlugin(),
  ],
  output: {
    file: path.resolve(__dirname, "dist", board, "firmware.js"),
    format: "es",
    strict: false,
    freeze: false,
    generatedCode: { preset: "es5" },
    sourcemap: false,
  },
  onwarn(warning, warn) {
    // A warning from the toolchain is a defect in firmware code: fail the build.
    throw new Error("rollup warning: " + (warning.message || String(warning)));
  },
}));

module.exports.ALL_BOARDS = ALL_BOARDS;
module.exports.HOST_ONLY = HOST_ONLY;
module.exports.boardKinds = boardKinds;
