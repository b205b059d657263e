// Front-panel knob and IR remote: watches their pins (pull-up inputs, active low) and turns decoded
// events into Controls calls. No logic of its own beyond dispatch: the decoders are pure
// (encoder.ts, irNec.ts), the code map is keymap.ts, and the limits live behind Controls.
//
// Per edge nothing is allocated here: the watch callbacks are made once, and decoding works on
// numbers kept in closures (Espruino's setWatch allocates its own event object; that is all).
import { Board, OUTPUT_NAMES } from "../../boards/board";
import { Gpio } from "../../hal/hal";
import { AmpState } from "../ampState";
import { Controls, OK } from "../controls";
import { stepSizeDb } from "../volume/volumeLimits";
import { startEncoder } from "./encoder";
import { NEC_NONE, NEC_REPEAT, startNecDecoder } from "./irNec";
import { ACT_AB, ACT_MUTE, ACT_NONE, ACT_OUT_NEXT, ACT_OUTPUT, ACT_VOL_DOWN, ACT_VOL_UP, irAction, irRepeats } from "./keymap";

/** The push button is debounced by the watch (stable this long before it reports). */
const PUSH_DEBOUNCE_MS = 20;
/** Repeat codes ignored after a volume key's frame before stepping starts: a short tap (often
 *  one repeat code) steps once; holding steps ~9 times a second from ~0.2 s on. */
const IR_REPEATS_SKIPPED = 1;

export interface InputsOptions {
  hal: Gpio;
  board: Board;
  controls: Controls;
  state: AmpState;
}

/** Watches the knob, its button and the IR receiver for the life of the firmware. */
export function startInputs(o: InputsOptions): void {
  const hal = o.hal;
  const board = o.board;
  const controls = o.controls;
  const state = o.state;
  const pinA = hal.pin(board.pins.encA);
  const pinB = hal.pin(board.pins.encB);
  const pinPush = hal.pin(board.pins.encPush);
  const pinIr = hal.pin(board.pins.ir);
  hal.inputPullUp(pinA);
  hal.inputPullUp(pinB);
  hal.inputPullUp(pinPush);
  hal.inputPullUp(pinIr);

  const encoder = startEncoder(hal.read(pinA), hal.read(pinB));
  const nec = startNecDecoder();
  let irRepeatsSeen = 0;

  function step(steps: number) {
    controls.stepVolumeDb(steps * stepSizeDb(state, board));
  }

  function nextOutput() {
    const i = OUTPUT_NAMES.indexOf(state.output);
    for (let n = 1; n < OUTPUT_NAMES.length; n++) {
      if (controls.selectOutput(OUTPUT_NAMES[(i + n) % OUTPUT_NAMES.length]) === OK) return;
    }
  }

  function act(action: number) {
    if (action === ACT_VOL_UP || action === ACT_VOL_DOWN) step(action === ACT_VOL_UP ? 1 : -1);
    else if (action === ACT_MUTE) controls.toggleMute();
    else if (action === ACT_AB) controls.toggleAB();
    else if (action === ACT_OUT_NEXT) nextOutput();
    else if (action >= ACT_OUTPUT) controls.selectOutput(OUTPUT_NAMES[action - ACT_OUTPUT]);
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
    if (action === ACT_NONE || !irRepeats(action)) return;
    irRepeatsSeen++;
    if (irRepeatsSeen > IR_REPEATS_SKIPPED) act(action);
  }

  hal.watch(pinA, "both", function (high, tMs) {
    const s = encoder.edge(true, high, tMs);
    if (s !== 0) step(s);
  }, 0);
  hal.watch(pinB, "both", function (high, tMs) {
    const s = encoder.edge(false, high, tMs);
    if (s !== 0) step(s);
  }, 0);
  hal.watch(pinPush, "falling", function () {
    controls.toggleMute();
  }, PUSH_DEBOUNCE_MS);
  hal.watch(pinIr, "both", onIr, 0);
}
