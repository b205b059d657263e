// Reads the analog and digital sensors into one preallocated Readings object. What each tick
// needs is read every tick (monitoring decks, AC sense, rail); slow things (heat sink, jack
// ladder) every 50-100 ms, because each analogRead costs ~0.5 ms of interpreter time. The four
// leg DC senses are not read here: firmware/legScan.ts scans them on its own faster timer (the DC
// fast path) and the tick copies its values into legV.
import { Board } from "../boards/board";
import { Gpio } from "../hal/hal";
import { ln } from "./fastMath";

/** What a deck reading that is not a number in 0..1 (ADC garbage: NaN, Infinity, out of range)
 *  becomes: beyond the high rail, so the estimate never takes it in and deck health names it. */
export const DECK_GARBAGE = 2;
/** One step of the 12-bit ADC, as a reading (0..1); one constant for every module that counts LSB. */
export const LSB = 1 / 4095;

/** Four jack switches on a binary-weighted ladder: reading = (1 + mask) / LADDER_STEPS. */
export const LADDER_STEPS = 17;

export interface Readings {
  nowMs: number;
  /** Monitoring deck wipers, 0..1 of the ADC reference (DECK_GARBAGE for anything else). */
  deck5: number;
  deck6: number;
  /** DC at each output leg L+, L−, R+, R−, volts (filled from the leg scan). */
  legV: number[];
  railV: number;
  acPresent: boolean;
  heatC: number;
  /** Jack insertion mask, bit i = output i (bal44, bal35, xlr, se63). */
  jacks: number;
}

export interface Sensors {
  readings: Readings;
  /** Samples what this tick needs into readings (no allocation). */
  sample(nowMs: number): Readings;
  /** Deck d (0 = deck 5) read afresh, by sample()'s rule (calibration averages such reads). */
  readDeck(d: number): number;
}

export function ntcCelsius(ratio: number, ntc: { r25: number; beta: number; rSeries: number }): number {
  const KELVIN_AT_0C = 273.15;
  const T25_K = 298.15;
  if (!(ratio > 0) || !(ratio < 1)) return ratio >= 1 ? -KELVIN_AT_0C : Infinity; // open NTC reads cold, shorted reads hot
  const r = (ntc.rSeries * ratio) / (1 - ratio);
  return 1 / (1 / T25_K + ln(r / ntc.r25) / ntc.beta) - KELVIN_AT_0C;
}

/** A reading off the ladder (NaN, or past half a step above the top rung: an open ladder, a sense
 *  shorted to the reference) is no plug anywhere, so the output stays open, never "all four
 *  plugged". */
export function decodeJackLadder(ratio: number): number {
  if (!(ratio < (LADDER_STEPS - 0.5) / LADDER_STEPS)) return 0;
  const m = Math.round(ratio * LADDER_STEPS) - 1;
  return m < 0 ? 0 : m;
}

export function startSensors(o: { gpio: Gpio; board: Board }): Sensors {
  // by time, not ticks: the tick's period changes (scheduler.ts)
  const HEAT_EVERY_MS = 100;
  const JACKS_EVERY_MS = 50;
  const gpio = o.gpio;
  const b = o.board;
  const pins = b.pins;
  const deck5 = gpio.pin(pins.deck5);
  const deck6 = gpio.pin(pins.deck6);
  const rail = gpio.pin(pins.railSense);
  const heat = gpio.pin(pins.thermistor);
  const jacks = gpio.pin(pins.jackSense);
  const ac = gpio.pin(pins.acSense);
  let jacksAt = -1e9;
  let heatAt = -1e9;

  const r: Readings = { nowMs: 0, deck5: 0, deck6: 0, legV: [0, 0, 0, 0], railV: 0, acPresent: false, heatC: 25, jacks: 0 };

  // (the rule for garbage is written out in sample, the tick's path, rather than called)
  function sample(nowMs: number): Readings {
    r.nowMs = nowMs;
    let v = gpio.analog(deck5);
    r.deck5 = v >= 0 && v <= 1 ? v : DECK_GARBAGE;
    v = gpio.analog(deck6);
    r.deck6 = v >= 0 && v <= 1 ? v : DECK_GARBAGE;
    r.acPresent = gpio.read(ac);
    r.railV = gpio.analog(rail) * b.adc.vref * b.adc.railGain;
    if (nowMs - jacksAt >= JACKS_EVERY_MS) {
      jacksAt = nowMs;
      r.jacks = decodeJackLadder(gpio.analog(jacks));
    }
    if (nowMs - heatAt >= HEAT_EVERY_MS) {
      heatAt = nowMs;
      r.heatC = ntcCelsius(gpio.analog(heat), b.adc.ntc);
    }
    return r;
  }

  sample(0);
  return {
    readings: r,
    sample: sample,
    readDeck: function (d) {
      const v = gpio.analog(d ? deck6 : deck5);
      return v >= 0 && v <= 1 ? v : DECK_GARBAGE;
    },
  };
}
