// The post-terser pass that does what terser's hoist_vars leaves undone: the cases below are real
// terser output that fails the hoisting rule; after the pass they pass and compute the same.
import * as ts from "typescript";
import * as vm from "vm";
import { minify } from "terser";
import { checkBundle } from "../../tools/checkBundle";
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { hoistVars } = require("../../tools/hoistVars");

const TERSER = { ecma: 5 as const, compress: { hoist_funs: true, hoist_vars: true, passes: 2 }, mangle: { toplevel: true } };

async function build(src: string): Promise<string> {
  const es5 = ts.transpileModule(src, { compilerOptions: { target: ts.ScriptTarget.ES5, module: ts.ModuleKind.None } }).outputText;
  return (await minify("(function(){" + es5 + "})()", TERSER)).code!;
}

function run(code: string): unknown {
  const ctx = vm.createContext({ out: [] as unknown[] });
  // go(f): calls f with varied arguments, opaque to terser so nothing is constant-folded away.
  ctx.go = (f: (a: unknown) => unknown) => (ctx.out as unknown[]).push(f(2), f(9), f(-1), f([1, 2, 3]));
  vm.runInContext(code, ctx);
  return JSON.stringify(ctx.out);
}

const CASES: [string, string][] = [
  ["a lone for-let loop variable", "function sum(r: number[]) { for (let i = 0; i < r.length; i++) out.push(r[i]); } go(sum);"],
  ["a lone const inside an if branch", "function f(k: number) { if (k > 0) { const v = k * 3; out.push(v, v * 2); } } go(f);"],
  ["for-in in __extends", "class A { a = 1; } class B extends A { b = 2; } const x = new B(); out.push(x.a + x.b);"],
];

declare const out: unknown[];
declare function go(f: unknown): void;

describe("hoistVars", () => {
  test.each(CASES)("%s: terser leaves it late, the pass hoists it, behaviour unchanged", async (_name, src) => {
    const raw = await build(src);
    expect(checkBundle(raw).problems.map((p) => p.rule)).toContain("hoisting");
    const hoisted = hoistVars(raw);
    expect(checkBundle(hoisted).problems).toEqual([]);
    expect(run(hoisted)).toEqual(run(raw));
  });

  test("code with nothing to hoist is returned unchanged", () => {
    const code = "!function(){var a,b;function c(){return a}a=1,b=c()}();";
    expect(hoistVars(code)).toBe(code);
  });

  test("mixed declarators keep their initialisers as assignments, in order", () => {
    const code = "function f(){x();var a,b=2,c,d=b+1;return[a,b,c,d]}";
    const out = hoistVars(code);
    expect(out).toBe("function f(){var a,b,c,d;x();b=2,d=b+1;return[a,b,c,d]}");
  });
});
