// The one seam between the controller and the world. Firmware logic receives a Hal (or a piece of
// it) and never names a device global. hal/espruino.ts implements it on the MCU; hal/sim implements
// it over the simulated amplifier for unit tests.
//
// Conventions: time in milliseconds (float), analog values 0..1 of the ADC reference, a pin is an
// opaque handle obtained once from pin(name) so the hot path never looks names up.

export type PinId = { readonly __pin: true } | string;
export type Edge = "rising" | "falling" | "both";
export type TimerId = number;
export type WatchId = number;

/** Called from the main loop with the level after the edge and the edge's interrupt timestamp. */
export type EdgeHandler = (high: boolean, timeMs: number) => void;

export interface AnalogWatch {
  /** The pins read now, in pin order. */
  last(): ArrayLike<number>;
  /** One scan now, between the periodic ones: long work calls it so that it never holds the
   *  screen off for longer than its period. */
  poll(): void;
}

export interface Clock {
  /** Milliseconds since boot (monotonic, sub-ms resolution). */
  nowMs(): number;
  /** Drift-free periodic timer. (Arguments in setInterval's order: on the device it is setInterval.) */
  every(fn: () => void, periodMs: number): TimerId;
  /** A new period for a timer from every(); its next call comes periodMs after its last one. */
  retime(id: TimerId, periodMs: number): void;
  /** One-shot timer (setTimeout's order: on the device it is setTimeout). */
  after(fn: () => void, delayMs: number): TimerId;
  cancel(id: TimerId): void;
}

export interface Gpio {
  pin(name: string): PinId;
  write(pin: PinId, high: boolean): void;
  read(pin: PinId): boolean;
  /** 0..1 of the ADC reference. */
  analog(pin: PinId): number;
  /** duty 0..1 at freqHz; duty 0 drives the pin low. */
  pwm(pin: PinId, duty: number, freqHz: number): void;
  /** Input with pull-up: jack switches, comparators, encoder. */
  inputPullUp(pin: PinId): void;
  watch(pin: PinId, edge: Edge, fn: EdgeHandler, debounceMs: number): WatchId;
  /** The analog counterpart of watch(): reads every pin each periodMs (one native pass on the
   *  device) and calls fn(readings) when their mean square distance from mid exceeds
   *  limit^2 / pins.length: always when one pin is beyond mid ± limit, sometimes when several are
   *  near it, so fn checks each reading (through last(): the screen keeps none). */
  watchAnalog(pins: PinId[], mid: number, limit: number, periodMs: number, fn: () => void): AnalogWatch;
  /** watchAnalog() over four inputs behind a 4:1 mux on one ADC pin (select lines s0, the LSB,
   *  and s1): each scan selects input k = s0 + 2 * s1 and reads it no sooner than settleMs after
   *  (on the device the interpreter's own time between the two, ~0.1 ms, is that wait: settleMs
   *  up to 0.05), all four in one pass; last() is the last scan's four readings. */
  watchMux(adc: PinId, select: PinId[], settleMs: number, mid: number, limit: number, periodMs: number, fn: () => void): AnalogWatch;
  /** Reads the pins every periodMs (one native pass) and calls fn() when the sum of the readings
   *  has moved more than limit from where it was at the last call (or the start): a change
   *  on any of them (unless two cancel exactly, which the next full look catches). */
  watchMotion(pins: PinId[], limit: number, periodMs: number, fn: () => void): void;
  unwatch(id: WatchId): void;
}

export interface Storage {
  /** undefined when the file does not exist. */
  read(name: string): string | undefined;
  /** false when the write failed (flash full, power lost). */
  write(name: string, data: string): boolean;
  erase(name: string): void;
}

export interface Watchdog {
  start(timeoutS: number): void;
  kick(): void;
}

export interface ConsolePort {
  write(text: string): void;
  /** Raw chunks as they arrive; line assembly is the firmware's job. */
  onData(fn: (chunk: string) => void): void;
  /** Take the console away from the JavaScript REPL (production builds). */
  detachRepl(): void;
  /** Give the console back to the REPL (a developer's deliberate unlock); the data handlers then
   *  stop hearing it until the next boot. */
  attachRepl(): void;
}

export interface Hal extends Clock, Gpio {
  storage: Storage;
  watchdog: Watchdog;
  console: ConsolePort;
}
