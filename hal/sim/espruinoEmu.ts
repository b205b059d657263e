// The Espruino globals, emulated in a Node vm context over the simulated amplifier, so that the
// built bundle itself (dist/<board>/firmware.js) runs in tests, the bench and the front panel.
//
// Faithful where it matters to the firmware: virtual time (getTime, drift-free setInterval), pin
// objects by name, setWatch callbacks run from the main loop with the edge's own timestamp, the
// Storage module over flash that can lose power, the watchdog, and the console: while the REPL
// owns a device, text sent to it is evaluated as JavaScript (as on the real board); once the
// firmware detaches the REPL, the text goes to the device's 'data' handlers instead.
// Built-ins the interpreter lacks are removed from the context, and trigonometry is made
// approximate (as on Pico-class builds), so firmware that relies on it fails here too.
import * as vm from "vm";
import { Board } from "../../boards/board";
import { SimAmp } from "./types";

/** Globals Espruino 2v29 does not have (shared/ESPRUINO.md). */
const MISSING_GLOBALS = ["Map", "Set", "WeakMap", "WeakSet", "WeakRef", "Symbol", "Proxy", "Reflect", "RangeError", "Promise", "BigInt", "queueMicrotask", "SharedArrayBuffer", "Atomics", "globalThis"];
const MISSING_STATICS: [string, string[]][] = [
  ["Array", ["from", "of"]],
  ["Number", ["isFinite", "isInteger", "isNaN", "EPSILON", "isSafeInteger", "MAX_SAFE_INTEGER", "MIN_SAFE_INTEGER"]],
  ["Math", ["log10", "log2", "trunc", "hypot", "sign", "cbrt", "log1p", "expm1"]],
  ["Object", ["freeze"]],
];
/** Pico-class builds: Math.atan(1) = 0.7729 (-1.6 %), Math.cos(0) = 0.99995. */
const APPROX_MATHS_ERROR = 0.01;
/** What is approximate on the Pico's 2v29 build (SAVE_ON_FLASH_MATH): the trigonometric functions.
 *  exp, log, pow and sqrt are exact there (test/device/interpreterQuirks.test.ts). */
const APPROX_MATHS = ["atan", "atan2", "sin", "cos", "tan", "asin", "acos"];
/** setWatch callbacks run from the main loop shortly after the interrupt stamped the edge. */
const WATCH_DISPATCH_MS = 0.05;
/** analogRead samples this long after the statement before it: the interpreter reaching the
 *  conversion (a few tokens at ~13 us each on a Pico or an MDBT42Q, ~0.1 ms; counted low). A
 *  mux selected just before is read settled when its settleMs is below this. */
const ANALOG_READ_LAG_MS = 0.06;

const PICO_PINS = (() => {
  const names = ["LED1", "LED2", "BTN", "BTN1"];
  for (const port of ["A", "B"]) for (let i = 0; i < 16; i++) names.push(port + i);
  names.push("C13", "C14", "C15");
  return names;
})();
const NRF52_PINS = (() => {
  const names = ["LED1", "LED2", "BTN", "BTN1"];
  for (let i = 0; i < 32; i++) names.push("D" + i);
  return names;
})();

export interface EmuOptions {
  board: Board;
  amp: SimAmp;
  /** The bundle's source text. */
  code: string;
  /** Make transcendental Math functions approximate like a Pico build (default true). */
  approxMaths?: boolean;
}

export interface EmulatedDevice {
  /** Everything the device printed or wrote to its console device so far. */
  output(): string;
  /** Output split into lines (CR/LF stripped), empty lines dropped. */
  lines(): string[];
  /** Output written since the last call to takeOutput(). */
  takeOutput(): string;
  /** Characters arriving on the board's console device (USB or Bluetooth). */
  send(text: string): void;
  /** Uncaught errors (at load, in timers or watches), as Espruino would print them. */
  errors: string[];
  /** True while the JavaScript REPL owns the console device. */
  replAttached(): boolean;
  /** Number of live timers and watches (leak checks). */
  liveTimers(): number;
  liveWatches(): number;
  /** Stop everything this device scheduled (power off). Flash stays with the amp. */
  powerOff(): void;
  context: vm.Context;
}

interface PinObj {
  name: string;
  toString(): string;
}

export function bootBundle(o: EmuOptions): EmulatedDevice {
  const { amp, board } = o;
  const clock = amp.clock;
  const pinNames = board.espruinoBoard === "PICO_R1_3" ? PICO_PINS : NRF52_PINS;
  let out = "";
  let taken = 0;
  const errors: string[] = [];
  const timers = new Map<number, number>(); // emu id -> clock event id
  const watches = new Map<number, () => void>();
  let nextTimer = 1;
  let nextWatch = 1;
  let replOn: string | null = board.consoleDevice;
  let powered = true;
  const dataHandlers: { [dev: string]: ((s: string) => void)[] } = { USB: [], Bluetooth: [], Serial1: [] };

  function print(s: string) {
    out += s;
  }
  function report(e: unknown) {
    const msg = e instanceof Error ? e.message : String(e);
    errors.push(msg);
    print("Uncaught " + msg + "\r\n");
  }
  function guarded(fn: () => void) {
    if (!powered) return;
    try {
      fn();
    } catch (e) {
      report(e);
    }
  }
  function pinName(p: unknown): string {
    if (p && typeof p === "object" && typeof (p as PinObj).name === "string") return (p as PinObj).name;
    if (typeof p === "string" && pinNames.indexOf(p) >= 0) return p;
    throw new Error("Expecting a pin, got " + String(p));
  }

  function makePin(name: string): PinObj {
    if (pinNames.indexOf(name) < 0) throw new Error("Unknown pin " + name);
    return { name, toString: () => name };
  }

  const periods = new Map<number, { period: number; due: number; fire: () => void }>(); // intervals

  function schedule(fn: () => void, ms: number, repeat: boolean): number {
    const id = nextTimer++;
    const iv = { period: Math.max(0.1, +ms || 0), due: 0, fire: () => {} };
    iv.due = clock.nowMs() + iv.period;
    iv.fire = () => {
      if (repeat) {
        iv.due += iv.period; // drift-free, like Espruino's setInterval
        timers.set(id, clock.at(iv.due, iv.fire));
      } else {
        timers.delete(id);
        periods.delete(id);
      }
      guarded(fn);
    };
    timers.set(id, clock.at(iv.due, iv.fire));
    periods.set(id, iv);
    return id;
  }
  /** Espruino's changeInterval: the next call ms from now, then every ms. */
  function changeInterval(id: unknown, ms: number) {
    const iv = periods.get(id as number);
    const ev = timers.get(id as number);
    if (!iv || ev === undefined) throw new Error("Unknown Interval");
    clock.cancel(ev);
    iv.period = Math.max(0.1, +ms || 0);
    iv.due = clock.nowMs() + iv.period;
    timers.set(id as number, clock.at(iv.due, iv.fire));
  }
  function clearTimer(id: unknown) {
    const ev = timers.get(id as number);
    if (ev !== undefined) {
      clock.cancel(ev);
      timers.delete(id as number);
      periods.delete(id as number);
    }
  }

  function serial(dev: string) {
    return {
      write: (s: unknown) => print(String(s)),
      print: (s: unknown) => print(String(s)),
      println: (s: unknown) => print(String(s) + "\r\n"),
      on: (event: string, fn: (s: string) => void) => {
        if (event === "data") dataHandlers[dev].push(fn);
      },
      setConsole: () => {
        replOn = dev;
      },
    };
  }

  const storage = {
    read: (name: string) => amp.flash.read(String(name)),
    readJSON: (name: string) => {
      const s = amp.flash.read(String(name));
      return s === undefined ? undefined : JSON.parse(s);
    },
    write: (name: string, data: unknown) => amp.flash.write(String(name), String(data)),
    writeJSON: (name: string, data: unknown) => amp.flash.write(String(name), JSON.stringify(data)),
    erase: (name: string) => amp.flash.erase(String(name)),
    list: () => amp.flash.list(),
  };

  const wd = amp as unknown as { watchdogStart(s: number): void; watchdogKick(): void };
  const E = {
    enableWatchdog: (s: number) => wd.watchdogStart(s),
    kickWatchdog: () => wd.watchdogKick(),
    setConsole: (dev: string | null) => {
      replOn = dev;
    },
    on: () => undefined,
    getErrorFlags: () => [],
    /** Sum of the elements (Espruino: E.sum(arr)). */
    sum: (a: ArrayLike<number>) => {
      let v = 0;
      for (let i = 0; i < a.length; i++) v += +a[i];
      return v;
    },
    /** Mean square distance of the elements from mean (Espruino: E.variance(arr, mean)). */
    variance: (a: ArrayLike<number>, mean: number) => {
      let v = 0;
      for (let i = 0; i < a.length; i++) v += (mean - a[i]) * (mean - a[i]);
      return v / a.length;
    },
    setPassword: () => undefined,
    lockConsole: () => undefined,
  };

  const sandbox: { [k: string]: unknown } = {
    getTime: () => clock.nowMs() / 1000,
    setInterval: (fn: () => void, ms: number) => schedule(fn, ms, true),
    setTimeout: (fn: () => void, ms: number) => schedule(fn, ms, false),
    clearInterval: clearTimer,
    changeInterval: changeInterval,
    clearTimeout: clearTimer,
    Pin: function Pin(name: string) {
      return makePin(String(name));
    },
    analogRead: (p: unknown) => amp.pins.analogRead(pinName(p), ANALOG_READ_LAG_MS),
    digitalRead: (p: unknown) => (amp.pins.digitalRead(pinName(p)) ? 1 : 0),
    digitalWrite: (p: unknown, v: unknown) => amp.pins.digitalWrite(pinName(p), !!v),
    analogWrite: (p: unknown, v: number, opts?: { freq?: number }) => amp.pins.pwm(pinName(p), +v, (opts && opts.freq) || 490),
    pinMode: (p: unknown) => {
      pinName(p);
    },
    setWatch: (fn: (e: { state: boolean; time: number; lastTime: number }) => void, p: unknown, opts?: { repeat?: boolean; edge?: string; debounce?: number }) => {
      const name = pinName(p);
      const edge = (opts && opts.edge) || "both";
      // Espruino: debounce (default 0) means the pin must be stable that long before the
      // callback runs; the event carries the level it settled at and the time of its last edge.
      const debounce = opts && opts.debounce !== undefined ? +opts.debounce : 0;
      const id = nextWatch++;
      let lastTime = clock.nowMs() / 1000;
      let settled = amp.pins.digitalRead(name);
      let pending = -1;
      const report = (level: boolean, timeMs: number) => {
        if ((edge === "rising" && !level) || (edge === "falling" && level)) return;
        const event = { state: level, time: timeMs / 1000, lastTime };
        lastTime = event.time;
        clock.at(Math.max(clock.nowMs(), timeMs + WATCH_DISPATCH_MS), () => guarded(() => fn(event)));
        if (!(opts && opts.repeat)) stopWatch(id);
      };
      const unsubscribe = amp.pins.onEdge(name, (level, timeMs) => {
        if (debounce <= 0) {
          settled = level;
          report(level, timeMs);
          return;
        }
        if (pending >= 0) clock.cancel(pending);
        pending = clock.at(Math.max(clock.nowMs(), timeMs + debounce), () => {
          pending = -1;
          if (level === settled) return; // bounced back to where it was: no edge
          settled = level;
          report(level, timeMs);
        });
      });
      watches.set(id, unsubscribe);
      return id;
    },
    clearWatch: (id: unknown) => stopWatch(id as number),
    E,
    USB: serial("USB"),
    Bluetooth: serial("Bluetooth"),
    Serial1: serial("Serial1"),
    LoopbackA: serial("LoopbackA"),
    require: (name: string) => {
      if (name === "Storage") return storage;
      throw new Error('Module "' + name + '" not found');
    },
    // print/console.log go to wherever the REPL is; once it is detached they go nowhere.
    print: (s: unknown) => replOn !== null && print(String(s) + "\r\n"),
    console: { log: (...a: unknown[]) => replOn !== null && print(a.map(String).join(" ") + "\r\n") },
  };
  for (const n of pinNames) sandbox[n] = makePin(n);
  if (board.espruinoBoard === "PICO_R1_3") {
    sandbox.LED1 = makePin("B2");
    sandbox.LED2 = makePin("B12");
  }

  function stopWatch(id: number) {
    const u = watches.get(id);
    if (u) {
      u();
      watches.delete(id);
    }
  }

  const context = vm.createContext(sandbox);
  vm.runInContext(
    MISSING_GLOBALS.map((g) => "delete globalThis." + g + ";").join("") +
      MISSING_STATICS.map(([obj, keys]) => keys.map((k) => "delete " + obj + "." + k + ";").join("")).join(""),
    context
  );
  if (o.approxMaths !== false) {
    // Deterministic relative error of ~1 %: tests of the dB path fail if firmware leans on Math.
    vm.runInContext(
      "(function(M,e){" + JSON.stringify(APPROX_MATHS) + ".forEach(function(k){var f=M[k];M[k]=function(){return f.apply(M,arguments)*(1+e)}})})(Math," + APPROX_MATHS_ERROR + ")",
      context
    );
  }

  guarded(() => vm.runInContext(o.code, context, { filename: "firmware.js" }));

  return {
    output: () => out,
    lines: () => out.split(/\r?\n/).filter((l) => l.length > 0),
    takeOutput: () => {
      const s = out.slice(taken);
      taken = out.length;
      return s;
    },
    send: (text: string) => {
      const dev = board.consoleDevice;
      if (!powered) return;
      if (replOn === dev) {
        // The REPL: evaluate each line as JavaScript, print "=result" like Espruino.
        for (const line of text.split(/\r?\n/)) {
          if (!line.trim()) continue;
          guarded(() => {
            const v = vm.runInContext(line, context);
            print("=" + (typeof v === "string" ? JSON.stringify(v) : String(v)) + "\r\n");
          });
        }
        return;
      }
      for (const h of dataHandlers[dev]) guarded(() => h(text));
    },
    errors,
    replAttached: () => replOn === board.consoleDevice,
    liveTimers: () => timers.size,
    liveWatches: () => watches.size,
    powerOff: () => {
      powered = false;
      for (const ev of timers.values()) clock.cancel(ev);
      timers.clear();
      for (const u of watches.values()) u();
      watches.clear();
    },
    context,
  };
}
