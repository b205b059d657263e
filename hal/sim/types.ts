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
  /** Drift-free periodic timer (calls at now + k * periodMs); cancel(id) stops it. */
  every(periodMs: number, fn: () => void): number;
}

/** Pin-level view of the controller board's world, keyed by the board's pin names. */
export interface PinBus {
  /** 0..1 of vref; includes ADC quantisation (12 bit) and noise. lagMs: the conversion starts
   *  that long after now (the device's interpreter reaching it: the emulated analogRead). */
  analogRead(pin: string, lagMs?: number): number;
  digitalRead(pin: string): Level;
  digitalWrite(pin: string, level: Level): void;
  /** duty 0..1; 0 = low. */
  pwm(pin: string, duty: number, freqHz: number): void;
  /** Edges of an input pin, with the exact virtual time of the edge. Returns an unsubscribe. */
  onEdge(pin: string, fn: (level: Level, timeMs: number) => void): () => void;
  /** Whether the board has a pin of that name (every other method throws on an unknown pin). */
  has(pin: string): boolean;
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
  /** Monitoring-deck curve deviations (relative wiper error as a function of position), in dB
   *  from the nominal taper at evenly spaced knots over travel (first = fully CCW, last = fully
   *  CW = 0), linear in between. The audio decks of the same side share them. */
  deck5Dev: number[];
  deck6Dev: number[];
  adcNoiseLsb: number;
  /** Braked (both H-bridge inputs on) speed decay time constant, ms. */
  brakeMs: number;
  /** Motor supply current at full drive: turning freely, clutch slipping, rotor locked; mA. */
  motorRunMa: number;
  motorSlipMa: number;
  motorStallMa: number;
  /** Thermistor's lag behind the heat sink (first order), s. */
  thermalTauS: number;
  /** After AC loss: the AC-sense pin drops after acDetectMs; the rail holds for railHoldMs. */
  acDetectMs: number;
  railHoldMs: number;
  /** Relay operate/release times, ms, keyed "mute" and bal44, bal35, xlr, se63, gain9, gain18. */
  relayOperateMs: { [relay: string]: number };
  relayReleaseMs: { [relay: string]: number };
  /** IR receiver: how much later than sent each mark ends, ms. */
  irMarkStretchMs: number;
}

/** One trace point. The recorder reuses one object: copy what you keep. */
export interface TraceSample {
  timeMs: number;
  shaftDeg: number;
  shaftSpeed: number;
  /** Audio attenuation, dB (-Infinity at the CCW end stop). */
  leftDb: number;
  rightDb: number;
  /** H-bridge drive -1..1 (0 while braking) and whether it is braking. */
  drive: number;
  brake: boolean;
  motorMa: number;
  /** Mute relay contact closed. */
  connected: boolean;
  /** Output relay contacts closed, bit i = bal44, bal35, xlr, se63. */
  outputsMask: number;
  gainDb: number;
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
  /** Last level written to (or driven onto) a pin; pwm duty > 0 counts as high. */
  pinLevel(pin: string): Level;
  /** Last duty written to an output pin (digital writes give 0 or 1). */
  pinDuty(pin: string): number;
  /** Thermistor's own temperature (lags the heat sink), deg C. */
  thermistorC(): number;
  /** Rail volts now (sags after AC loss). */
  railV(): number;
  /** Noise-free wiper ratio of a monitoring deck at the current angle. */
  deckRatio(deck: 5 | 6): number;

  // ---- controller housekeeping ----
  /** Arm the watchdog (E.enableWatchdog): watchdogFired() once not kicked for timeoutS. */
  watchdogStart(timeoutS: number): void;
  watchdogKick(): void;
  /** Called once when the watchdog fires. */
  onWatchdog(fn: () => void): void;
  /** Sample truth now and every everyMs (fn gets one reused object); returns a stop function. */
  trace(everyMs: number, fn: (s: TraceSample) => void): () => void;

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
  /** settled: the thermistor (which lags the heat sink by 20-60 s) is there at once. */
  setHeatsinkC(celsius: number, settled?: boolean): void;
  setAcPresent(present: boolean): void;
  setRailV(volts: number): void;
  /** Motor faults. */
  setMotorStalled(stalled: boolean): void;
  setMotorReversed(reversed: boolean): void;
  /** Deck faults: open wiper reads a rail; dirty track jumps. */
  setDeckFault(deck: 5 | 6, fault: "none" | "open" | "shorted" | "dirty"): void;
  /** ADC garbage on the input that senses `what` ("deck5", "railSense", "jackSense", ...): every
   *  read returns `value` (NaN, Infinity, out of 0..1), or "freeze" keeps the next reading for
   *  ever; null restores the real signal. */
  setAnalogGarbage(what: string, value: number | "freeze" | null): void;
}
