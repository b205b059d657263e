// Rollup plugin, run on rollup's output before releaseBootOnly: moves the top-level helpers and
// constants that only an on-demand function uses into that function. On Espruino a top-level
// function holds ~5 JsVars plus one per parameter for as long as the firmware runs, and a
// constant its value; made inside a function that runs now and then (the console protocol, built
// for each line; a calibration, built when one starts), they exist only while it runs.
//
// A declaration moves into root R when every reference to it is inside R or inside declarations
// that move with it, when it is a function or a var never assigned after its declaration, and
// when R declares none of the names it uses (which would capture them). The moved declarations
// keep their order and go at the head of R's body. The cost: R's call lexes them (the paced clock
// counts the tokens), so only functions that run seldom are roots.
const acorn = require("acorn");
const { applyEdits, eachChild, isReference } = require("./astEdits");

/** Functions created anew at each use. */
const ON_DEMAND_ROOTS = ["createProtocol", "createUnlock", "startCalibration"];

/** Identifiers (not property names) in a node, and the ones assigned to. */
function identifiers(node) {
  const used = new Set();
  const assigned = new Set();
  (function walk(n, parent) {
    if (n.type === "Identifier") {
      if (isReference(n, parent)) used.add(n.name);
      return;
    }
    if (n.type === "AssignmentExpression" && n.left.type === "Identifier") assigned.add(n.left.name);
    if (n.type === "UpdateExpression" && n.argument.type === "Identifier") assigned.add(n.argument.name);
    eachChild(n, (c) => walk(c, n));
  })(node, null);
  return { used, assigned };
}

/** Names a function binds itself: parameters, and vars and functions declared in its body
 *  outside nested functions. */
function ownNames(fn) {
  const names = new Set(fn.params.map((p) => p.name));
  (function walk(n) {
    if (n.type === "VariableDeclarator") names.add(n.id.name);
    if (n.type === "FunctionDeclaration") {
      names.add(n.id.name);
      return;
    }
    if (n.type === "FunctionExpression") return;
    eachChild(n, walk);
  })(fn.body);
  return names;
}

/** Which top-level declarations move into which root: Map root -> [statement, ...]. */
function planSinks(ast, roots) {
  const decls = new Map(); // name -> { stmt, node }
  for (const s of ast.body) {
    if (s.type === "FunctionDeclaration") decls.set(s.id.name, { stmt: s, node: s });
    if (s.type === "VariableDeclaration" && s.declarations.length === 1) decls.set(s.declarations[0].id.name, { stmt: s, node: s.declarations[0] });
  }
  const names = new Set(decls.keys());
  const usedBy = new Map(); // name -> set of top-level names (or "<top>") whose code uses it
  const uses = new Map(); // name -> set of top-level names it uses
  const assignedAnywhere = new Set();
  for (const n of names) usedBy.set(n, new Set());
  for (const s of ast.body) {
    const own = s.type === "FunctionDeclaration" ? s.id.name : s.type === "VariableDeclaration" && s.declarations.length === 1 ? s.declarations[0].id.name : "<top>";
    const { used, assigned } = identifiers(s);
    assigned.forEach((a) => assignedAnywhere.add(a));
    const mine = new Set();
    for (const u of used) if (names.has(u) && u !== own) {
      usedBy.get(u).add(own);
      mine.add(u);
    }
    if (own !== "<top>") uses.set(own, mine);
    if (own === "<top>") for (const u of used) if (names.has(u)) usedBy.get(u).add("<top>");
  }
  const plan = new Map();
  for (const root of roots) {
    const r = decls.get(root);
    if (!r || r.stmt.type !== "FunctionDeclaration") continue;
    const bound = ownNames(r.stmt);
    const reach = new Set();
    const queue = Array.from(uses.get(root));
    while (queue.length) {
      const x = queue.pop();
      if (reach.has(x) || x === root) continue;
      reach.add(x);
      uses.get(x).forEach((y) => queue.push(y));
    }
    const movable = (x) => {
      const d = decls.get(x);
      // a root stays where it is (the one that makes it is lexed without it)
      if (bound.has(x) || roots.indexOf(x) >= 0) return false;
      if (d.stmt.type === "VariableDeclaration" && assignedAnywhere.has(x)) return false;
      for (const y of uses.get(x)) if (bound.has(y)) return false;
      return true;
    };
    const set = new Set(Array.from(reach).filter(movable));
    let changed = true;
    while (changed) {
      changed = false;
      for (const x of Array.from(set)) {
        const outside = Array.from(usedBy.get(x)).some((y) => y !== root && !set.has(y));
        // what stays behind may not use what moves
        if (outside) {
          set.delete(x);
          changed = true;
        }
      }
    }
    plan.set(root, Array.from(set).map((x) => decls.get(x).stmt).sort((a, b) => a.start - b.start));
  }
  return { plan, decls };
}

/** The code with each root's helpers moved into it. */
function sinkOnDemand(code, roots) {
  const ast = acorn.parse(code, { ecmaVersion: 5, sourceType: "script" });
  const { plan, decls } = planSinks(ast, roots || ON_DEMAND_ROOTS);
  // (a renamed root would silently keep its helpers for ever: the build says so instead)
  for (const r of roots || ON_DEMAND_ROOTS) if (!plan.has(r)) throw new Error("sink-on-demand: no top-level function " + r + " in the bundle");
  const edits = [];
  for (const [root, stmts] of plan) {
    if (!stmts.length) continue;
    const body = decls.get(root).stmt.body;
    edits.push({ start: body.start + 1, end: body.start + 1, text: "\n" + stmts.map((s) => code.slice(s.start, s.end)).join("\n") + "\n" });
    for (const s of stmts) edits.push({ start: s.start, end: s.end, text: "" });
  }
  return applyEdits(code, edits);
}

function sinkOnDemandPlugin() {
  return {
    name: "sink-on-demand",
    renderChunk(code) {
      return { code: sinkOnDemand(code), map: null };
    },
  };
}

module.exports = { sinkOnDemandPlugin, sinkOnDemand, planSinks, ON_DEMAND_ROOTS };
