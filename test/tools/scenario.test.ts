// Scenario files and the headless runner: the format is checked line by line before anything
// runs; the runner samples a trace in simulated time that agrees with what the sim did (relay
// events, power cut, hand on the shaft); `npm start -- --scenario FILE --out DIR` writes a plot
// and a CSV with that content and exits 0, and refuses a broken file with its line number.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { BOARDS } from "../../boards/index";
import { parseAction } from "../../tools/scenario/actions";
import { parseScenario } from "../../tools/scenario/format";
import { eventsCsv, refusedLines, runScenario, Trace, TRACE_COLUMNS, traceCsv, traceSummary } from "../../tools/scenario/runner";
import { readBundle, ROOT } from "../helpers/device";

const board = BOARDS.pico;

function run(text: string, seed = 1): Trace {
  return runScenario(parseScenario(text, "test.txt"), { board, code: readBundle("pico"), seed });
}

/** RFC 4180 fields: quoted when they hold a comma or a quote. */
function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  const re = /("(?:[^"]|"")*"|[^,]*)(,|$)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    out.push(m[1].startsWith('"') ? m[1].slice(1, -1).replace(/""/g, '"') : m[1]);
    if (m[2] === "") break;
  }
  return out;
}

function parseCsv(text: string): { header: string[]; rows: string[][] } {
  const lines = text.trim().split("\n");
  return { header: splitCsvLine(lines[0]), rows: lines.slice(1).map(splitCsvLine) };
}

describe("scenario format", () => {
  test("settings, absolute and relative times, comments", () => {
    const sc = parseScenario(
      ["# a comment", "title Two steps", "seed 7", "sample 2", "plugged bal35, se63", "", "1.5 console vol -30   # trailing comment", "+0.5 knob +3 20", "4 power cut 2"].join("\n"),
      "x.txt",
    );
    expect(sc.title).toBe("Two steps");
    expect(sc.seed).toBe(7);
    expect(sc.sampleMs).toBe(2);
    expect(sc.plugged).toEqual(["bal35", "se63"]);
    expect(sc.steps.map((s) => s.atMs)).toEqual([1500, 2000, 4000]);
    expect(sc.steps.map((s) => s.line)).toEqual([7, 8, 9]);
    expect(sc.steps[0].action).toEqual({ verb: "console", line: "vol -30" });
    expect(sc.steps[1].action).toEqual({ verb: "knob", detents: 3, periodMs: 20 });
    expect(sc.steps[2].action).toEqual({ verb: "power", what: "cut", offMs: 2000 });
    expect(sc.durationMs).toBe(7000); // last step + 3 s
  });

  test.each([
    ["1 knob", /x\.txt:1: knob: expected a number/],
    ["1 fly away", /x\.txt:1: unknown action "fly"/],
    ["2 knob +1\n1 knob -1", /x\.txt:2: time 1 s is before the previous step/],
    ["plugged bal35 rca", /x\.txt:1: plugged: unknown output "rca"/],
    ["seed", /x\.txt:1: "seed" needs a value/],
    ["status 20", /x\.txt:1: status: polling faster than every 60 ms floods/],
    ["1 dc L3 1", /x\.txt:1: dc: leg must be one of L\+ L- R\+ R-/],
    ["1 ir power", /x\.txt:1: ir: unknown key "power"/],
    ["1 se-plug se63", /x\.txt:1: se-plug: a single-ended plug fits a TRRS jack only/],
    ["duration 2\n3 knob +1", /x\.txt: duration 2 s ends before the last step at 3 s/],
  ])("refuses %j", (text, message) => {
    expect(() => parseScenario(text, "x.txt")).toThrow(message);
  });

  test("every action verb parses into what it says", () => {
    expect(parseAction("hand +20")).toEqual({ verb: "hand", toDeg: 20, degPerS: 90, relative: true });
    expect(parseAction("hand 150 60")).toEqual({ verb: "hand", toDeg: 150, degPerS: 60, relative: false });
    expect(parseAction("ir vol+ 3")).toMatchObject({ verb: "ir", key: "vol+", repeats: 3 });
    expect(parseAction("ir 4d:10")).toMatchObject({ verb: "ir", address: 0x4d, command: 0x10 });
    expect(parseAction("unplug xlr")).toEqual({ verb: "plug", output: "xlr", inserted: false });
    expect(parseAction("dc R- -0.2")).toEqual({ verb: "dc", leg: 3, volts: -0.2 });
    expect(parseAction("short right on")).toEqual({ verb: "short", channel: "right", on: true });
    expect(parseAction("deck 6 dirty")).toEqual({ verb: "deck", deck: 6, fault: "dirty" });
    expect(parseAction("ac off")).toEqual({ verb: "ac", on: false });
    expect(parseAction("power on")).toEqual({ verb: "power", what: "on" });
    expect(parseAction("mark the knob")).toEqual({ verb: "mark", text: "the knob" });
  });
});

describe("scenario runner (in simulated time)", () => {
  test("the trace samples every sampleMs, and relay events in the log match the sampled relay state", () => {
    const tr = run("sample 2\nplugged bal35\nduration 4\n2 dc L+ 1.0\n3 dc L+ 0");
    expect(tr.rows.length).toBe(4000 / 2 + 1);
    tr.rows.forEach((r, i) => expect(r.t).toBeCloseTo(i * 2, 6));
    const opened = tr.log.find((e) => e.kind === "relay" && /output relay open/.test(e.text) && e.t >= 2000)!;
    expect(opened).toBeDefined();
    // Before the event every sample is connected (once the power-on delay is over); after it, open.
    const before = tr.rows.filter((r) => r.t > 1500 && r.t < opened.t);
    const after = tr.rows.filter((r) => r.t > opened.t + 2 && r.t < 3000);
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((r) => r.connected)).toBe(true);
    expect(after.every((r) => !r.connected)).toBe(true);
    expect(tr.log.some((e) => e.kind === "user" && e.text === "DC on L+: 1.000 V" && e.t === 2000)).toBe(true);
    expect(tr.errors).toEqual([]);
  });

  test("a power cut: the controller is off for a while, boots again, time and shaft carry on", () => {
    const tr = run("duration 5\n1.5 power cut 1");
    expect(tr.boots).toBe(2);
    const off = tr.rows.filter((r) => r.power === "off");
    expect(off.length).toBeGreaterThan(0);
    expect(off[0].t).toBeGreaterThanOrEqual(1500);
    expect(off[off.length - 1].t).toBeLessThan(1500 + 1000 + 200);
    // Off means off: no output relay, no motor drive.
    expect(off.every((r) => !r.connected && r.drive === 0)).toBe(true);
    // One clock across the reboot, and the pot is where it was.
    for (let i = 1; i < tr.rows.length; i++) expect(tr.rows[i].t).toBeGreaterThan(tr.rows[i - 1].t);
    const i = tr.rows.indexOf(off[off.length - 1]);
    expect(Math.abs(tr.rows[i + 1].shaftDeg - tr.rows[i].shaftDeg)).toBeLessThan(1);
    expect(tr.log.filter((e) => /^BOOT /.test(e.text)).length).toBe(2);
  });

  test("a hand on the shaft moves the true attenuation of both channels", () => {
    const tr = run("duration 4\n1.5 hand 200 100");
    const start = tr.rows.find((r) => r.t === 1500)!;
    const moving = tr.rows.find((r) => r.t === 2000)!;
    expect(moving.shaftDeg).toBeGreaterThan(start.shaftDeg + 40);
    expect(moving.leftDb).toBeGreaterThan(start.leftDb);
    expect(moving.rightDb).toBeGreaterThan(start.rightDb);
  });

  test("the CSV has a header and one row per sample, the firmware's status fields as fw_ columns", () => {
    const tr = run("duration 1.5\nsample 10");
    const csv = parseCsv(traceCsv(tr));
    expect(csv.header.slice(0, TRACE_COLUMNS.length)).toEqual(TRACE_COLUMNS);
    expect(csv.header).toContain("fw_mute");
    expect(csv.rows.length).toBe(151);
    for (const r of csv.rows) expect(r.length).toBe(csv.header.length);
    const last = csv.rows[csv.rows.length - 1];
    expect(Number(last[0])).toBeCloseTo(1.5, 6);
    expect(last[csv.header.indexOf("fw_legs_mv")]).toMatch(/^-?\d+,-?\d+,-?\d+,-?\d+$/);
    expect(Number(last[csv.header.indexOf("shaft_deg")])).toBeGreaterThan(0);
  });
});

describe("protection faults in the log (and so in events.csv and the panel's Log)", () => {
  test("a DC step and a short appear as FAULT lines when they trip, CLEAR when they go", () => {
    const tr = run(["duration 6", "plugged bal35", "2 dc 1 1.0", "2.5 dc 1 0", "3 console clear", "4 short left on"].join("\n"));
    const faults = tr.log.filter((e) => e.kind === "fault").map((e) => e.text);
    // (the 1 V is beyond the slow window too: dc-creep comes and goes with it)
    expect(faults.filter((f) => !/dc-creep/.test(f))).toEqual(["FAULT dc-step", "CLEAR dc-step", "FAULT oc-left"]);
    expect(eventsCsv(tr)).toMatch(/,fault,FAULT dc-step/);
  });
});

describe("examples/scenarios/ac-loss.txt does what it says", () => {
  test("mains loss mutes, then heat derates, trips and re-arms within its 20 s", () => {
    const sc = parseScenario(fs.readFileSync(path.join(ROOT, "examples/scenarios/ac-loss.txt"), "utf8"), "ac-loss.txt");
    const tr = runScenario(sc, { board, code: readBundle("pico"), seed: sc.seed ?? 1 });
    const faults = tr.log.filter((e) => e.kind === "fault").map((e) => e.text);
    for (const f of ["FAULT ac-loss", "FAULT derate", "FAULT thermal", "CLEAR thermal"]) expect(faults).toContain(f);
    expect(tr.rows[tr.rows.length - 1].connected).toBe(true);
    expect(parseAction("heat 75 now")).toEqual({ verb: "heat", celsius: 75, now: true });
    expect(() => parseAction("heat 75 later")).toThrow(/"now"/);
  });
});

describe("relay contact bounce in the log", () => {
  test("the output relay closing at power-on is one entry, its bounce counted, never closed/open/closed", () => {
    const tr = run(["duration 3", "plugged bal35"].join("\n"), 2); // (a unit whose contacts bounce)
    const relay = tr.log.filter((e) => e.kind === "relay" && e.text.startsWith("output relay ")).map((e) => e.text);
    expect(relay).toEqual(["output relay closed (contacts bounced 1x)"]);
  });
});

describe("a console line the firmware refuses", () => {
  test("is named in the summary with its reply, not passed over", () => {
    const tr = run(["duration 3", "plugged bal35", "1.5 console vol -30", "2 console gain 27", "2.5 console set cap.bal35 0"].join("\n"));
    expect(refusedLines(tr).map((e) => e.text)).toEqual(["err 3 out of range", "err 10 not allowed"]);
    const summary = traceSummary(tr).join("\n");
    expect(summary).toMatch(/refused at 2\.\d\d s: err 3 out of range/);
    expect(summary).toMatch(/refused at 2\.5\d s: err 10 not allowed/);
  });
});

describe("npm start -- --scenario FILE --out DIR", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "scenario-test-"));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  function simulate(args: string[]) {
    return spawnSync(process.execPath, [path.join(ROOT, "tools/ts.js"), path.join(ROOT, "tools/simulate.ts"), "--no-build", ...args], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
  }

  test("writes plot.svg and trace.csv with the run in them, and exits 0", () => {
    const file = path.join(tmp, "dc.txt");
    fs.writeFileSync(file, "title DC step test\nplugged bal35\nduration 3\nsample 5\n1.5 console vol -30\n2 dc L+ 1.0\n");
    const out = path.join(tmp, "out");
    const r = simulate(["--scenario", file, "--out", out, "--seed", "5"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/DC step test: 3\.0 s simulated on pico \(seed 5\), 601 samples/);

    const svg = fs.readFileSync(path.join(out, "plot.svg"), "utf8");
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    for (const title of ["DC step test", "Attenuation (dB)", "Motor drive", "L/R tracking error", "Relays, mute", "DC on L+: 1.000 V", "output relay"]) expect(svg).toContain(title);
    // The lines are drawn: a long path per true channel.
    const longPaths = (svg.match(/<path [^>]*d="M[^"]{2000,}"/g) || []).length;
    expect(longPaths).toBeGreaterThanOrEqual(2);

    const csv = parseCsv(fs.readFileSync(path.join(out, "trace.csv"), "utf8"));
    expect(csv.rows.length).toBe(601);
    const col = (name: string) => csv.header.indexOf(name);
    const at = (t: number) => csv.rows.find((row) => Number(row[0]) === t)!;
    expect(at(1.9)[col("connected")]).toBe("1");
    expect(at(2.1)[col("connected")]).toBe("0");
    expect(at(2.1)[col("fw_mute")]).toMatch(/dc/);
    expect(Number(at(2.5)[col("left_db")])).toBeLessThan(0);
    const events = fs.readFileSync(path.join(out, "events.csv"), "utf8");
    expect(events).toMatch(/^2\.0000,user,DC on L\+: 1\.000 V$/m);
    expect(events).toMatch(/^2\.0\d+,relay,output relay open \(muted\)$/m);
  });

  test("a broken scenario file: exit 2, the file and line named, nothing written", () => {
    const file = path.join(tmp, "bad.txt");
    fs.writeFileSync(file, "duration 3\n1 knob +1\n2 dc L9 1\n");
    const out = path.join(tmp, "bad-out");
    const r = simulate(["--scenario", file, "--out", out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`simulate: ${file}:3: dc: leg must be one of`);
    expect(fs.existsSync(out)).toBe(false);
  });
});
