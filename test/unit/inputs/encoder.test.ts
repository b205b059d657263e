// The quadrature decoder of the front-panel knob: detents, direction, hysteresis, bounce, lost
// edges and acceleration, fed edge lists built here (independently of the simulator).
import fc from "fast-check";
import { accelSteps, ACCEL_MS, startEncoder } from "../../../firmware/inputs/encoder";

type Ev = { a: boolean; high: boolean; t: number };

/** One detent's four edges from the rest state (both high), as a full-cycle encoder makes them. */
function detentEdges(dir: 1 | -1, t0: number, periodMs: number): Ev[] {
  const first = dir > 0; // clockwise: A moves first
  const q = periodMs / 4;
  return [
    { a: first, high: false, t: t0 },
    { a: !first, high: false, t: t0 + q },
    { a: first, high: true, t: t0 + 2 * q },
    { a: !first, high: true, t: t0 + 3 * q },
  ];
}

function turn(dirs: (1 | -1)[], periodMs: number, t0 = 1000): Ev[] {
  const out: Ev[] = [];
  dirs.forEach((d, i) => out.push(...detentEdges(d, t0 + i * periodMs, periodMs)));
  return out;
}

function feed(evs: Ev[]): number[] {
  const enc = startEncoder(true, true);
  const out: number[] = [];
  for (const e of [...evs].sort((x, y) => x.t - y.t)) {
    const s = enc.edge(e.a, e.high, e.t);
    if (s !== 0) out.push(s);
  }
  return out;
}

/** Chatter like a worn contact: each edge followed by `n` short reversals within `bounceMs`. */
function bounce(evs: Ev[], glitches: [number, number][]): Ev[] {
  const out: Ev[] = [];
  evs.forEach((e, i) => {
    out.push(e);
    const [n, bounceMs] = glitches[i % glitches.length];
    for (let k = 0; k < n; k++) {
      const at = e.t + (bounceMs * (k + 0.2)) / (n + 0.5);
      out.push({ a: e.a, high: !e.high, t: at }, { a: e.a, high: e.high, t: at + (0.3 * bounceMs) / (n + 0.5) });
    }
  });
  return out;
}

describe("encoder: detents and direction", () => {
  test("a slow clockwise turn gives +1 per detent, counter-clockwise -1", () => {
    expect(feed(turn([1, 1, 1], 200))).toEqual([1, 1, 1]);
    expect(feed(turn([-1, -1], 200))).toEqual([-1, -1]);
  });

  test("the step comes when the contacts are back at rest, not before", () => {
    const enc = startEncoder(true, true);
    const evs = detentEdges(1, 0, 100);
    expect(enc.edge(evs[0].a, evs[0].high, evs[0].t)).toBe(0);
    expect(enc.edge(evs[1].a, evs[1].high, evs[1].t)).toBe(0);
    expect(enc.edge(evs[2].a, evs[2].high, evs[2].t)).toBe(0);
    expect(enc.edge(evs[3].a, evs[3].high, evs[3].t)).toBe(1);
  });

  test("hysteresis: turned three quarters and let go back to the detent, nothing happens", () => {
    const evs = detentEdges(1, 0, 100).slice(0, 3);
    // back the way it came: A falls again, B rises, A rises
    evs.push({ a: true, high: false, t: 80 }, { a: false, high: true, t: 90 }, { a: true, high: true, t: 100 });
    expect(feed(evs)).toEqual([]);
  });

  test("a direction change mid-turn counts only whole detents", () => {
    expect(feed(turn([1, 1, -1, -1, -1, 1], 150))).toEqual([1, 1, -1, -1, -1, 1]);
  });

  test("started off a detent (contacts not at rest), the partial cycle is not a step", () => {
    const enc = startEncoder(false, true);
    expect(enc.edge(false, false, 0)).toBe(0); // 00
    expect(enc.edge(true, true, 10)).toBe(0); // 10
    expect(enc.edge(false, true, 20)).toBe(0); // 11: rest, but only half a cycle counted
    const out = detentEdges(1, 300, 200).map((e) => enc.edge(e.a, e.high, e.t));
    expect(out).toEqual([0, 0, 0, 1]);
  });
});

describe("encoder: acceleration", () => {
  test("the step multiplier grows with speed, up to 4", () => {
    expect(accelSteps(1000)).toBe(1);
    expect(accelSteps(ACCEL_MS[0])).toBe(1);
    expect(accelSteps(ACCEL_MS[0] - 1)).toBe(2);
    expect(accelSteps(ACCEL_MS[1] - 1)).toBe(3);
    expect(accelSteps(ACCEL_MS[2] - 1)).toBe(4);
    expect(accelSteps(1)).toBe(4);
  });

  test("a brisk turn (50 ms per detent) is not accelerated; a fast spin is", () => {
    expect(feed(turn([1, 1, 1, 1], 50))).toEqual([1, 1, 1, 1]);
    expect(feed(turn([1, 1, 1, 1], 30))).toEqual([1, 2, 2, 2]);
    expect(feed(turn([-1, -1, -1, -1], 10))).toEqual([-1, -4, -4, -4]);
  });

  test("the first detent after a pause, and after a reversal, is a single step", () => {
    const evs = [...turn([1, 1], 20, 0), ...turn([1, 1], 20, 2000), ...turn([-1, -1], 20, 4000)];
    expect(feed(evs)).toEqual([1, 3, 1, 3, -1, -3]);
  });
});

describe("encoder: properties", () => {
  const dirArb = fc.constantFrom<1 | -1>(1, -1);

  test("any slow turn with contact bounce counts exactly the detents turned, each in its direction", () => {
    fc.assert(
      fc.property(
        fc.array(dirArb, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 60, max: 400 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.double({ min: 0.05, max: 1, noNaN: true })), { minLength: 1, maxLength: 8 }),
        (dirs, periodMs, glitches) => {
          // bounce stays inside its own quarter period (a contact settles before the next moves)
          const g = glitches.map(([n, frac]) => [n, (frac * periodMs) / 4 / 2] as [number, number]);
          expect(feed(bounce(turn(dirs, periodMs), g))).toEqual(dirs);
        },
      ),
    );
  });

  test("at any speed, with bounce, each detent is one emission of its own sign sized by its speed", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(dirArb, fc.integer({ min: 4, max: 300 })), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 2 }),
        (detents, n) => {
          const evs: Ev[] = [];
          const expected: number[] = [];
          let t = 1000;
          let lastDir = 0;
          let lastEnd = 0;
          for (const [d, p] of detents) {
            evs.push(...bounce(detentEdges(d, t, p), [[n, p / 8]]));
            const end = t + (3 * p) / 4;
            expected.push(d * (d === lastDir ? accelSteps(end - lastEnd) : 1));
            lastDir = d;
            lastEnd = end;
            t += p;
          }
          expect(feed(evs)).toEqual(expected);
        },
      ),
    );
  });

  test("one contact chattering on its own never makes a step", () => {
    fc.assert(
      fc.property(fc.boolean(), fc.array(fc.double({ min: 0.01, max: 50, noNaN: true }), { maxLength: 60 }), (onA, gaps) => {
        const enc = startEncoder(true, true);
        let t = 0;
        let level = true;
        for (const g of gaps) {
          t += g;
          level = !level;
          expect(enc.edge(onA, level, t)).toBe(0);
        }
      }),
    );
  });

  // An edge can be lost (Espruino's event queue full). Losing edges regularly aliases like any
  // sampled quadrature signal (every third edge lost reads as the reverse turn), so the promise
  // is for isolated losses: at most one in any two detents' worth of edges.
  test("an isolated lost edge costs at most a detent and never steps the wrong way", () => {
    fc.assert(
      fc.property(dirArb, fc.integer({ min: 1, max: 20 }), fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 10 }), (d, n, offsets) => {
        const lost = new Set(offsets.map((o, k) => k * 8 + o));
        const evs = turn(Array(n).fill(d), 100).filter((_, i) => !lost.has(i));
        const lostCount = offsets.filter((o, k) => k * 8 + o < 4 * n).length;
        const out = feed(evs);
        expect(out.length).toBeLessThanOrEqual(n);
        expect(out.length).toBeGreaterThanOrEqual(n - lostCount);
        for (const s of out) expect(s).toBe(d);
      }),
    );
  });
});
