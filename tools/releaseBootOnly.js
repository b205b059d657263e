// Rollup plugin, run on rollup's output before terser: lets go of the top-level functions that only
// boot needs. On Espruino a function object stays in RAM while its name does (about 7 JsVars plus
// one per parameter, whatever its size: the code itself stays in flash), so the factories that
// build the units (startProtection, startVolume, ...) and the helpers only they call would hold
// several hundred JsVars for ever after being called once. After the entry statement has run,
// their names are set to undefined and the interpreter frees them.
//
// A function is released only when nothing can call it after boot: it is never used as a value
// (passed, stored, returned), never named inside a function created at boot (a closure, which may
// run later), and every function that calls it is released too. Calls made directly in the entry
// statement, or directly in the body of a released function, are boot.
const acorn = require("acorn");
const { isReference } = require("./astEdits");

/** The names a node refers to, split into direct calls made while this code runs ("calls"),
 *  and every other use or any use inside a nested function ("later"). */
function references(node, names) {
  const calls = new Set();
  const later = new Set();
  (function walk(n, nested, parent) {
    if (!n || typeof n.type !== "string") return;
    if (n.type === "Identifier" && names.has(n.name)) {
      if (isReference(n, parent)) {
        const isCallee = parent && parent.type === "CallExpression" && parent.callee === n;
        (isCallee && !nested ? calls : later).add(n.name);
      }
      return;
    }
    const inner = nested || n.type === "FunctionExpression" || n.type === "FunctionDeclaration";
    for (const k of Object.keys(n)) {
      if (k === "id" && (n.type === "FunctionDeclaration" || n.type === "FunctionExpression")) continue;
      const v = n[k];
      if (Array.isArray(v)) v.forEach((c) => walk(c, inner, n));
      else if (v && typeof v.type === "string") walk(v, inner, n);
    }
  })(node, false, null);
  return { calls, later };
}

/** Names of the top-level functions of the bundle (its program body) that no code can call once the body has run. */
function bootOnly(body) {
  const fns = new Map();
  for (const s of body) if (s.type === "FunctionDeclaration") fns.set(s.id.name, s);
  const names = new Set(fns.keys());
  const refsOf = new Map();
  for (const [name, fn] of fns) {
    const r = { calls: new Set(), later: new Set() };
    for (const p of fn.params) {
      const pr = references(p, names);
      pr.calls.forEach((x) => r.later.add(x));
      pr.later.forEach((x) => r.later.add(x));
    }
    const br = references(fn.body, names);
    br.calls.forEach((x) => r.calls.add(x));
    br.later.forEach((x) => r.later.add(x));
    refsOf.set(name, r);
  }
  const live = new Set();
  const called = new Set();
  for (const s of body) {
    if (s.type === "FunctionDeclaration") continue;
    const r = references(s, names);
    r.later.forEach((x) => live.add(x));
    r.calls.forEach((x) => called.add(x));
  }
  for (const r of refsOf.values()) r.later.forEach((x) => live.add(x));
  // what a live function calls runs after boot too
  let grew = true;
  while (grew) {
    grew = false;
    for (const name of Array.from(live)) {
      const r = refsOf.get(name);
      if (!r) continue;
      for (const x of r.calls) if (!live.has(x)) {
        live.add(x);
        grew = true;
      }
    }
  }
  // released: reached from the entry only through boot-only calls
  const reached = new Set();
  const queue = Array.from(called);
  while (queue.length) {
    const x = queue.pop();
    if (reached.has(x) || live.has(x)) continue;
    reached.add(x);
    for (const y of refsOf.get(x).calls) queue.push(y);
  }
  return Array.from(reached).sort();
}

function releaseBootOnly() {
  return {
    name: "release-boot-only",
    renderChunk(code) {
      const ast = acorn.parse(code, { ecmaVersion: 5, sourceType: "script" });
      const names = bootOnly(ast.body);
      if (!names.length) return null;
      const at = code.length; // after the entry statement
      const release = "\n" + names.join(" = ") + " = void 0;\n";
      return { code: code.slice(0, at) + release + code.slice(at), map: null };
    },
  };
}

module.exports = { releaseBootOnly, bootOnly };
