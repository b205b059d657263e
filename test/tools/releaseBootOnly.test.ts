// The build lets go of the top-level functions only boot needs (tools/releaseBootOnly.js): what it
// releases must never be called again, and what may run later must stay.
import * as acorn from "acorn";
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { bootOnly, releaseBootOnly } = require("../../tools/releaseBootOnly");

function released(body: string): string[] {
  const ast = acorn.parse(body, { ecmaVersion: 5 }) as any;
  return bootOnly(ast.body);
}

describe("releasing boot-only functions", () => {
  it("releases a factory called at boot and a helper only it calls", () => {
    const code = "function helper(x) { return x + 1; } function startUnit(o) { var n = helper(o); return { get: function () { return n; } }; } var u = startUnit(1); setInterval(u.get, 10);";
    expect(released(code)).toEqual(["helper", "startUnit"]);
  });

  it("keeps a function a closure made at boot calls later, and what that function calls", () => {
    const code = "function deep() { return 2; } function later() { return deep(); } function startUnit() { return function () { return later(); }; } setInterval(startUnit(), 10);";
    expect(released(code)).toEqual(["startUnit"]);
  });

  it("keeps a function used as a value (passed, stored), even if also called at boot", () => {
    const code = "function cb() {} function startUnit(f) { f(); return f; } cb(); var k = startUnit(cb);";
    expect(released(code)).toEqual(["startUnit"]);
  });

  it("keeps a function named in a top-level function expression", () => {
    const code = "function tick() {} var o = { t: function () { tick(); } }; function start() { return 1; } start();";
    expect(released(code)).toEqual(["start"]);
  });

  it("appends the release after the entry, at the bundle's top level", () => {
    const plugin = releaseBootOnly();
    const out = plugin.renderChunk("function startA() { return 1; }\nfunction keep() {}\nstartA(); setInterval(keep, 1);\n").code;
    expect(out).toMatch(/setInterval\(keep, 1\);\s*startA = void 0;\s*$/);
  });
});
