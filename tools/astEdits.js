// What the build's source passes (releaseBootOnly, sinkOnDemand, espruinoMinify's renameGlobals,
// hoistVars) share: walking an acorn tree, telling a name's use from a property name, and
// applying text edits.

/** Calls fn(child) for every child node of node. */
function eachChild(node, fn) {
  for (const k of Object.keys(node)) {
    const v = node[k];
    if (Array.isArray(v)) v.forEach((c) => c && typeof c.type === "string" && fn(c, k));
    else if (v && typeof v.type === "string") fn(v, k);
  }
}

/** An Identifier that names a variable, not a property (o.x) or an object key ({x: 1}). */
function isReference(node, parent) {
  if (!parent) return true;
  if (parent.type === "MemberExpression" && parent.property === node && !parent.computed) return false;
  return !(parent.type === "Property" && parent.key === node && !parent.computed);
}

/** The code with edits ({start, end, text}, never overlapping) applied. */
function applyEdits(code, edits) {
  const sorted = edits.slice().sort((a, b) => b.start - a.start || b.end - a.end);
  let out = code;
  for (const e of sorted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

module.exports = { eachChild, isReference, applyEdits };
