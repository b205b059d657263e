// The project's structural rules, enforced (DESIGN.md §2, issue 11): only hal/espruino.ts names
// the Espruino globals; firmware/ never imports the simulation or the tools; no firmware file grows
// past 300 lines (the files already past it may only shrink, until they are split).
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "../..");
const MAX_LINES = 300;
/** Past MAX_LINES today: the ceiling each may not exceed (lower it when a file shrinks). */
const OVER_TODAY: Record<string, number> = {
  "firmware/volume/volumeUnit.ts": 303,
  "firmware/volume/potController.ts": 374,
};
/** Espruino's globals (the device's API): touched only through the HAL. */
const ESPRUINO_GLOBALS = [
  "E", "Pin", "setWatch", "clearWatch", "setInterval", "clearInterval", "setTimeout", "clearTimeout", "analogRead", "analogWrite",
  "digitalRead", "digitalWrite", "digitalPulse", "pinMode", "getTime", "require", "Serial1", "USB", "Bluetooth", "NRF", "LED1", "LED2",
  "process", "global", "SPI", "I2C", "peek32", "poke32", "save", "load", "reset", "print", "console", "changeInterval", "getSerial",
];

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const n of fs.readdirSync(path.join(ROOT, dir))) {
    const rel = path.join(dir, n);
    if (fs.statSync(path.join(ROOT, rel)).isDirectory()) out.push(...filesUnder(rel));
    else if (n.endsWith(".ts")) out.push(rel);
  }
  return out;
}

function source(rel: string): ts.SourceFile {
  return ts.createSourceFile(rel, fs.readFileSync(path.join(ROOT, rel), "utf8"), ts.ScriptTarget.ES2015, true);
}

/** Identifiers that name one of `names` as a free reference (not a property, key or declaration;
 *  a name the file declares anywhere, e.g. a local `E`, is its own). */
function globalsUsed(sf: ts.SourceFile, globals: string[]): string[] {
  const declared = new Set<string>();
  const collect = (node: ts.Node) => {
    if ((ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isFunctionDeclaration(node) || ts.isImportSpecifier(node)) && node.name && ts.isIdentifier(node.name)) declared.add(node.name.text);
    ts.forEachChild(node, collect);
  };
  collect(sf);
  const names = globals.filter((g) => !declared.has(g));
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isIdentifier(node) && names.includes(node.text)) {
      const p = node.parent;
      const isName =
        (ts.isPropertyAccessExpression(p) && p.name === node) ||
        ((ts.isPropertyAssignment(p) || ts.isPropertySignature(p) || ts.isMethodSignature(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p)) && p.name === node) ||
        ((ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isFunctionDeclaration(p) || ts.isImportSpecifier(p)) && p.name === node);
      if (!isName) found.push(`${node.text} (line ${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1})`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

const FIRMWARE = filesUnder("firmware");
const DEVICE_FREE = [...FIRMWARE, ...filesUnder("boards"), "hal/hal.ts"];

describe("code rules", () => {
  test("the rule finder sees a free Espruino global and not a property or a comment of that name", () => {
    const sf = ts.createSourceFile("x.ts", "// setWatch here\nconst o = { E: 1, getTime: 2 }; o.E; o.getTime;\nsetWatch(o, 'B1'); E.kickWatchdog();", ts.ScriptTarget.ES2015, true);
    expect(globalsUsed(sf, ESPRUINO_GLOBALS)).toEqual(["setWatch (line 3)", "E (line 3)"]);
    const local = ts.createSourceFile("y.ts", "function f(E: number) { return E; }", ts.ScriptTarget.ES2015, true);
    expect(globalsUsed(local, ESPRUINO_GLOBALS)).toEqual([]);
  });

  test.each(DEVICE_FREE)("%s names no Espruino global (only hal/espruino.ts may)", (rel) => {
    expect(globalsUsed(source(rel), ESPRUINO_GLOBALS)).toEqual([]);
  });

  test.each(FIRMWARE)("%s imports neither the simulation nor the tools", (rel) => {
    const sf = source(rel);
    const bad = sf.statements
      .filter(ts.isImportDeclaration)
      .map((d) => (d.moduleSpecifier as ts.StringLiteral).text)
      .filter((m) => /hal\/sim|\/tools\/|^\.\.\/\.\.\/tools|^\.\.\/tools/.test(m));
    expect(bad).toEqual([]);
  });

  test.each(FIRMWARE)("%s reads no board field the build leaves out of the bundle (host-only)", (rel) => {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const hostOnly: string[][] = require("../../rollup.config.js").HOST_ONLY;
    const text = fs.readFileSync(path.join(ROOT, rel), "utf8");
    expect(hostOnly.map((p) => p[p.length - 1]).filter((name) => new RegExp("\\." + name + "\\b").test(text))).toEqual([]);
  });

  test.each(FIRMWARE)("%s stays within 300 lines (or below its ceiling, if past it today)", (rel) => {
    const lines = fs.readFileSync(path.join(ROOT, rel), "utf8").split("\n").length - 1;
    expect(lines).toBeLessThanOrEqual(OVER_TODAY[rel] ?? MAX_LINES);
  });

  test("every ceiling is for a file that exists and is still past 300 lines", () => {
    for (const [rel, ceiling] of Object.entries(OVER_TODAY)) {
      const lines = fs.readFileSync(path.join(ROOT, rel), "utf8").split("\n").length - 1;
      expect(lines).toBeGreaterThan(MAX_LINES);
      expect(ceiling).toBeGreaterThanOrEqual(lines);
    }
  });
});
