// The HAL on the device: the only file that names Espruino globals (analogRead, setWatch, E,
// require("Storage"), Pin, USB/Bluetooth). Pins are resolved to Pin objects once, at start.
/// <reference path="../types/espruino-extra.d.ts" />
import { Board } from "../boards/board";
import { Edge, EdgeHandler, Hal, PinId } from "./hal";

const MS_PER_S = 1000;

export function createEspruinoHal(board: Board): Hal {
  const flash = require("Storage");
  const port: Serial = (typeof AMP_CONSOLE_USB === "boolean" ? AMP_CONSOLE_USB : board.consoleDevice === "USB") ? USB : Bluetooth; // (folded when built: firmware/buildKinds.d.ts)

  // A pin handle is the Pin itself; where a HAL call is a native with the same arguments, the
  // method is that native (a JavaScript wrapper costs ~7 JsVars and a call on every use).
  return {
    nowMs: function () {
      return getTime() * MS_PER_S;
    },
    every: setInterval,
    retime: changeInterval,
    after: setTimeout,
    cancel: clearTimeout as (id: number) => void,
    pin: function (name) {
      return new Pin(name) as unknown as PinId;
    },
    write: digitalWrite as unknown as (pin: PinId, high: boolean) => void,
    read: function (pin) {
      return !!digitalRead(pin as unknown as Pin);
    },
    analog: analogRead as unknown as (pin: PinId) => number,
    pwm: function (pin, duty, freqHz) {
      if (duty <= 0) digitalWrite(pin as unknown as Pin, 0);
      else if (duty >= 1) digitalWrite(pin as unknown as Pin, 1);
      else analogWrite(pin as unknown as Pin, duty, { freq: freqHz });
    },
    inputPullUp: function (pin) {
      pinMode(pin as unknown as Pin, "input_pullup");
    },
    watch: function (pin, edge: Edge, fn: EdgeHandler, debounceMs) {
      return setWatch(
        function (e) {
          fn(e.state, e.time * MS_PER_S);
        },
        pin as unknown as Pin,
        { repeat: true, edge: edge, debounce: debounceMs }
      );
    },
    // (only a direct-legs board's bundle has it: firmware/buildKinds.d.ts)
    watchAnalog: typeof AMP_DC_DIRECT === "boolean" && !AMP_DC_DIRECT ? (undefined as never) : function (pins, mid, limit, periodMs, fn) {
      // the DC fast path, 200 times a second: map and variance are natives, so a scan of four
      // pins costs ~20 tokens of JavaScript (short names, no property writes)
      const rd = analogRead as unknown as (p: PinId) => number;
      // (the screen keeps no readings: a passing scan and last() read the pins afresh)
      const k = (limit * limit) / pins.length;
      const scan = function () {
        E.variance(pins.map(rd), mid) > k && fn();
      };
      setInterval(scan, periodMs);
      return {
        last: function () {
          return pins.map(rd);
        },
        poll: scan,
      };
    },
    // (only a mux board's bundle has it: firmware/buildKinds.d.ts)
    watchMux: typeof AMP_DC_DIRECT === "boolean" && AMP_DC_DIRECT ? (undefined as never) : function (adc, select, settleMs, mid, limit, periodMs, fn) {
      // one pass: ~150 tokens a scan (~60 % of the MDBT42Q at 5 ms) where four timed steps took ~350
      const a = adc as unknown as Pin;
      const s0 = select[0] as unknown as Pin;
      const s1 = select[1] as unknown as Pin;
      const v = [mid, mid, mid, mid];
      const k = (limit * limit) / 4;
      const scan = function () {
        for (let i = 0; i < 4; i++) {
          digitalWrite(s0, i & 1);
          digitalWrite(s1, i >> 1);
          v[i] = analogRead(a);
        }
        E.variance(v, mid) > k && fn();
      };
      setInterval(scan, periodMs);
      return {
        last: function () {
          return v;
        },
        poll: scan,
      };
    },
    watchMotion: function (pins, limit, periodMs, fn) {
      // ~30 tokens a look: map and sum are natives, the distance compared squared
      const rd = analogRead as unknown as (p: PinId) => number;
      const l2 = limit * limit;
      let at = E.sum(pins.map(rd));
      setInterval(function () {
        const d = E.sum(pins.map(rd)) - at;
        d * d > l2 && ((at += d), fn());
      }, periodMs);
    },
    unwatch: clearWatch as (id: number) => void,
    storage: {
      read: flash.read, // (natives: Storage's functions do not use `this`)
      write: function (name, data) {
        // Storage throws when flash is full: report a failed write, never crash the tick.
        try {
          return flash.write(name, data);
        } catch (e) {
          return false;
        }
      },
      erase: flash.erase,
    },
    watchdog: {
      start: function (timeoutS) {
        E.enableWatchdog(timeoutS, false);
      },
      kick: E.kickWatchdog, // (a native: one call less on every tick)
    },
    console: {
      write: function (text) {
        port.write(text);
      },
      onData: function (fn) {
        port.on("data", fn);
      },
      detachRepl: function () {
        // The REPL goes nowhere; only the protocol's data handler hears the port.
        E.setConsole(null, { force: true });
      },
      attachRepl: function () {
        E.setConsole(board.consoleDevice, { force: true });
      },
    },
  };
}
