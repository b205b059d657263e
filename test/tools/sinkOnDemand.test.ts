// The build moves the helpers only an on-demand function uses into it (tools/sinkOnDemand.js), so
// they exist on the device only while it runs. What moves must be used by nothing else, and the
// code must run as before.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { sinkOnDemand } = require("../../tools/sinkOnDemand");

function run(code: string, expr: string): unknown {
  return new Function(code + "\nreturn " + expr + ";")();
}

describe("moving helpers into on-demand functions", () => {
  it("moves a helper and a constant only the root uses, keeping their order, and the code gives the same answer", () => {
    const code = "var WORDS = 'a b';\nfunction count(s) { return s.split(' ').length; }\nfunction createParser(x) { return count(WORDS) + x; }\nfunction other() { return 1; }\nvar r = createParser(1) + other();";
    const out = sinkOnDemand(code, ["createParser"]);
    expect(out).toMatch(/function createParser\(x\) \{\s*var WORDS = 'a b';\s*function count\(s\)/);
    expect(out.indexOf("function other")).toBeGreaterThan(out.indexOf("createParser(x)"));
    expect(out.split("function count").length).toBe(2);
    expect(run(out, "r")).toBe(run(code, "r"));
  });

  it("keeps a helper anything else also uses, and what that helper uses", () => {
    const code = "function base() { return 2; }\nfunction shared() { return base(); }\nfunction createParser() { return shared(); }\nfunction tick() { return shared(); }\nvar r = createParser() + tick();";
    const out = sinkOnDemand(code, ["createParser"]);
    expect(out).toBe(code);
  });

  it("keeps a var that is assigned after its declaration (state, not a constant)", () => {
    const code = "var n = 0;\nfunction createParser() { return ++n; }\nvar r = createParser() + createParser();";
    expect(sinkOnDemand(code, ["createParser"])).toBe(code);
  });

  it("keeps a helper whose names the root would capture (a parameter or local of the same name)", () => {
    const code = "var k = 5;\nfunction helper() { return k; }\nfunction createParser(k) { return helper() + k; }\nvar r = createParser(1);";
    const out = sinkOnDemand(code, ["createParser"]);
    expect(out).toBe(code);
    expect(run(out, "r")).toBe(6);
  });

  it("keeps what top-level code uses directly", () => {
    const code = "var HELP = 'h';\nfunction createParser() { return HELP; }\nvar r = createParser() + HELP;";
    expect(sinkOnDemand(code, ["createParser"])).toBe(code);
  });
});

describe("roots stay where they are", () => {
  it("a root only another root uses keeps its place (and its own helpers), so making the other does not lex it", () => {
    const code = "function h() { return 1; }\nfunction createInner() { return h(); }\nfunction createOuter() { return createInner(); }\nvar r = createOuter();";
    const out = sinkOnDemand(code, ["createOuter", "createInner"]);
    expect(out).toMatch(/^\s*function createInner\(\) \{\s*function h\(\)/);
    expect(out).toMatch(/function createOuter\(\) \{ return createInner\(\); \}/);
    expect(new Function(out + "\nreturn r;")()).toBe(1);
  });
});

describe("the roots named", () => {
  it("a root missing from the code fails the build (a renamed root would keep its helpers for ever)", () => {
    expect(() => sinkOnDemand("function other() {}\nother();", ["createParser"])).toThrow(/no top-level function createParser/);
  });
});
