// The NEC decoder, fed edge lists built here from the NEC timings (independently of the
// simulator): frames, extended addresses, repeat codes and their timeout, receiver distortion,
// and noise of every kind, which must never produce a key.
import fc from "fast-check";
import { NEC_NONE, NEC_REPEAT, NEC_REPEAT_TIMEOUT_MS, necAddress, necCode, necCommand, startNecDecoder } from "../../../firmware/inputs/irNec";

type Edge = [high: boolean, t: number];

const LEAD_MARK = 9;
const LEAD_SPACE = 4.5;
const REPEAT_SPACE = 2.25;
const BIT_MARK = 0.5625;
const ZERO_SPACE = 0.5625;
const ONE_SPACE = 1.6875;
const PERIOD = 108;

interface Distortion {
  /** Receiver: marks end this much late. */
  stretch?: number;
  /** Remote's clock: every duration times this. */
  scale?: number;
}

/** The 32 data bits, LSB first: address, ~address (or the high byte), command, ~command. */
function frameBits(address: number, command: number): number[] {
  const lo = address & 0xff;
  const second = address > 0xff ? address >> 8 : ~lo & 0xff;
  const bits: number[] = [];
  for (const byte of [lo, second, command, ~command & 0xff]) for (let b = 0; b < 8; b++) bits.push((byte >> b) & 1);
  return bits;
}

function marksToEdges(t0: number, parts: [mark: number, space: number][], d: Distortion): Edge[] {
  const k = d.scale ?? 1;
  const s = d.stretch ?? 0;
  const out: Edge[] = [];
  let t = t0;
  for (const [mark, space] of parts) {
    out.push([false, t], [true, t + mark * k + s]);
    t += (mark + space) * k;
  }
  return out;
}

function frameFromBits(t0: number, bits: number[], d: Distortion = {}): Edge[] {
  const parts: [number, number][] = [[LEAD_MARK, LEAD_SPACE]];
  for (const b of bits) parts.push([BIT_MARK, b ? ONE_SPACE : ZERO_SPACE]);
  parts.push([BIT_MARK, 0]);
  return marksToEdges(t0, parts, d);
}

function frame(t0: number, address: number, command: number, d: Distortion = {}): Edge[] {
  return frameFromBits(t0, frameBits(address, command), d);
}

function repeatCode(t0: number, d: Distortion = {}): Edge[] {
  return marksToEdges(t0, [[LEAD_MARK, REPEAT_SPACE], [BIT_MARK, 0]], d);
}

/** A held key: the frame and `n` repeat codes every 108 ms. */
function held(t0: number, address: number, command: number, n: number, d: Distortion = {}): Edge[] {
  const out = frame(t0, address, command, d);
  for (let r = 1; r <= n; r++) out.push(...repeatCode(t0 + r * PERIOD, d));
  return out;
}

function decode(edges: Edge[]): number[] {
  const dec = startNecDecoder();
  const out: number[] = [];
  for (const [high, t] of edges) {
    const c = dec.edge(high, t);
    if (c !== NEC_NONE) out.push(c);
  }
  return out;
}

/** Alternating low/high intervals from `t0`, ending high; returns edges and end time. */
function noise(t0: number, durations: number[]): { edges: Edge[]; end: number } {
  const edges: Edge[] = [];
  let t = t0;
  let high = true;
  for (const d of durations) {
    high = !high;
    edges.push([high, t]);
    t += d;
  }
  if (!high) edges.push([true, t]);
  return { edges, end: t };
}

const durationArb = fc.oneof(
  fc.double({ min: 0.01, max: 0.3, noNaN: true }), // glitches
  fc.double({ min: 0.3, max: 3, noNaN: true }), // bit-like
  fc.double({ min: 3, max: 15, noNaN: true }), // leader-like and longer
);

describe("NEC decoder: frames", () => {
  test("a standard frame decodes to address and command", () => {
    const out = decode(frame(100, 0x4d, 0x10));
    expect(out).toEqual([necCode(0x4d, 0x10)]);
    expect(necAddress(out[0])).toBe(0x4d);
    expect(necCommand(out[0])).toBe(0x10);
  });

  test("an extended 16-bit address decodes as such", () => {
    expect(decode(frame(0, 0xee87, 0x5a))).toEqual([necCode(0xee87, 0x5a)]);
  });

  test("every address byte and command value survives the round trip", () => {
    for (let v = 0; v < 256; v++) {
      expect(decode(frame(0, v, 255 - v))).toEqual([necCode(v, 255 - v)]);
    }
  });

  test("receiver mark stretch up to 0.25 ms and a remote clock off by 8 % still decode", () => {
    for (const d of [{ stretch: 0.25 }, { stretch: -0.1 }, { scale: 1.08 }, { scale: 0.92 }, { scale: 1.05, stretch: 0.15 }]) {
      expect(decode(frame(0, 0x4d, 0x11, d))).toEqual([necCode(0x4d, 0x11)]);
    }
  });

  test("a command that does not match its inverse byte is dropped", () => {
    const bits = frameBits(0x4d, 0x10);
    bits[24] ^= 1; // first bit of ~command
    expect(decode(frameFromBits(0, bits))).toEqual([]);
  });

  test("a partial frame is dropped and the next whole one decodes", () => {
    const part = frame(0, 0x4d, 0x12).slice(0, 30);
    part.push([true, part[part.length - 1][1] + 0.5]);
    expect(decode([...part, ...frame(200, 0x4d, 0x21)])).toEqual([necCode(0x4d, 0x21)]);
  });

  test("a frame cut short and followed at once by a new leader resynchronises", () => {
    const part = frame(0, 0x4d, 0x12).slice(0, 41); // ends on a falling edge, mid-mark
    const t = part[part.length - 1][1];
    const next = frame(t, 0x4d, 0x30).slice(1); // its leader mark begins with the cut mark
    expect(decode([...part, ...next])).toEqual([necCode(0x4d, 0x30)]);
  });
});

describe("NEC decoder: repeat codes", () => {
  const code = necCode(0x4d, 0x10);

  test("each repeat code of a held key reports the key again", () => {
    expect(decode(held(0, 0x4d, 0x10, 3))).toEqual([code, code + NEC_REPEAT, code + NEC_REPEAT, code + NEC_REPEAT]);
  });

  test("a repeat later than the timeout after the previous code is ignored, and so are the ones after it", () => {
    const late = NEC_REPEAT_TIMEOUT_MS + 5;
    const edges = [...frame(0, 0x4d, 0x10), ...repeatCode(PERIOD), ...repeatCode(PERIOD + late), ...repeatCode(2 * PERIOD + late)];
    expect(decode(edges)).toEqual([code, code + NEC_REPEAT]);
  });

  test("the timeout lies between the repeat period and ~120 ms", () => {
    expect(NEC_REPEAT_TIMEOUT_MS).toBeGreaterThan(PERIOD + 1);
    expect(NEC_REPEAT_TIMEOUT_MS).toBeLessThanOrEqual(120);
  });

  test("stray repeat codes with no frame before them are ignored", () => {
    expect(decode([...repeatCode(0), ...repeatCode(PERIOD), ...repeatCode(2 * PERIOD)])).toEqual([]);
  });

  test("repeats after a corrupted frame do not repeat the key pressed before it", () => {
    const bits = frameBits(0x4d, 0x11);
    bits[20] ^= 1; // command bit: inverse check fails
    const edges = [...frame(0, 0x4d, 0x10), ...frameFromBits(60, bits), ...repeatCode(60 + PERIOD)];
    expect(decode(edges)).toEqual([code]);
  });
});

describe("NEC decoder: noise (properties)", () => {
  test("random edges alone never produce a key or a repeat", () => {
    fc.assert(
      fc.property(fc.array(durationArb, { maxLength: 300 }), (durations) => {
        expect(decode(noise(0, durations).edges)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  test("frames between bursts of noise and partial frames decode exactly, in order", () => {
    const item = fc.oneof(
      fc.record({ kind: fc.constant("frame" as const), address: fc.integer({ min: 0, max: 0xffff }), command: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant("noise" as const), durations: fc.array(durationArb, { maxLength: 40 }) }),
      fc.record({ kind: fc.constant("partial" as const), address: fc.integer({ min: 0, max: 255 }), command: fc.integer({ min: 0, max: 255 }), cut: fc.integer({ min: 1, max: 64 }) }),
    );
    fc.assert(
      fc.property(fc.array(item, { maxLength: 12 }), (items) => {
        const edges: Edge[] = [];
        const expected: number[] = [];
        let t = 10;
        for (const it of items) {
          if (it.kind === "frame") {
            edges.push(...frame(t, it.address, it.command));
            // on the air, an extended address whose high byte is ~low byte IS the standard one
            const lo = it.address & 0xff;
            const standard = it.address > 0xff && it.address >> 8 === (~lo & 0xff);
            expected.push(necCode(standard ? lo : it.address, it.command));
            t += 80;
          } else if (it.kind === "noise") {
            const n = noise(t, it.durations);
            edges.push(...n.edges);
            t = n.end + 20;
          } else {
            const part = frame(t, it.address, it.command).slice(0, it.cut);
            const last = part[part.length - 1];
            if (!last[0]) part.push([true, last[1] + 20]); // left low: a mark too long for anything
            edges.push(...part);
            t = part[part.length - 1][1] + 20;
          }
        }
        expect(decode(edges).filter((c) => c < NEC_REPEAT)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  test("a glitch inside a frame loses the frame or not, but never yields another key", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 255 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0.005, max: 0.2, noNaN: true }),
        (address, command, where, width) => {
          const edges = frame(0, address, command);
          const end = edges[edges.length - 1][1];
          const tg = where * end;
          const i = edges.findIndex(([, t]) => t > tg);
          const next = i < 0 ? Infinity : edges[i][1];
          const prevHigh = i <= 0 ? true : edges[i - 1][0];
          fc.pre(tg + width < next - 0.001 && (i <= 0 || tg > edges[i - 1][1] + 0.001));
          const withGlitch = [...edges.slice(0, i), [!prevHigh, tg] as Edge, [prevHigh, tg + width] as Edge, ...edges.slice(i)];
          const out = decode(withGlitch);
          expect(out.length).toBeLessThanOrEqual(1);
          for (const c of out) expect(c).toBe(necCode(address, command));
        },
      ),
      { numRuns: 500 },
    );
  });

  test("one flipped bit never gives the sent key, nor any key of the sent address", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 31 }), (address, command, bit) => {
        const bits = frameBits(address, command);
        bits[bit] ^= 1;
        for (const c of decode(frameFromBits(0, bits))) expect(necAddress(c)).not.toBe(address);
      }),
      { numRuns: 500 },
    );
  });
});
