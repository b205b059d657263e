// The bundle runs at the interpreter's top level (an IIFE round it cost ~600 JsVars), so its
// top-level names are globals: tools/espruinoMinify.js renames them to "$" names that no pin,
// Espruino global or bench stub uses, and leaves locals and property names alone.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { renameGlobals } = require("../../tools/espruinoMinify");

describe("renaming the bundle's top-level names", () => {
  it("gives every top-level function and var a $ name, at its declaration and at every use", () => {
    const out = renameGlobals("function startAmp(n){return tick(n)+A0}function tick(n){return n}var A0=1,LED1=[A0];startAmp(LED1);");
    expect(out).not.toMatch(/startAmp|tick|A0|LED1/);
    const declared = out.match(/function (\$\w+)/g);
    expect(declared).toHaveLength(2);
    for (const d of declared) expect(d).toMatch(/^function \$\w{1,2}$/);
    // it still runs the same way
    expect(new Function(out.replace(/;$/, "") + ";return " + out.match(/function (\$\w+)/)[1] + "([7])")()).toBe("71");
  });

  it("leaves locals, parameters and property names as they are", () => {
    const out = renameGlobals("var tick=1;function f(n){var r={tick:n};return r.tick+tick}");
    expect(out).toMatch(/\{tick:n\}/);
    expect(out).toMatch(/r\.tick\+\$\w+/);
    expect(out).toMatch(/function \$\w+\(n\)\{var r=/);
  });

  it("gives the most used names the shortest", () => {
    const out = renameGlobals("function rare(){}function often(){}often();often();often();rare();");
    expect(out).toMatch(/^function \$b\(\)\{\}function \$a\(\)\{\}/);
  });

  it("refuses a top-level name that a local also binds (a rename could not keep them apart)", () => {
    expect(() => renameGlobals("var n=1;function f(n){return n}")).toThrow(/top-level name n is also a local name/);
  });
});
