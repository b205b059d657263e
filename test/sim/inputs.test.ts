import { amp, PICO, recordEdges } from "./helpers";

/** Marks (low) and spaces (high) as [level, durationMs] from recorded edges. */
function segments(edges: [number, boolean][]): [boolean, number][] {
  const out: [boolean, number][] = [];
  for (let i = 0; i + 1 < edges.length; i++) out.push([edges[i][1], edges[i + 1][0] - edges[i][0]]);
  return out;
}

function decodeNec(edges: [number, boolean][], tol: number): number[] {
  const seg = segments(edges);
  expect(seg[0][0]).toBe(false);
  expect(Math.abs(seg[0][1] - 9)).toBeLessThanOrEqual(tol);
  expect(Math.abs(seg[1][1] - 4.5)).toBeLessThanOrEqual(tol);
  const bytes = [0, 0, 0, 0];
  for (let bit = 0; bit < 32; bit++) {
    const mark = seg[2 + 2 * bit];
    const space = seg[3 + 2 * bit];
    expect(mark[0]).toBe(false);
    expect(Math.abs(mark[1] - 0.5625)).toBeLessThanOrEqual(tol);
    const one = Math.abs(space[1] - 1.6875) <= tol;
    const zero = Math.abs(space[1] - 0.5625) <= tol;
    expect(one !== zero).toBe(true);
    if (one) bytes[bit >> 3] |= 1 << (bit & 7); // LSB first
  }
  expect(Math.abs(seg[66][1] - 0.5625)).toBeLessThanOrEqual(tol); // stop mark
  return bytes;
}

describe("NEC IR", () => {
  it("sends textbook frames: 9 / 4.5 ms leader, 32 bits LSB first, stop mark", () => {
    const a = amp({ seed: 1, irDistortion: false });
    const edges = recordEdges(a, PICO.pins.ir);
    a.clock.advance(5);
    a.irSend(0x04, 0x1b);
    a.clock.advance(200);
    expect(edges.length).toBe(68);
    expect(edges[0][0]).toBe(5);
    expect(edges[edges.length - 1][1]).toBe(true); // idles high
    expect(decodeNec(edges, 1e-9)).toEqual([0x04, 0xfb, 0x1b, 0xe4]);
  });

  it("sends repeat codes every 108 ms after the frame", () => {
    const a = amp({ seed: 2, irDistortion: false });
    const edges = recordEdges(a, PICO.pins.ir);
    a.irSend(0x10, 0x02, 3);
    a.clock.advance(500);
    expect(edges.length).toBe(68 + 3 * 4);
    for (let r = 1; r <= 3; r++) {
      const e = edges.slice(68 + 4 * (r - 1), 68 + 4 * r);
      expect(e[0]).toEqual([108 * r, false]);
      expect(e[1][0] - e[0][0]).toBeCloseTo(9, 9);
      expect(e[2][0] - e[1][0]).toBeCloseTo(2.25, 9);
      expect(e[3][0] - e[2][0]).toBeCloseTo(0.5625, 9);
    }
  });

  it("with receiver distortion still decodes within ±0.15 ms; extended addresses send the high byte", () => {
    const a = amp({ seed: 3 });
    const edges = recordEdges(a, PICO.pins.ir);
    a.irSend(0xbeef, 0x42);
    a.clock.advance(150);
    expect(decodeNec(edges, 0.15)).toEqual([0xef, 0xbe, 0x42, 0xbd]);
  });

  it("queues frames sent while one is still going", () => {
    const a = amp({ seed: 4, irDistortion: false });
    const edges = recordEdges(a, PICO.pins.ir);
    a.irSend(1, 1);
    a.irSend(1, 2);
    a.clock.advance(300);
    expect(edges.length).toBe(136);
    expect(edges[68][0]).toBe(108);
  });
});

describe("encoder", () => {
  it("clockwise: one detent = A fall, B fall, A rise, B rise (A leads B)", () => {
    const a = amp({ seed: 5 });
    const { encA, encB } = PICO.pins;
    const log: string[] = [];
    a.pins.onEdge(encA, (l, t) => log.push(`A${l ? "+" : "-"}@${t}`));
    a.pins.onEdge(encB, (l, t) => log.push(`B${l ? "+" : "-"}@${t}`));
    a.turnKnob(2, 40);
    a.clock.advance(100);
    expect(log).toEqual(["A-@0", "B-@10", "A+@20", "B+@30", "A-@40", "B-@50", "A+@60", "B+@70"]);
    expect(a.pins.digitalRead(encA) && a.pins.digitalRead(encB)).toBe(true);
  });

  it("counter-clockwise: B leads A", () => {
    const a = amp({ seed: 6 });
    const { encA, encB } = PICO.pins;
    const log: string[] = [];
    a.pins.onEdge(encA, (l) => log.push(`A${l ? "+" : "-"}`));
    a.pins.onEdge(encB, (l) => log.push(`B${l ? "+" : "-"}`));
    a.turnKnob(-1);
    a.clock.advance(100);
    expect(log).toEqual(["B-", "A-", "B+", "A+"]);
  });

  it("contact bounce, when asked for, adds glitches but ends at the right level", () => {
    const a = amp({ seed: 7, contactBounceMs: 2 });
    const edges = recordEdges(a, PICO.pins.encA);
    a.turnKnob(1, 40);
    a.clock.advance(100);
    expect(edges.length).toBe(10);
    expect(edges[edges.length - 1][1]).toBe(true);
  });

  it("push button is active low for holdMs", () => {
    const a = amp({ seed: 8 });
    const edges = recordEdges(a, PICO.pins.encPush);
    a.clock.advance(3);
    a.pressKnob(250);
    a.clock.advance(1000);
    expect(edges).toEqual([
      [3, false],
      [253, true],
    ]);
  });
});
