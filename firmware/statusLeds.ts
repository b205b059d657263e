// Front-panel LEDs (board.pins.ledGreen, ledRed), driven from AmpState each tick. Nothing is
// allocated; a pin is written only when its level changes. docs/console-and-settings.md has the table.
//
// Red, a fault: the class's number of 200 ms flashes (500 ms apart), then 1.5 s dark, repeated.
// The most urgent class shows when several are active. Green is off while a fault shows.
//   1 DC offset (creep or step)   2 over-current   3 single-ended plug in a TRRS jack
//   4 thermal trip / thermistor   5 power (AC loss, rail sag)   6 volume (motor, decks, tracking)
// Red steady, no fault: degraded (one monitoring deck out, the other carries on) or thermal
// derate (volume capped).
// Green: power-on delay = slow blink (1 Hz); pot moving = fast blink (5 Hz); muted = a short flash
// every second; playing = steady.
import { Board } from "../boards/board";
import { Gpio } from "../hal/hal";
import { AmpState } from "./ampState";
import { FAULT_AC_LOSS, FAULT_DC_CREEP, FAULT_DC_STEP, FAULT_DERATE, FAULT_NTC, FAULT_OC_LEFT, FAULT_OC_RIGHT, FAULT_RAIL, FAULT_SE_PLUG, FAULT_THERMAL, VF_DECK5, VF_DECK6 } from "./faults";
import { MUTE_FAULT, MUTE_LEVEL, MUTE_NO_OUTPUT, MUTE_POWER_ON, MUTE_USER } from "./muteReasons";

/** Fault bits of each blink class, class 1 first. Any fault bit not listed (and MUTE_FAULT) is class 6. */
const CLASS_BITS = [
  FAULT_DC_CREEP | FAULT_DC_STEP,
  FAULT_OC_LEFT | FAULT_OC_RIGHT,
  FAULT_SE_PLUG,
  FAULT_THERMAL | FAULT_NTC,
  FAULT_AC_LOSS | FAULT_RAIL,
];
export interface StatusLeds {
  /** Sets the LEDs for now; returns when they next change by themselves (NEVER when steady). */
  tick(nowMs: number): number;
}

/** "No change due" for tick(): far beyond any uptime. */
export const NEVER = 1e15;

/** Blink class of the active faults (1..6), 0 when none. */
export function faultClass(faults: number, reasons: number): number {
  const VOLUME_CLASS = 6;
  if (!faults) return reasons & MUTE_FAULT ? VOLUME_CLASS : 0; // (every tick: no loop when all is well)
  for (let i = 0; i < CLASS_BITS.length; i++) if (faults & CLASS_BITS[i]) return i + 1;
  return faults & ~(CLASS_BITS[0] | CLASS_BITS[1] | CLASS_BITS[2] | CLASS_BITS[3] | CLASS_BITS[4] | FAULT_DERATE) || reasons & MUTE_FAULT ? VOLUME_CLASS : 0;
}

/** Red for a blink code of n flashes at time t. */
export function blinkCode(n: number, t: number): boolean {
  const FLASH_MS = 200;
  const FLASH_EVERY_MS = 500;
  const CODE_GAP_MS = 1500;
  const phase = t % (n * FLASH_EVERY_MS + CODE_GAP_MS);
  return phase < n * FLASH_EVERY_MS && phase % FLASH_EVERY_MS < FLASH_MS;
}

export function startStatusLeds(gpio: Gpio, board: Board, state: AmpState): StatusLeds {
  const SLOW_BLINK_MS = 500;
  const FAST_BLINK_MS = 100;
  const MUTED_FLASH_MS = 100;
  const MUTED_EVERY_MS = 1000;
  /** Fault codes change at multiples of this. */
  const CODE_STEP_MS = 100;

  const green = gpio.pin(board.pins.ledGreen);
  const red = gpio.pin(board.pins.ledRed);
  let greenOn = false;
  let flashSec = -1;
  let flashEnd = 0;
  let redOn = false;

  function set(pin: typeof green, on: boolean, was: boolean): boolean {
    if (on !== was) gpio.write(pin, on);
    return on;
  }

  let due = 0; // the next change the patterns asked for, and what they were drawn from
  let drawnFrom = -1;

  function tick(t: number) {
    const reasons = state.muteReasons;
    // what the LEDs show depends on these and on time alone: until the next change is due, a
    // tick with nothing new costs a comparison (a moving tick is the interpreter's busiest)
    const from = (state.faults * 1024 + reasons) * 16 + (state.moving ? 8 : 0) + (state.degraded ? 4 : 0) + (state.userMute ? 2 : 0) + (state.levelMute ? 1 : 0);
    if (from === drawnFrom && t < due) return due;
    drawnFrom = from;
    // playing and all well (the common case): green steady, red off
    if (!reasons && !state.faults && !state.moving && !state.degraded && !state.userMute && !state.levelMute) {
      greenOn = set(green, true, greenOn);
      redOn = set(red, false, redOn);
      due = NEVER;
    } else due = patterns(t, reasons);
    return due;
  }

  function patterns(t: number, reasons: number): number {
    // one failed deck while the other carries on is "degraded" (red steady), not a fault code
    const code = faultClass(state.degraded ? state.faults & ~(VF_DECK5 | VF_DECK6) : state.faults, reasons);
    let g: boolean;
    let next = NEVER;
    if (code) {
      g = false;
      next = t - (t % CODE_STEP_MS) + CODE_STEP_MS;
    } else if (reasons & MUTE_POWER_ON) {
      g = t % (2 * SLOW_BLINK_MS) < SLOW_BLINK_MS;
      next = t - (t % SLOW_BLINK_MS) + SLOW_BLINK_MS;
    } else if (state.moving) {
      g = t % (2 * FAST_BLINK_MS) < FAST_BLINK_MS;
      next = t - (t % FAST_BLINK_MS) + FAST_BLINK_MS;
    }
    else if (state.userMute || state.levelMute || reasons & (MUTE_USER | MUTE_NO_OUTPUT | MUTE_LEVEL)) {
      // the first tick of each second starts a flash: one a second whatever the tick's period or
      // phase (at rest a tick is as long as the flash)
      const sec = Math.floor(t / MUTED_EVERY_MS);
      if (sec !== flashSec) {
        flashSec = sec;
        flashEnd = t + MUTED_FLASH_MS;
      }
      g = t < flashEnd;
      next = g ? flashEnd : (sec + 1) * MUTED_EVERY_MS;
    } else g = true;
    greenOn = set(green, g, greenOn);
    redOn = set(red, code ? blinkCode(code, t) : state.degraded || (state.faults & FAULT_DERATE) !== 0, redOn);
    return next;
  }

  gpio.write(green, false);
  gpio.write(red, false);
  return { tick: tick };
}
