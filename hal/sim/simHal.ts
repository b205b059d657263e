// A Hal over the simulated amplifier, for unit tests of firmware modules (the built bundle runs
// over espruinoEmu instead). Timers run on the amp's virtual clock; pins are the board's pin names.
//
// watch(pin, edge, fn, debounceMs): debounceMs <= 0 reports every edge at once. Otherwise each edge
// (re)starts a debounceMs timer; when it expires the pin's level is reported if it differs from the
// last reported one, with the time of the last edge. The edge filter applies to what is reported.
// Console: writes are captured; inject() delivers data at the current virtual time, on the next
// runUntil/advance (advance(0) is enough), to every onData handler.
import { ConsolePort, Edge, EdgeHandler, Hal, PinId, TimerId, WatchId } from "../hal";
import { SimAmp, VirtualClock } from "./types";

export interface SimConsole {
  port: ConsolePort;
  /** Everything written, chunk by chunk. */
  output: string[];
  /** All output joined. */
  text(): string;
  clear(): void;
  inject(chunk: string): void;
  replDetached(): boolean;
}

export function createSimConsole(clock: VirtualClock): SimConsole {
  const output: string[] = [];
  const handlers: ((chunk: string) => void)[] = [];
  let detached = false;
  return {
    output,
    port: {
      write: (text) => {
        output.push(text);
      },
      onData: (fn) => {
        handlers.push(fn);
      },
      detachRepl: () => {
        detached = true;
      },
      attachRepl: () => {
        detached = false;
      },
    },
    text: () => output.join(""),
    clear: () => {
      output.length = 0;
    },
    inject: (chunk) => {
      clock.at(clock.nowMs(), () => {
        for (const fn of handlers) fn(chunk);
      });
    },
    replDetached: () => detached,
  };
}

export interface SimHal extends Hal {
  amp: SimAmp;
  simConsole: SimConsole;
  /** Pins configured with inputPullUp. */
  pullUps: Set<string>;
}

export function createSimHal(amp: SimAmp, simConsole: SimConsole = createSimConsole(amp.clock)): SimHal {
  const clock = amp.clock;
  const pins = amp.pins;
  const watches = new Map<WatchId, () => void>();
  const pullUps = new Set<string>();
  let nextWatch = 1;
  // interval ids live apart from the clock's (large, so they never collide with one-shot ids)
  let nextTimer = 1e9;
  const intervals = new Map<TimerId, { fn: () => void; clockId: number; periodMs: number }>();

  const nameOf = (pin: PinId): string => {
    if (typeof pin !== "string") throw new Error("simHal: pin ids are pin-name strings");
    return pin;
  };

  return {
    amp,
    simConsole,
    pullUps,

    nowMs: () => clock.nowMs(),
    every: (fn, periodMs): TimerId => {
      // retime() needs the callback again: one id per every(), whatever timers it goes through
      const id = nextTimer++;
      const iv = { fn: () => {}, clockId: -1, periodMs };
      iv.fn = fn;
      iv.clockId = clock.every(periodMs, iv.fn);
      intervals.set(id, iv);
      return id;
    },
    retime: (id, periodMs) => {
      // Espruino's changeInterval: the next call periodMs from now, then every periodMs
      const iv = intervals.get(id);
      if (!iv) return;
      clock.cancel(iv.clockId);
      iv.periodMs = periodMs;
      iv.clockId = clock.every(periodMs, iv.fn);
    },
    after: (fn, delayMs): TimerId => clock.at(clock.nowMs() + delayMs, fn),
    cancel: (id) => {
      const iv = intervals.get(id);
      if (iv) {
        clock.cancel(iv.clockId);
        intervals.delete(id);
      } else clock.cancel(id);
    },

    pin: (name) => {
      if (!pins.has(name)) throw new Error(`simHal: unknown pin "${name}"`);
      return name;
    },
    write: (pin, high) => pins.digitalWrite(nameOf(pin), high),
    read: (pin) => pins.digitalRead(nameOf(pin)),
    analog: (pin) => pins.analogRead(nameOf(pin)),
    pwm: (pin, duty, freqHz) => pins.pwm(nameOf(pin), duty, freqHz),
    inputPullUp: (pin) => {
      const name = nameOf(pin);
      if (!pins.has(name)) throw new Error(`simHal: unknown pin "${name}"`);
      pullUps.add(name);
    },
    watch: (pin: PinId, edge: Edge, fn: EdgeHandler, debounceMs: number): WatchId => {
      const name = nameOf(pin);
      let reported = pins.digitalRead(name);
      let timer = -1;
      let lastEdgeMs = 0;
      const report = (level: boolean, t: number) => {
        if (level === reported) return;
        reported = level;
        if (edge === "both" || (edge === "rising") === level) fn(level, t);
      };
      const off = pins.onEdge(name, (level, t) => {
        if (!(debounceMs > 0)) {
          report(level, t);
          return;
        }
        lastEdgeMs = t;
        if (timer >= 0) clock.cancel(timer);
        timer = clock.at(t + debounceMs, () => {
          timer = -1;
          report(pins.digitalRead(name), lastEdgeMs);
        });
      });
      const id = nextWatch++;
      watches.set(id, () => {
        off();
        if (timer >= 0) clock.cancel(timer);
      });
      return id;
    },
    watchAnalog: (pinIds, mid, limit, periodMs, fn) => {
      const names = pinIds.map(nameOf);
      const read = () => names.map((n) => pins.analogRead(n));
      const k = (limit * limit) / names.length;
      const scan = () => {
        let ms = 0;
        for (const v of read()) ms += (v - mid) * (v - mid);
        if (ms / names.length > k) fn();
      };
      clock.every(periodMs, scan);
      return { last: read, poll: scan };
    },
    watchMux: (adc, select, settleMs, mid, limit, periodMs, fn) => {
      // each input read settleMs after its selection: four timed steps (the device's reads are
      // that far apart by the interpreter's own time), one scan at a time
      const a = nameOf(adc);
      const s = select.map(nameOf);
      const v = [mid, mid, mid, mid];
      const k = limit * limit;
      let step = 4; // the input being read; 4: no scan under way
      const next = () => {
        v[step] = pins.analogRead(a);
        if (++step < 4) {
          pins.digitalWrite(s[0], (step & 1) !== 0);
          pins.digitalWrite(s[1], step > 1);
          clock.at(clock.nowMs() + settleMs, next);
        } else if (v.reduce((q, x) => q + (x - mid) * (x - mid), 0) > k) fn();
      };
      const scan = () => {
        if (step < 4) return;
        step = 0;
        pins.digitalWrite(s[0], false);
        pins.digitalWrite(s[1], false);
        clock.at(clock.nowMs() + settleMs, next);
      };
      clock.every(periodMs, scan);
      return { last: () => v, poll: scan };
    },
    watchMotion: (pinIds, limit, periodMs, fn) => {
      const names = pinIds.map(nameOf);
      const sum = () => names.reduce((a, n) => a + pins.analogRead(n), 0);
      let at = sum();
      clock.every(periodMs, () => {
        const s = sum();
        if (s > at + limit || s < at - limit) {
          at = s;
          fn();
        }
      });
    },
    unwatch: (id) => {
      const stop = watches.get(id);
      if (!stop) return;
      stop();
      watches.delete(id);
    },

    storage: {
      read: (name) => amp.flash.read(name),
      write: (name, data) => amp.flash.write(name, data),
      erase: (name) => amp.flash.erase(name),
    },
    watchdog: {
      start: (timeoutS) => amp.watchdogStart(timeoutS),
      kick: () => amp.watchdogKick(),
    },
    console: simConsole.port,
  };
}
