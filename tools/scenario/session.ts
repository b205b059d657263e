// One simulated amp with the built firmware running on it, as the front panel and the scenario
// runner see it: a continuous session clock across power cycles, the world's state (plugs, faults,
// mains) carried over a reboot, the console split into status, replies and device messages, and a
// log of what happened (user actions, device messages, relay and power events).
//
// Power: `powerCut` is what pulling the mains plug does. The AC sense drops (the firmware should
// mute at once), the controller's supply holds up a little longer, then the emulated device is
// powered off (its timers and watches stop, every coil and the motor lose drive) while the pot
// coasts; after `offMs` a new amp is created on the same flash, with the shaft where it stopped,
// and the same bundle boots on it. The amp's unit parameters come from the seed, so it is the
// same unit after the reboot.
import { Board, OUTPUT_NAMES, OutputName } from "../../boards/board";
import { createSimAmp, SimAmpHandle } from "../../hal/sim/amp";
import { bootBundle, EmulatedDevice } from "../../hal/sim/espruinoEmu";
import { faultNames, PROTECTION_FAULTS } from "../../firmware/faults";
import { parseStatus } from "../statusFields";

/** The protection's fault names (the firmware reports the volume unit's faults on lines of their
 *  own; the protection's only on the STATUS line, as faults=). */
const PROTECTION_FAULT_NAMES = faultNames(PROTECTION_FAULTS).split("+");

/** How long the controller keeps running on its supply's capacitors after the mains go, ms. */
export const CONTROLLER_HOLDUP_MS = 150;
/** Default time the amp stays off in a power cut before the mains come back, ms. */
export const DEFAULT_OFF_MS = 1000;
/** Relay truth is compared at this period to log relay events, ms. */
const RELAY_WATCH_MS = 0.5;
/** Output relay contact edges closer than this are one change and its bounce (a relay's contacts
 *  bounce for ~1 ms as they close): logged once, with the bounce counted, ms. */
const BOUNCE_WINDOW_MS = 3;
/** Keep this many console lines and log entries. */
const MAX_LINES = 400;
/** A status poll not answered within this long is taken as lost, ms. */
const LOST_POLL_MS = 500;
/** Unanswered queries kept (a reply lost to a reboot or a flood must not block the next). */
const MAX_QUERIES = 4;

/** user: an action; device: a line the firmware printed by itself; reply: its answer to a command;
 *  relay: a relay contact changed (sim truth); power: mains and controller power; error: uncaught. */
export type LogKind = "user" | "device" | "reply" | "relay" | "power" | "error" | "fault";

export interface LogEntry {
  /** Session time, ms. */
  t: number;
  kind: LogKind;
  text: string;
}

/** What the world around the controller is like; survives a reboot of the controller. */
export interface WorldState {
  plugged: { [K in OutputName]: boolean };
  /** Single-ended (TRS) plug in a TRRS jack. */
  sePlug: { bal44: boolean; bal35: boolean };
  legDcV: [number, number, number, number];
  short: { left: boolean; right: boolean };
  heatsinkC: number;
  acPresent: boolean;
  /** Rail volts with the mains present. */
  railV: number;
  stalled: boolean;
  reversed: boolean;
  deckFault: { 5: DeckFault; 6: DeckFault };
}

export type DeckFault = "none" | "open" | "shorted" | "dirty";
export type PowerState = "on" | "holdup" | "off";

export interface SessionOptions {
  board: Board;
  /** The built bundle's source. */
  code: string;
  seed: number;
  startDeg?: number;
  /** Jacks with a plug in at power-on. */
  plugged?: OutputName[];
}

interface Pending {
  t: number;
  seq: number;
  fn: () => void;
}

export const LEG_NAMES = ["L+", "L-", "R+", "R-"];

export class SimSession {
  readonly board: Board;
  readonly seed: number;
  readonly code: string;
  amp: SimAmpHandle;
  /** null while the controller has no power. */
  dev: EmulatedDevice | null = null;
  power: PowerState = "on";
  world: WorldState;
  /** Last STATUS line's fields, and when it came (session ms). */
  status: Record<string, string> = {};
  statusLine = "";
  statusAtMs = -1;
  /** Console lines to show a user: device messages, replies, echoed commands ("> ..."). */
  readonly consoleLines: string[] = [];
  readonly log: LogEntry[] = [];
  /** Every log entry ever made is also passed here (the scenario trace keeps them all). */
  onLog: ((e: LogEntry) => void) | null = null;
  /** Each console line as it arrives (the web page's feed). */
  onConsoleLine: ((line: string) => void) | null = null;
  /** Number of boots (1 = the first). */
  boots = 0;
  /** Uncaught firmware errors across boots. */
  readonly errors: string[] = [];

  private timeBaseMs = 0;
  private handGoal = 0;
  private handUntilMs = -1;
  private pending: Pending[] = [];
  private seq = 0;
  private partial = "";
  /** The protection faults the last STATUS line named. */
  private faultsSeen: string[] = [];
  /** Status polls in flight: their STATUS replies are not echoed to the console pane. */
  private silentPolls = 0;
  private pollSentAt = 0;
  private queries: { prefix: string; cb: (reply: string) => void }[] = [];
  private lastConnected = false;
  /** An output relay change still bouncing: the state before it, when it began, the last edge,
   *  and the edges after the first. */
  private bounceFrom: boolean | null = null;
  private bounceT = 0;
  private bounceLastT = 0;
  private bounceEdges = 0;
  private lastOutputs = "";
  private lastGain = 0;
  private pollTimer = -1;
  private pollEveryMs = 0;

  constructor(o: SessionOptions) {
    this.board = o.board;
    this.seed = o.seed;
    this.code = o.code;
    const plugged = {} as { [K in OutputName]: boolean };
    for (const n of OUTPUT_NAMES) plugged[n] = (o.plugged || []).indexOf(n) >= 0;
    this.world = {
      plugged,
      sePlug: { bal44: false, bal35: false },
      legDcV: [0, 0, 0, 0],
      short: { left: false, right: false },
      heatsinkC: 25,
      acPresent: true,
      railV: 30,
      stalled: false,
      reversed: false,
      deckFault: { 5: "none", 6: "none" },
    };
    this.amp = this.makeAmp(o.startDeg);
    this.boot();
  }

  /** Session time, ms (continuous across power cycles). */
  now(): number {
    return this.timeBaseMs + this.amp.clock.nowMs();
  }

  /** Run fn at session time t (>= now), between physics steps. */
  at(t: number, fn: () => void): void {
    const p = { t: Math.max(t, this.now()), seq: this.seq++, fn };
    this.pending.push(p);
    this.pending.sort((a, b) => a.t - b.t || a.seq - b.seq);
  }

  advance(ms: number): void {
    this.advanceTo(this.now() + ms);
  }

  advanceTo(t: number): void {
    while (this.pending.length && this.pending[0].t <= t) {
      const p = this.pending.shift()!;
      this.runAmpTo(p.t);
      p.fn();
    }
    this.runAmpTo(t);
  }

  /** Send a console line as a user would; it is echoed to the console pane. */
  command(line: string): void {
    this.addLog("user", "console: " + line);
    this.pushConsole("> " + line);
    if (!this.dev) {
      this.pushConsole("(no power: the controller is off)");
      return;
    }
    this.dev.send(line + "\r\n");
    this.drain();
  }

  /** Ask for a status line without echoing it (the panel and the trace poll it). */
  pollStatus(): void {
    if (!this.dev) return;
    // A reply lost (a flood the firmware dropped) must not swallow a later "status" the user types.
    if (this.silentPolls > 0 && this.now() - this.pollSentAt > LOST_POLL_MS) this.silentPolls = 0;
    this.silentPolls++;
    this.pollSentAt = this.now();
    this.dev.send("status\r\n");
    this.drain();
  }

  /** Send a line without echoing it; the first reply starting with prefix goes to cb instead of
   *  the console (the panel follows a calibration sweep with "cal status" this way). */
  query(line: string, prefix: string, cb: (reply: string) => void): void {
    if (!this.dev) return;
    this.queries.push({ prefix, cb });
    if (this.queries.length > MAX_QUERIES) this.queries.shift();
    this.dev.send(line + "\r\n");
  }

  /** Poll the status every everyMs of sim time (0 = stop). */
  setStatusPolling(everyMs: number): void {
    this.pollEveryMs = everyMs;
    this.installPolling();
  }

  /** A log entry for something the user (or scenario) did. */
  note(text: string): void {
    this.addLog("user", text);
  }

  // ---- power ----

  /** Mains off: AC sense drops, the controller dies after its hold-up, mains back after offMs. */
  powerCut(offMs = DEFAULT_OFF_MS): void {
    if (this.power !== "on") return;
    this.addLog("power", `power cut (mains off for ${(offMs / 1000).toFixed(1)} s)`);
    this.setAcPresent(false);
    this.power = "holdup";
    const t = this.now();
    this.at(t + CONTROLLER_HOLDUP_MS, () => this.powerOff());
    this.at(t + CONTROLLER_HOLDUP_MS + offMs, () => {
      this.world.acPresent = true;
      this.powerOn();
    });
  }

  /** The controller loses power now: firmware stops, every coil and the motor lose drive. */
  powerOff(): void {
    if (!this.dev) return;
    this.dev.powerOff();
    this.dev = null;
    this.power = "off";
    this.status = {};
    this.statusLine = "";
    this.faultsSeen = [];
    this.deenergize();
    this.addLog("power", "controller off");
  }

  /** Power back: a fresh amp on the same flash, shaft where it stopped, world as it was. */
  powerOn(): void {
    if (this.dev) return;
    const old = this.amp;
    if (old.clock.nowMs() > 0) {
      this.timeBaseMs += old.clock.nowMs();
    }
    this.amp = this.makeAmp(old.shaftDeg(), old);
    this.addLog("power", "power on");
    this.boot();
  }

  // ---- world actions (each one logged) ----

  turnKnob(detents: number, periodMs?: number): void {
    this.addLog("user", `knob ${detents > 0 ? "+" : ""}${detents}`);
    this.amp.turnKnob(detents, periodMs);
  }
  pressKnob(holdMs?: number): void {
    this.addLog("user", "knob press");
    this.amp.pressKnob(holdMs);
  }
  handTurn(toDeg: number, degPerS: number): void {
    const from = this.amp.shaftDeg();
    const to = Math.max(0, Math.min(this.amp.unit.travelDeg, toDeg));
    this.addLog("user", `hand turns the pot to ${to.toFixed(0)} deg`);
    this.handGoal = to;
    this.handUntilMs = this.now() + (Math.abs(to - from) / degPerS) * 1000;
    this.amp.handTurn(to, degPerS);
  }
  /** A hand turn by deltaDeg: from where a hand turn still under way is going, else from the shaft. */
  handTurnBy(deltaDeg: number, degPerS: number): void {
    const base = this.now() < this.handUntilMs ? this.handGoal : this.amp.shaftDeg();
    this.handTurn(base + deltaDeg, degPerS);
  }
  irSend(label: string, address: number, command: number, repeats = 0): void {
    this.addLog("user", `IR ${label}${repeats ? " (+" + repeats + " repeats)" : ""}`);
    this.amp.irSend(address, command, repeats);
  }
  plug(output: OutputName, inserted: boolean): void {
    this.world.plugged[output] = inserted;
    if (!inserted && (output === "bal44" || output === "bal35")) this.world.sePlug[output] = false;
    this.addLog("user", `${inserted ? "plug into" : "unplug"} ${output}`);
    this.amp.plug(output, inserted);
  }
  plugSingleEndedIntoTrrs(output: "bal44" | "bal35", inserted: boolean): void {
    this.world.sePlug[output] = inserted;
    this.world.plugged[output] = inserted;
    this.addLog("user", `${inserted ? "single-ended plug into" : "unplug single-ended plug from"} ${output}`);
    this.amp.plugSingleEndedIntoTrrs(output, inserted);
  }
  setLegDc(leg: 0 | 1 | 2 | 3, volts: number): void {
    this.world.legDcV[leg] = volts;
    this.addLog("user", `DC on ${LEG_NAMES[leg]}: ${volts.toFixed(3)} V`);
    this.amp.setLegDc(leg, volts);
  }
  setShort(channel: "left" | "right", shorted: boolean): void {
    this.world.short[channel] = shorted;
    this.addLog("user", `short on ${channel} cold leg ${shorted ? "on" : "off"}`);
    this.amp.setShort(channel, shorted);
  }
  setHeatsinkC(c: number, settled = false): void {
    this.world.heatsinkC = c;
    this.addLog("user", `heat sink ${c.toFixed(0)} C` + (settled ? " (thermistor there at once)" : " (the thermistor follows in 20-60 s)"));
    this.amp.setHeatsinkC(c, settled);
  }
  setAcPresent(present: boolean): void {
    this.world.acPresent = present;
    this.addLog("user", present ? "AC back" : "AC lost");
    this.amp.setAcPresent(present);
  }
  setRailV(volts: number): void {
    this.world.railV = volts;
    this.addLog("user", `rail ${volts.toFixed(1)} V`);
    this.amp.setRailV(volts);
  }
  setMotorStalled(stalled: boolean): void {
    this.world.stalled = stalled;
    this.addLog("user", `motor ${stalled ? "stalled" : "free"}`);
    this.amp.setMotorStalled(stalled);
  }
  setMotorReversed(reversed: boolean): void {
    this.world.reversed = reversed;
    this.addLog("user", `motor wiring ${reversed ? "reversed" : "normal"}`);
    this.amp.setMotorReversed(reversed);
  }
  setDeckFault(deck: 5 | 6, fault: DeckFault): void {
    this.world.deckFault[deck] = fault;
    this.addLog("user", `deck ${deck} wiper: ${fault}`);
    this.amp.setDeckFault(deck, fault);
  }

  // ---- internals ----

  private makeAmp(startDeg: number | undefined, previous?: SimAmpHandle): SimAmpHandle {
    const w = this.world;
    const plugged = OUTPUT_NAMES.filter((n) => w.plugged[n]);
    const amp = createSimAmp(this.board, {
      seed: this.seed,
      flash: previous ? previous.flash : undefined,
      startDeg,
      plugged,
      railV: w.railV,
      heatsinkC: w.heatsinkC,
      acPresent: w.acPresent,
    });
    w.legDcV.forEach((v, leg) => v !== 0 && amp.setLegDc(leg as 0 | 1 | 2 | 3, v));
    if (w.short.left) amp.setShort("left", true);
    if (w.short.right) amp.setShort("right", true);
    if (w.sePlug.bal44) amp.plugSingleEndedIntoTrrs("bal44", true);
    if (w.sePlug.bal35) amp.plugSingleEndedIntoTrrs("bal35", true);
    if (w.stalled) amp.setMotorStalled(true);
    if (w.reversed) amp.setMotorReversed(true);
    if (w.deckFault[5] !== "none") amp.setDeckFault(5, w.deckFault[5]);
    if (w.deckFault[6] !== "none") amp.setDeckFault(6, w.deckFault[6]);
    amp.onWatchdog(() => {
      if (this.amp !== amp || !this.dev) return;
      this.addLog("error", "watchdog reset");
      // Reboot between clock runs, not from inside this one.
      this.at(this.now(), () => {
        this.powerOff();
        this.powerOn();
      });
    });
    return amp;
  }

  private boot(): void {
    this.partial = "";
    this.silentPolls = 0;
    this.queries = [];
    this.power = "on";
    this.boots++;
    this.lastConnected = this.amp.outputConnected();
    this.lastOutputs = this.amp.outputsLive().join(",");
    this.lastGain = this.amp.gainDb();
    this.dev = bootBundle({ board: this.board, amp: this.amp, code: this.code });
    this.amp.clock.every(RELAY_WATCH_MS, () => this.watchRelays());
    this.installPolling();
    this.drain();
  }

  private installPolling(): void {
    if (this.pollTimer >= 0) this.amp.clock.cancel(this.pollTimer);
    this.pollTimer = -1;
    if (this.pollEveryMs > 0) this.pollTimer = this.amp.clock.every(this.pollEveryMs, () => this.pollStatus());
  }

  private deenergize(): void {
    const pins = this.amp.pins;
    const p = this.board.pins;
    const low = (pin: string) => pins.digitalWrite(pin, false);
    low(p.motorA);
    low(p.motorB);
    low(p.muteRelay);
    const r = this.board.relays;
    if (r.kind === "direct") r.pins.forEach(low);
    else {
      // The 74HC595 loses its supply: model it as zeros latched.
      low(r.data);
      for (let i = 0; i < 8; i++) {
        pins.digitalWrite(r.clock, true);
        low(r.clock);
      }
      pins.digitalWrite(r.latch, true);
      low(r.latch);
    }
    if (this.pollTimer >= 0) this.amp.clock.cancel(this.pollTimer);
    this.pollTimer = -1;
  }

  private runAmpTo(t: number): void {
    const local = t - this.timeBaseMs;
    if (local > this.amp.clock.nowMs()) this.amp.clock.runUntil(local);
    this.drain();
  }

  private watchRelays(): void {
    const a = this.amp;
    const c = a.outputConnected();
    const now = this.now();
    if (c !== this.lastConnected) {
      if (this.bounceFrom === null) {
        this.bounceFrom = this.lastConnected;
        this.bounceT = now;
        this.bounceEdges = 0;
      } else this.bounceEdges++;
      this.bounceLastT = now;
      this.lastConnected = c;
    }
    if (this.bounceFrom !== null && now - this.bounceLastT >= BOUNCE_WINDOW_MS) {
      const bounced = Math.ceil(this.bounceEdges / 2);
      const note = bounced ? ` (contacts bounced ${bounced}x)` : "";
      if (c !== this.bounceFrom) this.addLog("relay", (c ? "output relay closed" : "output relay open (muted)") + note, this.bounceT);
      else this.addLog("relay", `output relay contacts bounced ${bounced}x, stayed ${c ? "closed" : "open"}`, this.bounceT);
      this.bounceFrom = null;
    }
    const outs = a.outputsLive().join(",");
    if (outs !== this.lastOutputs) {
      this.lastOutputs = outs;
      this.addLog("relay", "output relays: " + (outs || "none"));
    }
    const g = a.gainDb();
    if (g !== this.lastGain) {
      this.lastGain = g;
      this.addLog("relay", `gain relays: +${g} dB`);
    }
  }

  /** Take what the device printed and sort it into status, replies and messages. */
  private drain(): void {
    if (!this.dev) return;
    const text = this.partial + this.dev.takeOutput();
    const parts = text.split(/\r?\n/);
    this.partial = parts.pop() || "";
    for (const raw of parts) {
      const line = raw.replace(/\r/g, "");
      if (!line) continue;
      const q = this.queries.findIndex((x) => line.startsWith(x.prefix));
      if (q >= 0) {
        this.queries.splice(q, 1)[0].cb(line);
        continue;
      }
      if (line.startsWith("STATUS ")) {
        this.status = parseStatus(line);
        this.statusLine = line;
        this.noteFaults(this.status.faults);
        this.statusAtMs = this.now();
        if (this.silentPolls > 0) {
          this.silentPolls--;
          continue;
        }
        this.pushConsole(line);
        continue;
      }
      this.pushConsole(line);
      if (line.startsWith("Uncaught ")) {
        this.errors.push(line);
        this.addLog("error", line);
      } else if (/^(ok|err)\b/.test(line)) this.addLog("reply", line);
      else if (!line.startsWith("=")) this.addLog("device", line);
    }
  }

  /** A protection fault that appears or goes on the status line goes into the log. */
  private noteFaults(field: string | undefined): void {
    if (field === undefined) return;
    const now = field.split("+").filter((f) => PROTECTION_FAULT_NAMES.includes(f));
    for (const f of now) if (!this.faultsSeen.includes(f)) this.addLog("fault", "FAULT " + f);
    for (const f of this.faultsSeen) if (!now.includes(f)) this.addLog("fault", "CLEAR " + f);
    this.faultsSeen = now;
  }

  private pushConsole(line: string): void {
    if (this.onConsoleLine) this.onConsoleLine(line);
    this.consoleLines.push(line);
    if (this.consoleLines.length > MAX_LINES) this.consoleLines.splice(0, this.consoleLines.length - MAX_LINES);
  }

  private addLog(kind: LogKind, text: string, t = this.now()): void {
    const e = { t, kind, text };
    this.log.push(e);
    if (this.log.length > MAX_LINES) this.log.splice(0, this.log.length - MAX_LINES);
    if (this.onLog) this.onLog(e);
  }
}
