// The action language shared by scenario files, the front panel's keys and its "/" prompt: one
// action per line of text, a verb and its arguments, for instance `knob +5`, `ir vol+ 3`,
// `dc L+ 1.0`, `console vol -30`, `power cut 2`. parseAction checks everything before anything
// runs; applyAction performs it on a session. docs/simulator.md lists the verbs.
import { OUTPUT_NAMES, OutputName } from "../../boards/board";
import {
  IR_ADDRESS,
  IR_AB,
  IR_MUTE,
  IR_OUT_BAL35,
  IR_OUT_BAL44,
  IR_OUT_NEXT,
  IR_OUT_SE63,
  IR_OUT_XLR,
  IR_VOL_DOWN,
  IR_VOL_UP,
} from "../../firmware/inputs/keymap";
import { DeckFault, LEG_NAMES, SimSession } from "./session";

/** Remote keys by name (the amp's keymap, firmware/inputs/keymap.ts). */
export const IR_KEYS: { [name: string]: number } = {
  "vol+": IR_VOL_UP,
  "vol-": IR_VOL_DOWN,
  mute: IR_MUTE,
  bal44: IR_OUT_BAL44,
  bal35: IR_OUT_BAL35,
  xlr: IR_OUT_XLR,
  se63: IR_OUT_SE63,
  next: IR_OUT_NEXT,
  ab: IR_AB,
};

export type Action =
  | { verb: "knob"; detents: number; periodMs?: number }
  | { verb: "press"; holdMs?: number }
  | { verb: "hand"; toDeg: number; degPerS: number; relative: boolean }
  | { verb: "ir"; key: string; address: number; command: number; repeats: number }
  | { verb: "console"; line: string }
  | { verb: "plug"; output: OutputName; inserted: boolean }
  | { verb: "se-plug"; output: "bal44" | "bal35"; inserted: boolean }
  | { verb: "dc"; leg: 0 | 1 | 2 | 3; volts: number }
  | { verb: "short"; channel: "left" | "right"; on: boolean }
  | { verb: "heat"; celsius: number; now: boolean }
  | { verb: "ac"; on: boolean }
  | { verb: "rail"; volts: number }
  | { verb: "stall"; on: boolean }
  | { verb: "reversed"; on: boolean }
  | { verb: "deck"; deck: 5 | 6; fault: DeckFault }
  | { verb: "power"; what: "cut" | "off" | "on"; offMs?: number }
  | { verb: "mark"; text: string };

/** Hand-turn speed when none is given: a brisk twist. */
export const DEFAULT_HAND_DEG_PER_S = 90;

/** One line of help per verb (docs/simulator.md has the long form). */
export const ACTION_HELP: [string, string][] = [
  ["knob N [PERIOD_MS]", "turn the front-panel knob N detents (+ louder), one every PERIOD_MS (default 50)"],
  ["press [HOLD_MS]", "press the knob (mute)"],
  ["hand DEG [DEG_PER_S]", "a hand turns the pot shaft to DEG (or by +DEG / -DEG) against the clutch"],
  ["ir KEY [REPEATS]", "remote key: " + Object.keys(IR_KEYS).join(" ") + ", or ADDR:CMD in hex"],
  ["console LINE", "a line on the console protocol (status, vol -30, out se63, gain 9, ...)"],
  ["plug OUT | unplug OUT", "insert / pull a plug: " + OUTPUT_NAMES.join(" ")],
  ["se-plug OUT | se-unplug OUT", "single-ended (TRS) plug in a TRRS jack: bal44 bal35"],
  ["dc LEG VOLTS", "DC offset on a leg: L+ L- R+ R- (0 to remove)"],
  ["short left|right on|off", "short on a channel's cold leg (over-current)"],
  ["heat C [now]", "heat-sink temperature, deg C; the thermistor follows in 20-60 s, or at once with now"],
  ["ac on|off", "mains present (AC sense; the rails sag after it goes)"],
  ["rail VOLTS", "rail voltage while the mains are present"],
  ["stall on|off", "motor stalled (rotor locked)"],
  ["reversed on|off", "motor wired the wrong way round"],
  ["deck 5|6 none|open|shorted|dirty", "monitoring-deck wiper fault"],
  ["power cut [OFF_S] | power off | power on", "mains off for OFF_S seconds (default 1) / controller off / on"],
  ["mark TEXT", "a label on the plot"],
];

function num(s: string | undefined, what: string): number {
  if (s === undefined || !/^[+-]?(\d+\.?\d*|\.\d+)$/.test(s)) throw new Error(`${what}: expected a number, got ${s === undefined ? "nothing" : JSON.stringify(s)}`);
  return parseFloat(s);
}

function onOff(s: string | undefined, what: string): boolean {
  if (s === "on" || s === "1" || s === "true") return true;
  if (s === "off" || s === "0" || s === "false") return false;
  throw new Error(`${what}: expected on or off, got ${s === undefined ? "nothing" : JSON.stringify(s)}`);
}

function output(s: string | undefined, what: string): OutputName {
  if (s && (OUTPUT_NAMES as string[]).indexOf(s) >= 0) return s as OutputName;
  throw new Error(`${what}: expected an output (${OUTPUT_NAMES.join(", ")}), got ${s === undefined ? "nothing" : JSON.stringify(s)}`);
}

function trrs(s: string | undefined, what: string): "bal44" | "bal35" {
  if (s === "bal44" || s === "bal35") return s;
  throw new Error(`${what}: a single-ended plug fits a TRRS jack only (bal44, bal35), got ${JSON.stringify(s)}`);
}

function noMore(words: string[], n: number, verb: string): void {
  if (words.length > n) throw new Error(`${verb}: unexpected ${JSON.stringify(words.slice(n).join(" "))}`);
}

/** Parses one action; throws an Error with a readable message on anything wrong. */
export function parseAction(text: string): Action {
  const trimmed = text.trim();
  const words = trimmed.split(/\s+/);
  const verb = words[0];
  const a = words[1];
  const b = words[2];
  switch (verb) {
    case "knob": {
      const detents = num(a, "knob");
      if (!Number.isInteger(detents) || detents === 0) throw new Error("knob: detents must be a non-zero whole number");
      noMore(words, 3, verb);
      if (b === undefined) return { verb, detents };
      const periodMs = num(b, "knob period");
      if (!(periodMs > 0)) throw new Error("knob: period must be > 0 ms");
      return { verb, detents, periodMs };
    }
    case "press":
      noMore(words, 2, verb);
      return a === undefined ? { verb } : { verb, holdMs: num(a, "press hold") };
    case "hand": {
      const relative = a !== undefined && (a[0] === "+" || a[0] === "-");
      const toDeg = num(a, "hand");
      noMore(words, 3, verb);
      const degPerS = b === undefined ? DEFAULT_HAND_DEG_PER_S : num(b, "hand speed");
      if (!(degPerS > 0)) throw new Error("hand: speed must be > 0 deg/s");
      return { verb, toDeg, degPerS, relative };
    }
    case "ir": {
      if (a === undefined) throw new Error("ir: which key? " + Object.keys(IR_KEYS).join(", ") + " or ADDR:CMD");
      let address = IR_ADDRESS;
      let command: number;
      const raw = /^(?:0x)?([0-9a-f]{1,4}):(?:0x)?([0-9a-f]{1,2})$/i.exec(a);
      if (raw) {
        address = parseInt(raw[1], 16);
        command = parseInt(raw[2], 16);
      } else if (IR_KEYS[a] !== undefined) command = IR_KEYS[a];
      else throw new Error(`ir: unknown key ${JSON.stringify(a)} (keys: ${Object.keys(IR_KEYS).join(", ")}, or ADDR:CMD in hex)`);
      noMore(words, 3, verb);
      const repeats = b === undefined ? 0 : num(b, "ir repeats");
      if (!Number.isInteger(repeats) || repeats < 0) throw new Error("ir: repeats must be a whole number >= 0");
      return { verb, key: a, address, command, repeats };
    }
    case "console": {
      const line = trimmed.slice(verb.length).trim();
      if (!line) throw new Error("console: which line?");
      return { verb, line };
    }
    case "plug":
    case "unplug":
      noMore(words, 2, verb);
      return { verb: "plug", output: output(a, verb), inserted: verb === "plug" };
    case "se-plug":
    case "se-unplug":
      noMore(words, 2, verb);
      return { verb: "se-plug", output: trrs(a, verb), inserted: verb === "se-plug" };
    case "dc": {
      const leg = LEG_NAMES.indexOf(a || "");
      const legN = leg >= 0 ? leg : /^[0-3]$/.test(a || "") ? Number(a) : -1;
      if (legN < 0) throw new Error(`dc: leg must be one of ${LEG_NAMES.join(" ")}, got ${JSON.stringify(a)}`);
      noMore(words, 3, verb);
      const volts = num(b, "dc volts");
      if (Math.abs(volts) > 50) throw new Error("dc: more than 50 V on a headphone leg is not a fault this amp can have");
      return { verb, leg: legN as 0 | 1 | 2 | 3, volts };
    }
    case "short":
      if (a !== "left" && a !== "right") throw new Error(`short: left or right, got ${JSON.stringify(a)}`);
      noMore(words, 3, verb);
      return { verb, channel: a, on: onOff(b, "short") };
    case "heat": {
      noMore(words, 3, verb);
      const now = words[2] === "now";
      if (words.length > 2 && !now) throw new Error(`heat: the optional word after the temperature is "now", got "${words[2]}"`);
      return { verb, celsius: num(a, "heat"), now };
    }
    case "ac":
      noMore(words, 2, verb);
      return { verb, on: onOff(a, "ac") };
    case "rail":
      noMore(words, 2, verb);
      return { verb, volts: num(a, "rail") };
    case "stall":
    case "reversed":
      noMore(words, 2, verb);
      return { verb, on: onOff(a, verb) };
    case "deck": {
      if (a !== "5" && a !== "6") throw new Error(`deck: 5 or 6, got ${JSON.stringify(a)}`);
      if (b !== "none" && b !== "open" && b !== "shorted" && b !== "dirty") throw new Error(`deck: none, open, shorted or dirty, got ${JSON.stringify(b)}`);
      noMore(words, 3, verb);
      return { verb, deck: Number(a) as 5 | 6, fault: b };
    }
    case "power":
      if (a === "cut") {
        noMore(words, 3, verb);
        if (b === undefined) return { verb, what: "cut" };
        const s = num(b, "power cut seconds");
        if (!(s >= 0)) throw new Error("power cut: seconds must be >= 0");
        return { verb, what: "cut", offMs: s * 1000 };
      }
      if (a === "off" || a === "on") {
        noMore(words, 2, verb);
        return { verb, what: a };
      }
      throw new Error(`power: cut, off or on, got ${JSON.stringify(a)}`);
    case "mark": {
      const t = trimmed.slice(verb.length).trim();
      if (!t) throw new Error("mark: which text?");
      return { verb, text: t };
    }
    default:
      throw new Error(`unknown action ${JSON.stringify(verb)} (one of: ${ACTION_HELP.map((h) => h[0].split(" ")[0]).join(", ")})`);
  }
}

/** Performs a parsed action on the session, now. */
export function applyAction(s: SimSession, a: Action): void {
  switch (a.verb) {
    case "knob":
      return s.turnKnob(a.detents, a.periodMs);
    case "press":
      return s.pressKnob(a.holdMs);
    case "hand":
      return a.relative ? s.handTurnBy(a.toDeg, a.degPerS) : s.handTurn(a.toDeg, a.degPerS);
    case "ir":
      return s.irSend(a.key, a.address, a.command, a.repeats);
    case "console":
      return s.command(a.line);
    case "plug":
      return s.plug(a.output, a.inserted);
    case "se-plug":
      return s.plugSingleEndedIntoTrrs(a.output, a.inserted);
    case "dc":
      return s.setLegDc(a.leg, a.volts);
    case "short":
      return s.setShort(a.channel, a.on);
    case "heat":
      return s.setHeatsinkC(a.celsius, a.now);
    case "ac":
      return s.setAcPresent(a.on);
    case "rail":
      return s.setRailV(a.volts);
    case "stall":
      return s.setMotorStalled(a.on);
    case "reversed":
      return s.setMotorReversed(a.on);
    case "deck":
      return s.setDeckFault(a.deck, a.fault);
    case "power":
      if (a.what === "cut") return s.powerCut(a.offMs);
      if (a.what === "off") return s.powerOff();
      return s.powerOn();
    case "mark":
      return s.note("mark: " + a.text);
  }
}
