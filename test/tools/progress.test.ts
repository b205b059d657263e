// The progress indication: silent for short work, a bar in place on a terminal, a plain line
// every few seconds in a log.
import { startProgress } from "../../tools/scenario/progress";

function sink(isTTY: boolean) {
  const out: string[] = [];
  return { out, stream: { isTTY, write: (s: string) => (out.push(s), true) } };
}

describe("progress", () => {
  test("work that ends within the first 1.5 s shows nothing", () => {
    let t = 0;
    const s = sink(true);
    const p = startProgress("job", { stream: s.stream, now: () => t });
    for (; t < 1400; t += 100) p.update(t / 1400);
    p.done();
    expect(s.out).toEqual([]);
  });

  test("on a terminal: a bar redrawn in place, cleared at the end", () => {
    let t = 0;
    const s = sink(true);
    const p = startProgress("scenario x", { stream: s.stream, now: () => t });
    for (; t <= 4000; t += 50) p.update(t / 4000, "simulating");
    p.done("done");
    const draws = s.out.filter((x) => x.startsWith("\r\x1b[2K") && x.includes("%"));
    expect(draws.length).toBeGreaterThan(10);
    expect(draws.length).toBeLessThanOrEqual(26); // at most every 100 ms
    expect(draws[draws.length - 1]).toMatch(/scenario x \[#{30}\] 100 % 4\.0 s/);
    expect(draws[0]).toMatch(/scenario x \[#+-+\]\s+\d+ %/);
    expect(s.out[s.out.length - 2]).toBe("\r\x1b[2K");
    expect(s.out[s.out.length - 1]).toBe("done\n");
  });

  test("in a log: whole lines, one every 5 s", () => {
    let t = 0;
    const s = sink(false);
    const p = startProgress("bench", { stream: s.stream, now: () => t });
    for (; t <= 20000; t += 100) p.update(t / 20000);
    expect(s.out.length).toBe(4); // at 1.5 s, 6.5, 11.5, 16.5
    for (const l of s.out) expect(l).toMatch(/^bench: +\d+ % \([\d.]+ s(, ~\d+ s left)?\)\n$/);
  });
});
