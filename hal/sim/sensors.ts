// Protection and housekeeping sensors: DC offset per leg (direct ADC pins or a 4:1 mux), the
// over-current comparators, the heat-sink thermistor, rail and AC-present sense, and the jack
// switches' resistor ladder. Readings are 0..1 of vref through the 12-bit ADC (decks.adcSample).
//
// DC sense: volts at the ADC = vref/2 + legV / dcGain, clamped to 0..vref; reading = volts / vref.
//   Mux boards: select lines s0 (LSB), s1 pick leg s0 + 2*s1; for settleMs after the selection last
//   changed the ADC still sees the leg that was settled before.
// Over-current: a comparator per channel, output active LOW. It trips while the mute relay's contact
//   is closed and (a short is set on the channel and any output relay is live) or (a single-ended
//   TRS plug sits in a live TRRS jack: its cold legs are grounded -> both channels).
// Thermistor: NTC to ground, rSeries to vref: reading = R / (R + rSeries), R from the beta model at
//   the thermistor's temperature, which follows the heat sink first-order (thermalTauS).
// Rails: reading = railV / railGain / vref. AC loss: the AC-sense pin goes low acDetectMs later;
//   the rail holds for railHoldMs, then sags exponentially (RAIL_SAG_TAU_MS). AC back: pin high after
//   acDetectMs, rail recovers towards its nominal with RAIL_RISE_TAU_MS.
// Jack ladder (one ADC pin): reading = (1 + sum of inserted weights) / 17, weights bal44 = 1,
//   bal35 = 2, xlr = 4, se63 = 8 (OUTPUT_NAMES order, bit i = 2^i), plus a fixed per-unit ladder
//   error <= LADDER_ERROR and ADC noise. Codes are 1/17 (241 LSB) apart; decode with
//   mask = round(reading * 17) - 1; 0.0 and 1.0 (ladder open or shorted) decode to -1 and 16.
//   A switch bounces for JACK_BOUNCE_MS after a plug moves (its bit reads random).
import { Board } from "../../boards/board";
import { adcSample } from "./decks";
import { Rng } from "./rng";
import { VirtualClock } from "./types";

const ZERO_C_IN_K = 273.15;
const NTC_T25_K = 298.15;
/** After the hold-up time the reservoir caps discharge into the load with about this time constant. */
const RAIL_SAG_TAU_MS = 150;
/** Rails come back quickly once the mains returns (soft-start, reservoir charging). */
const RAIL_RISE_TAU_MS = 30;
/** Ladder codes sit 1/LADDER_STEPS apart: 16 combinations plus the "nothing inserted" offset. */
export const LADDER_STEPS = 17;
/** Per-combination ladder error (1 % resistors): ~20 LSB, far inside the 120 LSB half-step. */
const LADDER_ERROR = 0.005;
/** Jack insertion switches bounce for a few ms. */
const JACK_BOUNCE_MS = 3;
/** Float slack when comparing elapsed virtual times (t + settle - t may be a hair short). */
const TIME_EPS_MS = 1e-9;
/** Globals are slow to reach from hot code inside a vm context (jest runs tests in one): alias them. */
const { exp, round } = Math;
const NEVER = Number.NEGATIVE_INFINITY;

export type SetInput = (pin: string, level: boolean) => void;

/** Four DC-offset senses, direct or through the mux. */
export class DcSense {
  private readonly legV = [0, 0, 0, 0];
  private select = 0;
  /** The leg the mux output showed before the last selection change. */
  private settledLeg = 0;
  private selectAtMs = NEVER;

  constructor(
    private readonly board: Board,
    private readonly clock: VirtualClock,
    private readonly rng: Rng,
    private readonly noiseLsb: number,
  ) {}

  setLeg(leg: number, volts: number): void {
    this.legV[leg] = volts;
  }

  legVolts(leg: number): number {
    return this.legV[leg];
  }

  /** Noise-free fraction of vref at the leg's ADC input. */
  ratio(leg: number): number {
    const a = this.board.adc;
    const r = (a.vref / 2 + this.legV[leg] / a.dcGain) / a.vref;
    return r < 0 ? 0 : r > 1 ? 1 : r;
  }

  read(leg: number): number {
    return adcSample(this.ratio(leg), this.rng, this.noiseLsb);
  }

  setSelectLine(bit: 0 | 1, level: boolean): void {
    const s = level ? this.select | (1 << bit) : this.select & ~(1 << bit);
    if (s === this.select) return;
    const now = this.clock.nowMs();
    if (now - this.selectAtMs >= this.settleMs() - TIME_EPS_MS) this.settledLeg = this.select;
    this.select = s;
    this.selectAtMs = now;
  }

  /** The leg the select lines pick now (s0 + 2 * s1). */
  selected(): number {
    return this.select;
  }

  /** lagMs: the conversion starts that long after now. */
  readMux(lagMs = 0): number {
    const settling = this.clock.nowMs() + lagMs - this.selectAtMs < this.settleMs() - TIME_EPS_MS;
    return this.read(settling ? this.settledLeg : this.select);
  }

  private settleMs(): number {
    const d = this.board.dcSense;
    return d.kind === "mux" ? d.settleMs : 0;
  }
}

/** The two over-current comparators (active low). */
export class OverCurrent {
  private shortLeft = false;
  private shortRight = false;
  /** Outputs (bit i) holding a single-ended TRS plug in a TRRS jack. */
  private seMask = 0;
  private connected = false;
  private liveMask = 0;
  private tripLeft = false;
  private tripRight = false;

  constructor(
    private readonly pinLeft: string,
    private readonly pinRight: string,
    private readonly setInput: SetInput,
  ) {}

  setShort(channel: "left" | "right", shorted: boolean): void {
    if (channel === "left") this.shortLeft = shorted;
    else this.shortRight = shorted;
    this.apply();
  }

  setSingleEndedPlug(outputBit: number, inserted: boolean): void {
    this.seMask = inserted ? this.seMask | (1 << outputBit) : this.seMask & ~(1 << outputBit);
    this.apply();
  }

  /** Relay contacts changed: mute closed?, output relays closed (bit i). */
  update(connected: boolean, liveMask: number): void {
    this.connected = connected;
    this.liveMask = liveMask;
    this.apply();
  }

  tripped(): { left: boolean; right: boolean } {
    return { left: this.tripLeft, right: this.tripRight };
  }

  private apply(): void {
    const live = this.connected && this.liveMask !== 0;
    const coldShort = this.connected && (this.seMask & this.liveMask) !== 0;
    const left = (live && this.shortLeft) || coldShort;
    const right = (live && this.shortRight) || coldShort;
    if (left !== this.tripLeft) {
      this.tripLeft = left;
      this.setInput(this.pinLeft, !left);
    }
    if (right !== this.tripRight) {
      this.tripRight = right;
      this.setInput(this.pinRight, !right);
    }
  }
}

/** Heat-sink NTC with its thermal lag, evaluated exactly at read time. */
export class Thermistor {
  private targetC: number;
  private fromC: number;
  private sinceMs: number;

  constructor(
    private readonly board: Board,
    private readonly clock: VirtualClock,
    private readonly rng: Rng,
    private readonly noiseLsb: number,
    private readonly tauS: number,
    startC: number,
  ) {
    this.targetC = startC;
    this.fromC = startC;
    this.sinceMs = clock.nowMs();
  }

  /** settled: the thermistor is there already (as if its lag had run out). */
  setHeatsinkC(celsius: number, settled = false): void {
    this.fromC = settled ? celsius : this.tempC();
    this.sinceMs = this.clock.nowMs();
    this.targetC = celsius;
  }

  heatsinkC(): number {
    return this.targetC;
  }

  /** The thermistor's own temperature. */
  tempC(): number {
    const dt = this.clock.nowMs() - this.sinceMs;
    return this.targetC + (this.fromC - this.targetC) * exp(-dt / (this.tauS * 1000));
  }

  ratio(): number {
    const ntc = this.board.adc.ntc;
    const r = ntc.r25 * exp(ntc.beta * (1 / (this.tempC() + ZERO_C_IN_K) - 1 / NTC_T25_K));
    return r / (r + ntc.rSeries);
  }

  read(): number {
    return adcSample(this.ratio(), this.rng, this.noiseLsb);
  }
}

/** Supply rail and AC-present sense. */
export class Rails {
  private nominalV: number;
  private acPresent: boolean;
  private changeAtMs: number;
  private vAtChange: number;
  private pinTimer = -1;

  constructor(
    private readonly board: Board,
    private readonly clock: VirtualClock,
    private readonly rng: Rng,
    private readonly noiseLsb: number,
    private readonly holdMs: number,
    private readonly detectMs: number,
    private readonly setInput: SetInput,
    railV: number,
    acPresent: boolean,
  ) {
    this.nominalV = railV;
    this.acPresent = acPresent;
    this.changeAtMs = clock.nowMs();
    this.vAtChange = acPresent ? railV : 0;
  }

  /** Initial AC-sense pin level, for the pin bus. */
  acPinLevel(): boolean {
    return this.acPresent;
  }

  isAcPresent(): boolean {
    return this.acPresent;
  }

  setAcPresent(present: boolean): void {
    if (present === this.acPresent) return;
    this.vAtChange = this.railV();
    this.changeAtMs = this.clock.nowMs();
    this.acPresent = present;
    if (this.pinTimer >= 0) this.clock.cancel(this.pinTimer);
    this.pinTimer = this.clock.at(this.changeAtMs + this.detectMs, () => {
      this.pinTimer = -1;
      this.setInput(this.board.pins.acSense, present);
    });
  }

  /** Nominal rail with AC present; applies at once (or when the AC returns). */
  setRailV(volts: number): void {
    this.nominalV = volts;
    if (this.acPresent) {
      this.vAtChange = volts;
      this.changeAtMs = this.clock.nowMs();
    }
  }

  railV(): number {
    const dt = this.clock.nowMs() - this.changeAtMs;
    if (this.acPresent) {
      return this.nominalV + (this.vAtChange - this.nominalV) * exp(-dt / RAIL_RISE_TAU_MS);
    }
    const sag = dt - this.holdMs;
    return sag <= 0 ? this.vAtChange : this.vAtChange * exp(-sag / RAIL_SAG_TAU_MS);
  }

  ratio(): number {
    const a = this.board.adc;
    const r = this.railV() / a.railGain / a.vref;
    return r < 0 ? 0 : r > 1 ? 1 : r;
  }

  read(): number {
    return adcSample(this.ratio(), this.rng, this.noiseLsb);
  }
}

/** Four jack switches on a binary-weighted ladder into one ADC pin. */
export class JackLadder {
  private mask = 0;
  private readonly bounceUntil = [NEVER, NEVER, NEVER, NEVER];
  private readonly error: number[] = [];

  constructor(
    private readonly clock: VirtualClock,
    private readonly rng: Rng,
    private readonly noiseLsb: number,
  ) {
    for (let i = 0; i < 16; i++) this.error.push(rng.uniform(-LADDER_ERROR, LADDER_ERROR));
  }

  set(bit: number, inserted: boolean): void {
    const m = inserted ? this.mask | (1 << bit) : this.mask & ~(1 << bit);
    if (m === this.mask) return;
    this.mask = m;
    this.bounceUntil[bit] = this.clock.nowMs() + JACK_BOUNCE_MS;
  }

  /** Inserted jacks, bit i = OUTPUT_NAMES[i]. */
  inserted(): number {
    return this.mask;
  }

  read(): number {
    let m = this.mask;
    const now = this.clock.nowMs();
    for (let i = 0; i < 4; i++) {
      if (now < this.bounceUntil[i] && this.rng.chance(0.5)) m ^= 1 << i;
    }
    return adcSample((1 + m) / LADDER_STEPS + this.error[m], this.rng, this.noiseLsb);
  }
}

/** Decode a ladder reading: inserted mask 0..15, or -1 when the reading is no valid code. */
export function decodeJackLadder(reading: number): number {
  const k = round(reading * LADDER_STEPS) - 1;
  return k >= 0 && k <= 15 ? k : -1;
}
