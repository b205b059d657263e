// Line assembly: bounded whatever arrives (long lines, floods, lines left half-sent, binary).
import fc from "fast-check";
import { ERR_FLOOD, ERR_TOO_LONG, MAX_LINE, PARTIAL_TIMEOUT_MS, startLineAssembler } from "../../../firmware/consoleLines";

function assembler() {
  const got: (string | number)[] = [];
  let now = 0;
  const a = startLineAssembler((line, code) => got.push(line === null ? (code as number) : line), () => now);
  return { a, got, at: (t: number) => (now = t) };
}

describe("console line assembly", () => {
  test("lines split on CR, LF or CRLF, across chunks; empty lines are dropped", () => {
    const { a, got } = assembler();
    a.push("sta");
    a.push("tus\r\n\r\nvol -3");
    a.push("0\rmute on\n");
    expect(got).toEqual(["status", "vol -30", "mute on"]);
  });

  test("a line of exactly MAX_LINE passes; one more character drops it whole, reported once", () => {
    const { a, got } = assembler();
    a.push("x".repeat(MAX_LINE) + "\n");
    a.push("y".repeat(MAX_LINE + 1) + "\n");
    a.push("z".repeat(MAX_LINE * 100));
    a.push("z".repeat(MAX_LINE * 100) + "\r\nstatus\n");
    expect(got).toEqual(["x".repeat(MAX_LINE), ERR_TOO_LONG, ERR_TOO_LONG, "status"]);
  });

  test("backspace and DEL edit the line being typed", () => {
    const { a, got } = assembler();
    a.push("vol -3x\b0\n");
    a.push("mutt\x7fe on\n");
    a.push("\b\b\bab\n");
    expect(got).toEqual(["vol -30", "mute on", "ab"]);
  });

  test("a partial line left for PARTIAL_TIMEOUT_MS is forgotten", () => {
    const { a, got, at } = assembler();
    at(1000);
    a.push("vol -1");
    at(1000 + PARTIAL_TIMEOUT_MS + 1);
    a.push("status\n");
    at(30_000);
    a.push("vol -");
    at(31_000);
    a.push("20\n");
    expect(got).toEqual(["status", "vol -20"]);
  });

  test("a line trickling in a byte every 9 s is forgotten PARTIAL_TIMEOUT_MS after its first byte", () => {
    const { a, got, at } = assembler();
    let t = 1000;
    for (const c of "vol -2") {
      at((t += 9000));
      a.push(c);
    }
    at((t += 9000));
    a.push("0\r");
    at((t += 100));
    a.push("status\r");
    expect(got).toEqual(["0", "status"]);
  });

  test("a flood: a burst of 20 lines passes, the rest is dropped with one err, then 20 lines a second", () => {
    const { a, got, at } = assembler();
    at(10_000);
    a.push("status\n".repeat(100));
    expect(got.filter((g) => g === "status").length).toBe(20);
    expect(got.filter((g) => g === ERR_FLOOD).length).toBe(1);
    got.length = 0;
    at(10_500);
    a.push("status\n".repeat(100));
    expect(got).toEqual([...Array(10).fill("status"), ERR_FLOOD]);
    got.length = 0;
    for (let i = 1; i <= 100; i++) {
      at(20_000 + i * 50);
      a.push("status\n");
    }
    expect(got.length).toBe(100);
  });

  test("whatever arrives, the pending line stays bounded and every reported line is short (property)", () => {
    const chunk = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.constantFrom("\r", "\n", "\r\n", "\b", "x".repeat(1000), "status\n".repeat(50)),
      fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 200 }).map((a) => String.fromCharCode(...a))
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(chunk, fc.nat(20_000)), { maxLength: 40 }), (chunks) => {
        const { a, got, at } = assembler();
        let t = 0;
        for (const [c, dt] of chunks) {
          at((t += dt));
          a.push(c);
          expect(a.held()).toBeLessThanOrEqual(MAX_LINE);
        }
        for (const g of got) {
          if (typeof g === "number") expect([ERR_TOO_LONG, ERR_FLOOD]).toContain(g);
          else {
            expect(g.length).toBeGreaterThan(0);
            expect(g.length).toBeLessThanOrEqual(MAX_LINE);
            expect(g).not.toMatch(/[\r\n]/);
          }
        }
      }),
      { numRuns: 500, seed: 56 }
    );
  });

  test("without a clock (old callers): no flood limit and no timeout", () => {
    const got: (string | null)[] = [];
    const a = startLineAssembler((l) => got.push(l));
    a.push("status\n".repeat(50));
    expect(got.length).toBe(50);
  });
});
