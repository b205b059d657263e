// Public shape of the simulated amplifier. Two consumers drive it: hal/sim/simHal.ts (a Hal for
// unit tests of firmware modules) and hal/sim/espruinoEmu.ts (the Espruino globals the built bundle
// calls). Tests, the bench and the front panel act on it through SimAmp's "world" methods.
import { OutputName } from "../../boards/board";

export type Level = boolean;

/** Virtual time in ms. Events at equal times run in scheduling order. */
export interface VirtualClock {
  nowMs(): number;
  /** Schedule fn at absolute time atMs (>= now). Returns an id for cancel. */
  at(atMs: number, fn: () => void): number;
  cancel(id: number): void;
  /** Run every event up to and including time t, stepping physics in between; leaves now = t. */
  runUntil(tMs: number): void;
  /** runUntil(now + ms). */
  advance(ms: number): void;
}

/** Pin-level view of the controller board's world, keyed by the board's pin names. */
export interface PinBus {
  /** 0..1 of vref; includes ADC quantisation (12 bit) and noise. */
  analogRead(pin: string): number;
  digitalRead(pin: string): Level;
  digitalWrite(pin: string, level: Level): void;
  /** duty 0..1; 0 = low. */
  pwm(pin: string, duty: number, freqHz: number): void;
  /** Edges of an input pin, with the exact virtual time of the edge. Returns an unsubscribe. */
  onEdge(pin: string, fn: (level: Level, timeMs: number) => void): () => void;
}

/** Flash storage that can lose power in the middle of a write. */
export interface SimFlash {
  read(name: string): string | undefined;
  write(name: string, data: string): boolean;
  erase(name: string): void;
  list(): string[];
  /** Arm a power cut: the write in progress after `afterBytes` more bytes stops there (erase
   *  already done, data partly appended), and every write after returns false until restore. */
  cutPowerAfterBytes(afterBytes: number): void;
  powerRestored(): void;
  writes: number;
  bytesWritten: number;
}

/** Unit-to-unit physical variation and sensor truth, all drawn from one seed. */
export interface UnitParams {
  seed: number;
  /** Full-travel time at full drive, s (12 ± 3). */
  fullTravelS: number;
  travelDeg: number;
  /** Drive fraction below which the motor does not start. */
  deadZone: number;
  /** Spin-up and coast time constants, ms. */
  spinUpMs: number;
  coastMs: number;
  /** Monitoring-deck curve deviations (relative wiper error as a function of position). */
  deck5Dev: number[];
  deck6Dev: number[];
  adcNoiseLsb: number;
}

export interface SimAmp {
  clock: VirtualClock;
  pins: PinBus;
  flash: SimFlash;
  unit: UnitParams;

  // ---- truth, for assertions and the bench ----
  /** Shaft angle 0..travelDeg (0 = fully counter-clockwise = quietest). */
  shaftDeg(): number;
  /** Shaft angular speed, deg/s (signed). */
  shaftSpeed(): number;
  /** True attenuation of the left/right audio decks at the current angle, dB (<= 0). */
  audioDb(): { left: number; right: number };
  /** Motor drive as the H-bridge sees it: -1..1, or "brake". */
  motorDrive(): number | "brake";
  motorCurrentMa(): number;
  /** Mute relay contact closed (after operate/release times and bounce). */
  outputConnected(): boolean;
  /** Which output relays have their contacts closed now. */
  outputsLive(): OutputName[];
  /** Gain in dB from the gain relays' contacts (0 / 9 / 18). */
  gainDb(): number;
  /** Which relay contacts changed while the mute relay was closed (should stay empty). */
  relayEventsWhileConnected(): { timeMs: number; relay: string }[];
  watchdogFired(): boolean;

  // ---- world: what a user, the mains or a fault does ----
  /** Turn the front-panel encoder by n detents (+ = clockwise = louder), one every periodMs. */
  turnKnob(detents: number, periodMs?: number): void;
  pressKnob(holdMs?: number): void;
  /** A hand on the pot shaft: move towards angle at degPerS, overpowering the clutch. */
  handTurn(toDeg: number, degPerS: number): void;
  /** Send an NEC frame (address, command); repeats = number of repeat codes after it. */
  irSend(address: number, command: number, repeats?: number): void;
  plug(output: OutputName, inserted: boolean): void;
  setLegDc(leg: 0 | 1 | 2 | 3, volts: number): void;
  /** Short on a channel's output (over-current comparator fires while the output is connected). */
  setShort(channel: "left" | "right", shorted: boolean): void;
  /** Single-ended TRS plug in a TRRS jack: cold legs to ground -> over-current on both channels. */
  plugSingleEndedIntoTrrs(output: "bal44" | "bal35", inserted: boolean): void;
  setHeatsinkC(celsius: number): void;
  setAcPresent(present: boolean): void;
  setRailV(volts: number): void;
  /** Motor faults. */
  setMotorStalled(stalled: boolean): void;
  setMotorReversed(reversed: boolean): void;
  /** Deck faults: open wiper reads a rail; dirty track jumps. */
  setDeckFault(deck: 5 | 6, fault: "none" | "open" | "shorted" | "dirty"): void;
}
