// Rollup plugin: terser with the settings from shared/ESPRUINO.md, plus property-name mangling,
// which shrinks the bundle by ~12 % (Espruino keeps code as text, so every byte is flash and,
// for functions, RAM). Property mangling is only safe for names that never cross the bundle's
// edge, so these are kept as written:
//   - every name the Espruino API reads or gives (ESPRUINO_NAMES below): E.*, Serial, Storage,
//     setWatch options and events, analogWrite options;
//   - every string literal that is an identifier anywhere in the bundle, and every word of a
//     literal that is a space-separated list of them (the settings table's property column), because
//     firmware looks properties up by name (the settings key table, output names, record fields);
//   - names written quoted (obj["x"], {"x": 1}) — keep_quoted;
//   - names JSON-stored in flash (RECORD_NAMES), so records stay readable across firmware builds.
// The emulation provides exactly the Espruino names, so a name missing here fails the tests.
const acorn = require("acorn");
const terser = require("terser");

const ESPRUINO_NAMES = [
  // E
  "enableWatchdog", "kickWatchdog", "setConsole", "force", "setPassword", "lockConsole", "on", "getErrorFlags",
  // Serial (USB, Bluetooth)
  "write", "print", "println", "setConsole",
  // Storage
  "read", "readJSON", "writeJSON", "erase", "list",
  // setWatch options and event; analogWrite options
  "repeat", "edge", "debounce", "irq", "data", "state", "time", "lastTime", "freq",
  // Pin
  "set", "reset", "mode",
];
/** Fields of objects JSON-stringified into flash. */
const RECORD_NAMES = ["v", "deck5", "deck6"];

function identifierStrings(code) {
  const names = new Set();
  const ast = acorn.parse(code, { ecmaVersion: 5, sourceType: "script" });
  (function walk(node) {
    if (!node || typeof node.type !== "string") return;
    // (a literal that is a list of such words, "out gainDb outVolDb", names properties one at a time)
    if (node.type === "Literal" && typeof node.value === "string" && /^[A-Za-z_$][\w$]*( [A-Za-z_$][\w$]*)*$/.test(node.value))
      for (const w of node.value.split(" ")) names.add(w);
    for (const k of Object.keys(node)) {
      const v = node[k];
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v.type === "string") walk(v);
    }
  })(ast);
  return names;
}

function terserOptions(reserved) {
  return {
    ecma: 5,
    // inline only one-expression functions (2) and reduce_funcs off: a function inlined into its one caller is lexed (skipped) on
    // every call of that caller, taken or not: hot functions must not carry rare branches' bodies
    compress: { hoist_funs: true, hoist_vars: true, passes: 3, keep_fargs: false, inline: 2, reduce_funcs: false, pure_getters: true },
    mangle: { toplevel: true, properties: reserved ? { keep_quoted: true, reserved: reserved } : false },
    format: { comments: false },
  };
}

function espruinoMinify(options) {
  const mangleProps = !options || options.mangleProperties !== false;
  return {
    name: "espruino-minify",
    async renderChunk(code) {
      let reserved = null;
      if (mangleProps) {
        reserved = Array.from(new Set([...ESPRUINO_NAMES, ...RECORD_NAMES, ...identifierStrings(code)]));
      }
      // first pass without hoisting: single-assignment constants (UPPER_SNAKE numbers, kinds) are
      // inlined while they are still declarations; hoisted, they would stay variables (a JsVar
      // each on the device and a scope lookup per use)
      const inlined = await terser.minify(code, { ecma: 5, compress: { passes: 3, hoist_funs: false, hoist_vars: false, reduce_vars: true, keep_fargs: false, inline: false, reduce_funcs: false }, mangle: false, format: { comments: false } });
      const out = await terser.minify(inlined.code, terserOptions(reserved));
      return { code: out.code, map: null };
    },
  };
}

module.exports = { espruinoMinify, identifierStrings, ESPRUINO_NAMES, RECORD_NAMES };
