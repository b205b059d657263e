// Relays: the mute (output) relay and the six output/gain relays, with operate/release times and
// contact bounce, and the 74HC595 some boards drive the six from.
//
// A relay's contact closes operateMs after its coil is energised, then bounces (1..3 short opens
// within BOUNCE_WINDOW_MS); it opens releaseMs after the coil drops (no bounce on break). A coil
// change that comes back before the contact moved cancels the pending move.
//
// 74HC595: data is sampled on each rising edge of the shift clock (shift register <<= 1, new bit
// in at Q0); a rising edge of the latch copies the shift register to the outputs. So after 8 bits
// shifted MSB first, Qi = bit i of the byte, Q0 being the last bit shifted in. Output Qi drives
// relay i in RELAY_NAMES order; Q6 and Q7 are unused. Outputs are 0 at power-on.
import { Board, OutputName } from "../../boards/board";
import { Rng } from "./rng";
import { VirtualClock } from "./types";

/** Bit order of the output and gain relays everywhere (boards/board.ts RelayDrive). */
export const RELAY_NAMES = ["bal44", "bal35", "xlr", "se63", "gain9", "gain18"] as const;
export type RelayName = (typeof RELAY_NAMES)[number];
export const MUTE_RELAY = "mute";
/** Bits 0..3 of a relay mask are the outputs. */
export const OUTPUT_MASK = 0x0f;
const GAIN9_BIT = 4;
const GAIN18_BIT = 5;

/** Signal relays bounce for about 1 ms after making (DESIGN.md table). */
const BOUNCE_WINDOW_MS = 1;
const BOUNCE_MAX_COUNT = 3;
/** Within its slot of the window, where a bounce opens and for how long (fractions of the slot). */
const BOUNCE_START_FRACTION = [0.1, 0.5] as const;
const BOUNCE_OPEN_FRACTION = [0.2, 0.4] as const;
/** A unit's relays are faster than the board's (datasheet maximum) figure, never slower. */
const TIMING_MIN_FRACTION = 0.7;

export type ContactListener = (relay: string, closed: boolean, timeMs: number) => void;

export class Relay {
  private coil = false;
  private contact = false;
  private pending: number[] = [];

  constructor(
    readonly name: string,
    private readonly clock: VirtualClock,
    readonly operateMs: number,
    readonly releaseMs: number,
    private readonly rng: Rng,
    private readonly onContact: ContactListener,
  ) {}

  coilOn(): boolean {
    return this.coil;
  }

  closed(): boolean {
    return this.contact;
  }

  setCoil(on: boolean): void {
    if (on === this.coil) return;
    this.coil = on;
    for (const id of this.pending) this.clock.cancel(id);
    this.pending.length = 0;
    const now = this.clock.nowMs();
    if (on) {
      if (this.contact) return; // the release had not happened yet: the contact stays closed
      const t0 = now + this.operateMs;
      this.later(t0, true);
      const n = 1 + this.rng.int(BOUNCE_MAX_COUNT);
      const slot = BOUNCE_WINDOW_MS / n;
      for (let i = 0; i < n; i++) {
        const open = t0 + slot * (i + this.rng.uniform(BOUNCE_START_FRACTION[0], BOUNCE_START_FRACTION[1]));
        this.later(open, false);
        this.later(open + slot * this.rng.uniform(BOUNCE_OPEN_FRACTION[0], BOUNCE_OPEN_FRACTION[1]), true);
      }
    } else if (this.contact) {
      this.later(now + this.releaseMs, false);
    }
  }

  private later(atMs: number, closed: boolean): void {
    this.pending.push(
      this.clock.at(atMs, () => {
        if (this.contact === closed) return;
        this.contact = closed;
        this.onContact(this.name, closed, this.clock.nowMs());
      }),
    );
  }
}

/** 74HC595, bit-banged: see the header for the bit order. */
export class Shift595 {
  private shift = 0;
  private out = 0;
  private data = false;
  private clk = false;
  private latch = false;

  constructor(private readonly onLatch: (outputs: number) => void) {}

  setData(level: boolean): void {
    this.data = level;
  }

  setClock(level: boolean): void {
    if (level && !this.clk) this.shift = ((this.shift << 1) | (this.data ? 1 : 0)) & 0xff;
    this.clk = level;
  }

  setLatch(level: boolean): void {
    const rising = level && !this.latch;
    this.latch = level;
    if (rising) {
      this.out = this.shift;
      this.onLatch(this.out);
    }
  }

  outputs(): number {
    return this.out;
  }
}

export interface RelayTimes {
  /** Keyed by "mute" and RELAY_NAMES. */
  operateMs: { [relay: string]: number };
  releaseMs: { [relay: string]: number };
}

/** The mute relay plus the six, with the record of contact changes while the output is connected. */
export class RelayBank {
  readonly mute: Relay;
  readonly relays: Relay[];
  private readonly whileConnected: { timeMs: number; relay: string }[] = [];

  constructor(clock: VirtualClock, times: RelayTimes, rng: Rng, onChange: ContactListener) {
    const listener: ContactListener = (relay, closed, timeMs) => {
      if (relay !== MUTE_RELAY && this.mute.closed()) this.whileConnected.push({ timeMs, relay });
      onChange(relay, closed, timeMs);
    };
    const make = (name: string) =>
      new Relay(name, clock, times.operateMs[name], times.releaseMs[name], rng.fork(name), listener);
    this.mute = make(MUTE_RELAY);
    this.relays = RELAY_NAMES.map(make);
  }

  /** Energise relay i's coil for each bit i of mask. */
  setCoils(mask: number): void {
    for (let i = 0; i < this.relays.length; i++) this.relays[i].setCoil(((mask >> i) & 1) === 1);
  }

  connected(): boolean {
    return this.mute.closed();
  }

  /** Contacts closed, bit i = relay i. */
  contactMask(): number {
    let m = 0;
    for (let i = 0; i < this.relays.length; i++) if (this.relays[i].closed()) m |= 1 << i;
    return m;
  }

  outputsLive(): OutputName[] {
    const live: OutputName[] = [];
    for (let i = 0; i < 4; i++) if (this.relays[i].closed()) live.push(RELAY_NAMES[i] as OutputName);
    return live;
  }

  /** 0 / 9 / 18; both gain relays closed adds up to 27 (a firmware error worth seeing). */
  gainDb(): number {
    const m = this.contactMask();
    return ((m >> GAIN9_BIT) & 1) * 9 + ((m >> GAIN18_BIT) & 1) * 18;
  }

  eventsWhileConnected(): { timeMs: number; relay: string }[] {
    return this.whileConnected.slice();
  }
}

/** Draw each relay's operate/release time: a fraction of the board's (datasheet maximum) figure. */
export function drawRelayTimes(board: Board, rng: Rng): RelayTimes {
  const times: RelayTimes = { operateMs: {}, releaseMs: {} };
  for (const name of [MUTE_RELAY, ...RELAY_NAMES]) {
    times.operateMs[name] = board.relayTiming.operateMs * rng.uniform(TIMING_MIN_FRACTION, 1);
    times.releaseMs[name] = board.relayTiming.releaseMs * rng.uniform(TIMING_MIN_FRACTION, 1);
  }
  return times;
}
