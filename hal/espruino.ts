// The HAL on the device: the only file that names Espruino globals (analogRead, setWatch, E,
// require("Storage"), Pin, USB/Bluetooth). Pins are resolved to Pin objects once, at start.
/// <reference path="../types/espruino-extra.d.ts" />
import { Board } from "../boards/board";
import { Edge, EdgeHandler, Hal, PinId } from "./hal";

const MS_PER_S = 1000;

export function createEspruinoHal(board: Board): Hal {
  const flash = require("Storage");
  const port: Serial = board.consoleDevice === "USB" ? USB : Bluetooth;

  function p(pin: PinId): Pin {
    return pin as unknown as Pin;
  }

  return {
    nowMs: function () {
      return getTime() * MS_PER_S;
    },
    every: function (periodMs, fn) {
      return setInterval(fn, periodMs);
    },
    retime: function (id, periodMs) {
      changeInterval(id, periodMs);
    },
    after: function (delayMs, fn) {
      return setTimeout(fn, delayMs);
    },
    cancel: function (id) {
      clearTimeout(id);
    },
    pin: function (name) {
      return new Pin(name) as unknown as PinId;
    },
    write: function (pin, high) {
      digitalWrite(p(pin), high);
    },
    read: function (pin) {
      return !!digitalRead(p(pin));
    },
    analog: function (pin) {
      return analogRead(p(pin));
    },
    pwm: function (pin, duty, freqHz) {
      if (duty <= 0) digitalWrite(p(pin), 0);
      else if (duty >= 1) digitalWrite(p(pin), 1);
      else analogWrite(p(pin), duty, { freq: freqHz });
    },
    inputPullUp: function (pin) {
      pinMode(p(pin), "input_pullup");
    },
    watch: function (pin, edge: Edge, fn: EdgeHandler, debounceMs) {
      return setWatch(
        function (e) {
          fn(e.state, e.time * MS_PER_S);
        },
        p(pin),
        { repeat: true, edge: edge, debounce: debounceMs }
      );
    },
    watchAnalog: function (pins, mid, limit, periodMs, fn) {
      // the DC fast path, 200 times a second: map and variance are natives, so a scan of four
      // pins costs ~20 tokens of JavaScript (short names, no property writes)
      const rd = analogRead as unknown as (p: PinId) => number;
      const k = (limit * limit) / pins.length;
      let l = pins.map(rd);
      setInterval(function () {
        E.variance((l = pins.map(rd)), mid) > k && fn(l);
      }, periodMs);
      return {
        last: function () {
          return l;
        },
      };
    },
    watchMotion: function (pins, limit, periodMs, fn) {
      // ~25 tokens a look: map and sum are natives
      const rd = analogRead as unknown as (p: PinId) => number;
      let at = E.sum(pins.map(rd));
      setInterval(function () {
        const s = E.sum(pins.map(rd));
        if (s > at + limit || s < at - limit) {
          at = s;
          fn();
        }
      }, periodMs);
    },
    unwatch: function (id) {
      clearWatch(id);
    },
    storage: {
      read: function (name) {
        return flash.read(name);
      },
      write: function (name, data) {
        // Storage throws when flash is full: report a failed write, never crash the tick.
        try {
          return flash.write(name, data);
        } catch (e) {
          return false;
        }
      },
      erase: function (name) {
        flash.erase(name);
      },
    },
    watchdog: {
      start: function (timeoutS) {
        E.enableWatchdog(timeoutS, false);
      },
      kick: function () {
        E.kickWatchdog();
      },
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
