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
const { applyEdits, eachChild, isReference } = require("./astEdits");

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

function terserOptions(reserved, defs) {
  return {
    ecma: 5,
    // inline only one-expression functions (2) and reduce_funcs off: a function inlined into its one caller is lexed (skipped) on
    // every call of that caller, taken or not: hot functions must not carry rare branches' bodies
    compress: { toplevel: true, hoist_funs: true, hoist_vars: true, passes: 3, keep_fargs: false, inline: 2, reduce_funcs: false, pure_getters: true, booleans_as_integers: true, global_defs: defs || {} },
    // top-level names are the interpreter's globals: they get names of their own (renameGlobals)
    // AMP_KEEP_LOCALS=1 keeps every name (a build to read a device memory dump by, not to flash)
    mangle: process.env.AMP_KEEP_LOCALS === "1" ? false : { toplevel: false, properties: reserved ? { keep_quoted: true, reserved: reserved } : false },
    format: { comments: false },
  };
}

// The bundle runs at the interpreter's top level, not in an IIFE: Espruino gives every function
// made inside a function inside another function its own copy of the scope chain (an array, 3
// JsVars), so an IIFE round the factories cost ~600 JsVars. Its top-level names are therefore
// globals, shared with whatever else runs there (a test bench's pins and stubs, the REPL). They are
// renamed to "$" and one or two characters, which no pin, Espruino global or harness stub is called
// (GLOBAL_PREFIX), and which no local of the minified code uses (the build fails if one did).
const GLOBAL_PREFIX = "$";
const GLOBAL_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$";

/** Every identifier the program binds at its top level (var and function declarations). */
function topLevelNames(ast) {
  const names = new Set();
  for (const s of ast.body) {
    if (s.type === "FunctionDeclaration") names.add(s.id.name);
    if (s.type === "VariableDeclaration") for (const d of s.declarations) names.add(d.id.name);
  }
  return names;
}

/** Identifiers bound anywhere below the top level: parameters, function names, vars, catch. */
function localNames(ast) {
  const names = new Set();
  (function walk(node, nested) {
    if (!node || typeof node.type !== "string") return;
    const fn = node.type === "FunctionDeclaration" || node.type === "FunctionExpression";
    if (fn) {
      if (node.id && (nested || node.type === "FunctionExpression")) names.add(node.id.name);
      for (const p of node.params) names.add(p.name);
    }
    if (nested && node.type === "VariableDeclarator") names.add(node.id.name);
    if (node.type === "CatchClause") names.add(node.param.name);
    eachChild(node, (c) => walk(c, nested || fn));
  })(ast, false);
  return names;
}

/** Renames the program's top-level bindings to GLOBAL_PREFIX names, the most used first. */
function renameGlobals(code) {
  const ast = acorn.parse(code, { ecmaVersion: 5, sourceType: "script" });
  const globals = topLevelNames(ast);
  const locals = localNames(ast);
  for (const g of globals) if (locals.has(g)) throw new Error("espruino-minify: top-level name " + g + " is also a local name");
  const uses = [];
  (function walk(node, parent) {
    if (node.type === "Identifier" && globals.has(node.name) && isReference(node, parent)) uses.push(node);
    eachChild(node, (c) => walk(c, node));
  })(ast, null);
  const count = new Map();
  for (const u of uses) count.set(u.name, (count.get(u.name) || 0) + 1);
  const order = Array.from(globals).sort((a, b) => (count.get(b) || 0) - (count.get(a) || 0) || (a < b ? -1 : 1));
  const taken = new Set([...locals, ...globals]);
  const fresh = new Map();
  let n = 0;
  for (const g of order) {
    let name;
    do {
      let i = n++, tail = "";
      do { tail += GLOBAL_CHARS[i % GLOBAL_CHARS.length]; i = Math.floor(i / GLOBAL_CHARS.length) - 1; } while (i >= 0);
      name = GLOBAL_PREFIX + tail;
    } while (taken.has(name));
    fresh.set(g, name);
  }
  // AMP_NAMES=file writes the map (source name to device global), for reading a device's memory dump
  if (process.env.AMP_NAMES) require("fs").writeFileSync(process.env.AMP_NAMES, JSON.stringify(Object.fromEntries(fresh)));
  return applyEdits(code, uses.map((u) => ({ start: u.start, end: u.end, text: fresh.get(u.name) })));
}

/** options: mangleProperties (default on); defs, build-time constants the minifier folds (a
 *  board's hardware kinds: firmware/buildKinds.d.ts). */
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
      const inlined = await terser.minify(code, { ecma: 5, compress: { toplevel: true, passes: 3, hoist_funs: false, hoist_vars: false, reduce_vars: true, keep_fargs: false, inline: false, reduce_funcs: false, global_defs: (options && options.defs) || {} }, mangle: false, format: { comments: false } });
      const out = await terser.minify(inlined.code, terserOptions(reserved, options && options.defs));
      return { code: process.env.AMP_KEEP_LOCALS === "1" ? out.code : renameGlobals(out.code), map: null };
    },
  };
}

module.exports = { espruinoMinify, renameGlobals, GLOBAL_PREFIX, identifierStrings, ESPRUINO_NAMES, RECORD_NAMES };
