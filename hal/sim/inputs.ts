// What a user's hand and remote do, as edges on input pins, scheduled on the virtual clock.
//
// Encoder (pull-up inputs, idle high at a detent): one detent = one full quadrature cycle, 4 edges
//   evenly spaced over the detent's period. Clockwise (louder): A leads B:
//   A fall, B fall, A rise, B rise. Counter-clockwise: B fall, A fall, B rise, A rise.
// Push button: active low for holdMs.
// IR (receiver output, active low, idle high): NEC. Frame = 9 ms mark, 4.5 ms space, 32 bits
//   (each 562.5 us mark + 562.5 us space for 0 / 1687.5 us for 1) = address, ~address, command,
//   ~command, each LSB first (an address > 0xFF is sent as extended NEC: low byte, high byte), then
//   a 562.5 us stop mark. Repeat codes (9 ms mark, 2.25 ms space, 562.5 us mark) start every 108 ms
//   after the frame's start. A real receiver stretches marks: each mark ends irMarkStretchMs late
//   (a per-unit constant) and every edge jitters by up to IR_JITTER_MS, unless distortion is off.
// Gestures queue: one that starts while the previous one on the same control runs starts after it.
import { Rng } from "./rng";
import { SetInput } from "./sensors";
import { VirtualClock } from "./types";

/** A brisk turn: 20 detents per second. */
export const DEFAULT_DETENT_MS = 50;
export const DEFAULT_PRESS_MS = 100;
export const NEC_LEAD_MARK_MS = 9;
export const NEC_LEAD_SPACE_MS = 4.5;
export const NEC_BIT_MARK_MS = 0.5625;
export const NEC_ZERO_SPACE_MS = 0.5625;
export const NEC_ONE_SPACE_MS = 1.6875;
export const NEC_REPEAT_SPACE_MS = 2.25;
export const NEC_FRAME_PERIOD_MS = 108;
/** Edge timing jitter of an IR receiver's output. */
const IR_JITTER_MS = 0.015;

export interface InputPins {
  encA: string;
  encB: string;
  encPush: string;
  ir: string;
}

export interface InputOptions {
  /** > 0: each encoder/button edge bounces twice within this many ms. */
  contactBounceMs: number;
  /** Receiver mark stretch (ms) and edge jitter; 0 and false give textbook timings. */
  irMarkStretchMs: number;
  irJitter: boolean;
}

export class InputGenerators {
  private knobFreeAt = 0;
  private pushFreeAt = 0;
  private irFreeAt = 0;

  constructor(
    private readonly clock: VirtualClock,
    private readonly pins: InputPins,
    private readonly setInput: SetInput,
    private readonly rng: Rng,
    private readonly opts: InputOptions,
  ) {}

  /** detents > 0 = clockwise; one detent every periodMs. */
  turnKnob(detents: number, periodMs = DEFAULT_DETENT_MS): void {
    const n = Math.abs(Math.trunc(detents));
    if (n === 0) return;
    if (!(periodMs > 0)) throw new RangeError(`turnKnob: periodMs must be > 0, got ${periodMs}`);
    const { encA, encB } = this.pins;
    const [first, second] = detents > 0 ? [encA, encB] : [encB, encA];
    const start = Math.max(this.clock.nowMs(), this.knobFreeAt);
    const quarter = periodMs / 4;
    for (let i = 0; i < n; i++) {
      const t = start + i * periodMs;
      this.contactEdge(t, first, false, quarter);
      this.contactEdge(t + quarter, second, false, quarter);
      this.contactEdge(t + 2 * quarter, first, true, quarter);
      this.contactEdge(t + 3 * quarter, second, true, quarter);
    }
    this.knobFreeAt = start + n * periodMs;
  }

  pressKnob(holdMs = DEFAULT_PRESS_MS): void {
    const start = Math.max(this.clock.nowMs(), this.pushFreeAt);
    this.contactEdge(start, this.pins.encPush, false, holdMs);
    this.contactEdge(start + holdMs, this.pins.encPush, true, holdMs);
    this.pushFreeAt = start + holdMs;
  }

  irSend(address: number, command: number, repeats = 0): void {
    if (address < 0 || address > 0xffff || command < 0 || command > 0xff) {
      throw new RangeError(`irSend: address 0..0xFFFF and command 0..0xFF, got ${address}, ${command}`);
    }
    const lo = address & 0xff;
    const second = address > 0xff ? address >> 8 : ~lo & 0xff;
    const bytes = [lo, second, command, ~command & 0xff];
    const start = Math.max(this.clock.nowMs(), this.irFreeAt);
    let t = start;
    this.mark(t, NEC_LEAD_MARK_MS);
    t += NEC_LEAD_MARK_MS + NEC_LEAD_SPACE_MS;
    for (const byte of bytes) {
      for (let b = 0; b < 8; b++) {
        this.mark(t, NEC_BIT_MARK_MS);
        t += NEC_BIT_MARK_MS + ((byte >> b) & 1 ? NEC_ONE_SPACE_MS : NEC_ZERO_SPACE_MS);
      }
    }
    this.mark(t, NEC_BIT_MARK_MS);
    for (let r = 1; r <= repeats; r++) {
      const tr = start + r * NEC_FRAME_PERIOD_MS;
      this.mark(tr, NEC_LEAD_MARK_MS);
      this.mark(tr + NEC_LEAD_MARK_MS + NEC_REPEAT_SPACE_MS, NEC_BIT_MARK_MS);
    }
    this.irFreeAt = start + (repeats + 1) * NEC_FRAME_PERIOD_MS;
  }

  /** One IR mark: output low from t for ms (stretched and jittered by the receiver). */
  private mark(t: number, ms: number): void {
    const pin = this.pins.ir;
    this.clock.at(t + this.jitter(), () => this.setInput(pin, false));
    this.clock.at(t + ms + this.opts.irMarkStretchMs + this.jitter(), () => this.setInput(pin, true));
  }

  private jitter(): number {
    return this.opts.irJitter ? this.rng.uniform(-IR_JITTER_MS, IR_JITTER_MS) : 0;
  }

  /** A mechanical contact reaching level at t, bouncing if configured (within room ms). */
  private contactEdge(t: number, pin: string, level: boolean, room: number): void {
    this.clock.at(t, () => this.setInput(pin, level));
    const b = Math.min(this.opts.contactBounceMs, room / 2);
    if (b > 0) {
      const g1 = t + b * this.rng.uniform(0.1, 0.3);
      const g2 = t + b * this.rng.uniform(0.5, 0.7);
      this.clock.at(g1, () => this.setInput(pin, !level));
      this.clock.at(g1 + b * 0.1, () => this.setInput(pin, level));
      this.clock.at(g2, () => this.setInput(pin, !level));
      this.clock.at(g2 + b * 0.1, () => this.setInput(pin, level));
    }
  }
}
