// Rollup plugin, run after terser: moves every `var` that is not already at the head of its
// function (or of the program) up there. Espruino does not hoist (shared/ESPRUINO.md): a `var`
// met late leaves the name bound to an outer variable until the statement runs. Terser's
// hoist_vars leaves single declarations and for-loop vars in place, so this pass finishes the job.
//
// Edits are small and never overlap: the `var` keyword and uninitialised declarators are deleted
// (initialisers stay as assignments), and one `var a,b;` is inserted at the head of the scope.
const acorn = require("acorn");
const { applyEdits } = require("./astEdits");

function isHead(stmt) {
  return stmt.type === "VariableDeclaration" || stmt.type === "FunctionDeclaration" || (stmt.type === "ExpressionStatement" && stmt.directive);
}

/** Statements of a scope body that come before any other statement. */
function headOf(body) {
  const head = new Set();
  for (const s of body) {
    if (!isHead(s)) break;
    head.add(s);
  }
  return head;
}

function declarationEdits(decl, parent, edits) {
  const ds = decl.declarations;
  const anyInit = ds.some((d) => d.init);
  if (!anyInit) {
    const inForIn = parent && parent.type === "ForInStatement" && parent.left === decl;
    const text = inForIn ? ds[0].id.name : "";
    const endsWithSemi = edits.source[decl.end - 1] === ";";
    edits.push({ start: decl.start, end: decl.end, text: inForIn ? text : endsWithSemi ? ";" : "" });
    return;
  }
  edits.push({ start: decl.start, end: ds[0].start, text: "" }); // the `var ` keyword
  ds.forEach((d, j) => {
    if (d.init) return;
    const initBefore = ds.slice(0, j).some((x) => x.init);
    if (initBefore) edits.push({ start: ds[j - 1].end, end: d.end, text: "" });
    else edits.push({ start: d.start, end: ds[j + 1].start, text: "" });
  });
}

/** Returns the code with every late var hoisted; unchanged if there is none. */
function hoistVars(code) {
  const ast = acorn.parse(code, { ecmaVersion: 5, sourceType: "script" });
  const edits = [];
  edits.source = code;

  function scope(bodyNode, insertAt) {
    const head = headOf(bodyNode.body);
    const names = [];
    // Walk this scope's statements, not entering nested functions (they are scopes of their own).
    const visit = (node, parent) => {
      if (!node || typeof node.type !== "string") return;
      if (node.type === "FunctionDeclaration" || node.type === "FunctionExpression") {
        scope(node.body, node.body.start + 1);
        return;
      }
      if (node.type === "VariableDeclaration" && !(parent === bodyNode && head.has(node))) {
        for (const d of node.declarations) names.push(d.id.name);
        declarationEdits(node, parent, edits);
      }
      for (const key of Object.keys(node)) {
        if (key === "type" || key === "start" || key === "end") continue;
        const v = node[key];
        if (Array.isArray(v)) v.forEach((c) => visit(c, node));
        else if (v && typeof v.type === "string") visit(v, node);
      }
    };
    for (const s of bodyNode.body) visit(s, bodyNode);
    // After any leading directives ("use strict"), which must stay first to count.
    for (const s of bodyNode.body) {
      if (s.type === "ExpressionStatement" && s.directive) insertAt = s.end;
      else break;
    }
    if (names.length) edits.push({ start: insertAt, end: insertAt, text: "var " + Array.from(new Set(names)).join(",") + ";" });
  }

  scope(ast, 0);
  return edits.length ? applyEdits(code, edits) : code;
}

function hoistVarsPlugin() {
  return {
    name: "hoist-vars",
    renderChunk(code) {
      return { code: hoistVars(code), map: null };
    },
  };
}

module.exports = { hoistVars, hoistVarsPlugin };
