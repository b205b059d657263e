// The console protocol, in-process: every command's reply, every error code, and a fuzz of
// random and mutated lines (no exception, a well-formed reply, nothing changed on an err).
import fc from "fast-check";
import { errLine } from "../../../firmware/console/protocol";
import { harness, snapshot } from "./fakes";

describe("commands", () => {
  test.each([
    ["vol -30", "ok vol -30", "setVolumeDb -30"],
    ["vol 0", "ok vol 0", "setVolumeDb 0"],
    ["vol -12.5", "ok vol -12.5", "setVolumeDb -12.5"],
    ["vol +2", "ok vol -58", "stepVolumeDb 2"],
    ["vol up 3", "ok vol -57", "stepVolumeDb 3"],
    ["vol down 0.5", "ok vol -60.5", "stepVolumeDb -0.5"],
    ["vol up", "ok vol -59", "stepVolumeDb 1"],
    ["mute on", "ok mute on", "setMute true"],
    ["mute off", "ok mute off", "setMute false"],
    ["out xlr", "ok out xlr", "selectOutput xlr"],
    ["gain 18", "ok gain 18", "setGainDb 18"],
    ["ab", "ok", "toggleAB"],
    ["clear", "ok", "clearFaults"],
    ["cal start", "ok", "calStart"],
    ["cal abort", "ok", "calAbort"],
    ["cal status", "ok cal running 40", "calStatus"],
  ])("%s -> %s through Controls (%s)", (line, reply, call) => {
    const h = harness();
    h.state.targetDb = -60;
    h.state.step = 1;
    expect(h.send(line)).toBe(reply);
    expect(h.calls).toEqual([call]);
  });

  test("gain while gain staging holds the relays lower: the reply says the gain in use and the one asked for", () => {
    const h = harness();
    h.stagedGainDb = 0;
    expect(h.send("gain 18")).toBe("ok gain 0 staged 18");
  });

  test("vol up/down without a size steps by the user's step", () => {
    const h = harness();
    h.state.step = 2;
    h.send("vol down");
    expect(h.calls).toEqual(["stepVolumeDb -2"]);
  });

  test("status answers with the status line; help lists commands and keys", () => {
    const h = harness();
    expect(h.send("status")).toBe("STATUS fake=1");
    expect(h.send("help")).toMatch(/^ok status vol mute out gain ab faults clear cal set get unlock help; keys: step maxvol .* password$/);
  });

  test("faults names the active faults and mute reasons", () => {
    const h = harness();
    h.state.faults = 4 | 32;
    h.state.muteReasons = 8 | 32;
    expect(h.send("faults")).toBe("ok faults=oc-left+thermal mute=over-current+user log=2,1.25,1000,0");
  });

  test("set and get a key; the reply shows the value in force", () => {
    const h = harness();
    expect(h.send("set step 2")).toBe("ok step 2");
    expect(h.state.step).toBe(2);
    expect(h.send("get step")).toBe("ok step 2");
    expect(h.send("set maxvol none")).toBe("ok maxvol none");
    expect(h.send("set cap.bal35 -25")).toBe("ok cap.bal35 -25");
    expect(h.send("get ab")).toBe("ok ab bal44,se63");
    expect(h.send("get password")).toBe("ok password none");
    expect(h.calls).toEqual([]);
  });

  test("a control's own refusal comes back as its err code", () => {
    const h = harness();
    h.result = 5;
    expect(h.send("out bal44")).toBe("err 5 refused by protection");
    h.result = 4;
    expect(h.send("gain 9")).toBe("err 4 busy");
  });
});

describe("errors: a clear err and nothing changed", () => {
  test.each([
    ["", 2],
    ["bogus", 2],
    ["VOL -30", 2],
    ["vol", 7],
    ["vol abc", 7],
    ["vol 5", 3],
    ["vol -100", 3],
    ["vol +0", 3],
    ["vol +31", 3],
    ["vol up -2", 7],
    ["vol up +2", 7],
    ["vol sideways 2", 7],
    ["vol -30 -20", 7],
    ["vol 1e1", 7],
    ["vol -3.141", 7],
    ["mute", 7],
    ["mute maybe", 7],
    ["out", 7],
    ["out speakers", 7],
    ["gain 6", 3],
    ["gain high", 7],
    ["ab now", 7],
    ["status please", 7],
    ["cal", 7],
    ["cal go", 7],
    ["set", 7],
    ["set step", 7],
    ["set step 3", 3],
    ["set nokey 1", 9],
    ["set vol.bal44 0", 9],
    ["set out xlr", 9],
    ["set pw 1", 9],
    ["set mute on", 9],
    ["get", 7],
    ["get nokey", 9],
    ["get pw", 9],
    ["unlock", 7],
    ["a b c d", 7],
    ["vol -30;", 8],
    ["vol\t-30", 8],
    ['digitalWrite("B8",1)', 8],
    ["E.setConsole(USB)", 8],
    ["reset()", 8],
    ["x".repeat(81), 1],
  ])("%p -> err %i", (line, code) => {
    const h = harness();
    const before = snapshot(h.state);
    expect(h.send(line)).toBe(errLine(code));
    expect(h.calls).toEqual([]);
    expect(snapshot(h.state)).toBe(before);
  });

  test("every err line names its code with a message", () => {
    for (let code = 1; code <= 14; code++) expect(errLine(code)).toMatch(new RegExp(`^err ${code} [a-z][a-z ]+$`));
  });
});

describe("fuzz", () => {
  const VALID = [
    "status", "help", "faults", "clear", "ab", "vol -30", "vol +2", "vol up 1.5", "vol down", "mute on", "mute off", "out bal44",
    "out se63", "gain 9", "cal status", "cal start", "cal abort", "set step 2", "set maxvol -10", "set mutelevel hard", "set ab xlr,se63",
    "set cap.xlr -3", "set jackselect off", "get startcap", "get gainstaging", "unlock secret1", "set password abcdef",
  ];
  const CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 +-.,;()\"'=_\t\x00\x7f\xff\u00e9{}[]";

  /** A valid line with a few random edits: replace, insert, delete, duplicate a word, truncate. */
  const mutated = fc.tuple(fc.constantFrom(...VALID), fc.array(fc.tuple(fc.nat(4), fc.nat(), fc.constantFrom(...CHARS)), { maxLength: 4 })).map(([line, edits]) => {
    let s = line;
    for (const [op, at, c] of edits) {
      const i = s.length ? at % (s.length + 1) : 0;
      if (op === 0) s = s.slice(0, i) + c + s.slice(i + 1);
      else if (op === 1) s = s.slice(0, i) + c + s.slice(i);
      else if (op === 2) s = s.slice(0, i) + s.slice(i + 1);
      else if (op === 3) s = s + " " + s.split(" ")[0];
      else s = s.slice(0, i);
    }
    return s;
  });
  const random = fc.array(fc.constantFrom(...CHARS), { maxLength: 100 }).map((a) => a.join(""));
  const numeric = fc.tuple(fc.constantFrom("vol ", "vol +", "vol up ", "gain ", "set maxvol ", "set startcap ", "set step ", "set mutelevel ", "set cap.bal44 "), fc.oneof(fc.double(), fc.integer(), fc.constantFrom("NaN", "-Infinity", "1e3", "0x1f", "-0", "99999999999", "-.5", "5."))).map(([p, n]) => p + String(n));

  test("10,000+ random and mutated lines: no exception, a well-formed reply, nothing changed on an err", () => {
    const h = harness();
    let runs = 0;
    let errs = 0;
    fc.assert(
      fc.property(fc.oneof({ arbitrary: mutated, weight: 5 }, { arbitrary: random, weight: 3 }, { arbitrary: numeric, weight: 2 }), (line) => {
        runs++;
        h.calls.length = 0;
        h.nowMs += 1000;
        const before = snapshot(h.state);
        const reply = h.send(line);
        expect(reply).toMatch(/^(ok( \S+)*|err \d+ [a-z ]+|STATUS .*)$/);
        if (reply.startsWith("err ")) {
          errs++;
          expect(h.calls).toEqual([]);
          expect(snapshot(h.state)).toBe(before);
        }
        expect(h.replAttached).toBe(false);
      }),
      { numRuns: 12_000, seed: 55 }
    );
    expect(runs).toBeGreaterThanOrEqual(10_000);
    expect(errs).toBeGreaterThan(runs / 4);
  });
});
