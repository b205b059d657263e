// docs/simulator.md keeps up with the panel's keys and the scenario language, and the example
// scenarios in the repo parse (a broken example would be the first thing a new user runs).
import * as fs from "fs";
import * as path from "path";
import { KEY_HELP } from "../../tools/panel/keys";
import { ACTION_HELP } from "../../tools/scenario/actions";
import { parseScenario } from "../../tools/scenario/format";

const ROOT = path.resolve(__dirname, "../..");
const doc = fs.readFileSync(path.join(ROOT, "docs/simulator.md"), "utf8");

test("every key and every action is documented with its help text", () => {
  for (const [label, help] of KEY_HELP) expect(doc).toContain(`| \`${label}\` | ${help} |`);
  for (const [usage, help] of ACTION_HELP) expect(doc).toContain(`| \`${usage.replace(/\|/g, "\\|")}\` | ${help} |`);
});

test("the example scenarios parse, and each one the docs name exists", () => {
  const dir = path.join(ROOT, "examples/scenarios");
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".txt"));
  expect(files.length).toBeGreaterThanOrEqual(4);
  for (const f of files) {
    const sc = parseScenario(fs.readFileSync(path.join(dir, f), "utf8"), f);
    expect(sc.steps.length).toBeGreaterThan(3);
    expect(doc).toContain(f);
  }
});

test("the panel capture and the example plot are committed and look like what they are", () => {
  const panel = fs.readFileSync(path.join(ROOT, "docs/panel.txt"), "utf8");
  expect(panel).toMatch(/BALANCED AMP\s+pico/);
  expect(panel).not.toContain("\uFFFD");
  expect(doc).toContain(panel.split("\n")[0]);
  const svg = fs.readFileSync(path.join(ROOT, "docs/example-plot.svg"), "utf8");
  expect(svg.startsWith("<svg")).toBe(true);
  expect(svg).toContain("Attenuation (dB)");
});
