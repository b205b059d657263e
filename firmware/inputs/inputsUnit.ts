// Front-panel knob and IR remote: watches their pins (pull-up inputs, active low) and turns decoded
// events into Controls calls. No logic of its own beyond dispatch: the decoders are pure
// (encoder.ts, irNec.ts), the code map is keymap.ts, and the limits live behind Controls.
//
// Per edge nothing is allocated here: the watch callbacks are made once, and decoding works on
// numbers kept in closures (Espruino's setWatch allocates its own event object; that is all).
import { Board, OUTPUT_NAMES } from "../../boards/board";
import { Clock, Gpio, PinId } from "../../hal/hal";
import { AmpState, outputIndex } from "../ampState";
import { Controls, OK } from "../controls";
import { stepSizeDb } from "../volume/volumeLimits";
import { startEncoder } from "./encoder";
import { NEC_NONE, NEC_REPEAT, startNecDecoder } from "./irNec";
import { ACT_AB, ACT_MUTE, ACT_OUT_NEXT, ACT_OUTPUT, ACT_VOL_UP, irAction, irRepeats } from "./keymap";

/** Watches the knob, its button and the IR receiver for the life of the firmware. */
export function startInputs(hal: Gpio & Clock, board: Board, controls: Controls, state: AmpState): void {
  /** The push button is debounced by the watch (stable this long before it reports). */
  const PUSH_DEBOUNCE_MS = 20;
  /** Repeat codes ignored after a volume key's frame before stepping starts: a short tap (often
   *  one repeat code) steps once; holding steps ~9 times a second from ~0.2 s on. */
  const IR_REPEATS_SKIPPED = 1;
  /** The owner's act: the button held pushed at power-on, still held this long after, opens the
   *  console's limit raising for OWNER_WINDOW_MS (someone in Bluetooth range cannot do it). */
  const OWNER_HOLD_MS = 1000;
  const OWNER_WINDOW_MS = 120000;


  /** A pull-up input (the knob's contacts and button, the IR receiver: active low). */
  function input(name: string): PinId {
    const p = hal.pin(name);
    hal.inputPullUp(p);
    return p;
  }

  const pinA = input(board.pins.encA);
  const pinB = input(board.pins.encB);
  const pinPush = input(board.pins.encPush);
  const pinIr = input(board.pins.ir);
  const encoder = startEncoder(hal.read(pinA), hal.read(pinB));
  const nec = startNecDecoder();
  let irRepeatsSeen = 0;

  function step(steps: number) {
    controls.stepVolumeDb(steps * stepSizeDb(state, board));
  }

  function act(action: number) {
    if (irRepeats(action)) step(action === ACT_VOL_UP ? 1 : -1); // the volume keys
    else if (action === ACT_MUTE) controls.toggleMute();
    else if (action === ACT_AB) controls.toggleAB();
    else if (action === ACT_OUT_NEXT) {
      // the next output after the selected one that accepts the switch
      const i = outputIndex(state.out);
      for (let n = 1; n < 4; n++) if (controls.selectOutput(OUTPUT_NAMES[(i + n) % 4]) === OK) break;
    } else if (action >= ACT_OUTPUT) controls.selectOutput(OUTPUT_NAMES[action - ACT_OUTPUT]);
  }

  function onIr(high: boolean, tMs: number) {
    const code = nec.edge(high, tMs);
    if (code === NEC_NONE) return;
    if (code < NEC_REPEAT) {
      irRepeatsSeen = 0;
      act(irAction(code));
      return;
    }
    const action = irAction(code - NEC_REPEAT);
    if (irRepeats(action) && ++irRepeatsSeen > IR_REPEATS_SKIPPED) act(action);
  }

  /** One knob contact: its edges go through the quadrature decoder. */
  function watchContact(pin: PinId, isA: boolean) {
    hal.watch(pin, "both", function (high, tMs) {
      const s = encoder.edge(isA, high, tMs);
      if (s !== 0) step(s);
    }, 0);
  }

  watchContact(pinA, true);
  watchContact(pinB, false);
  hal.watch(pinPush, "falling", function () {
    controls.toggleMute();
  }, PUSH_DEBOUNCE_MS);
  hal.watch(pinIr, "both", onIr, 0);
  if (!hal.read(pinPush)) {
    hal.after(function () {
      if (!hal.read(pinPush)) state.ownerUntilMs = hal.nowMs() + OWNER_WINDOW_MS;
    }, OWNER_HOLD_MS);
  }
}
