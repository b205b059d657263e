// The console line protocol: one command per line, one reply line per command: "ok ..." or
// "err <code> <message>" ("status" answers with the STATUS line). Strict: a line longer than
// MAX_LINE, a character outside [A-Za-z0-9 +-.,], an unknown command, a missing or extra argument
// or a number out of range gets an err and changes nothing. Every command goes through Controls,
// the same path (and limits) as the knob and the remote. docs/console-and-settings.md lists it all.
import { Board, OUTPUT_NAMES, OutputName } from "../../boards/board";
import { AmpState } from "../ampState";
import { ERR_TOO_LONG, MAX_LINE } from "../consoleLines";
import { Controls, ERR_RANGE, OK } from "../controls";
import { faultNames } from "../faults";
import { muteReasonNames } from "../muteReasons";
import { CONSOLE_END, CONSOLE_FIRST, ERR_ARGS, ERR_KEY, getKey, KEY_NAMES, keyIndex, parseNumber, setKey } from "../settings/keys";
import { fmtDb } from "./numbers";
import { Unlock } from "./unlock";

export { ERR_FLOOD, ERR_TOO_LONG } from "../consoleLines";
export { ERR_ARGS, ERR_KEY, parseNumber } from "../settings/keys";
export { ERR_DENIED, ERR_LOCKED, ERR_LOCKOUT, ERR_NO_PASSWORD } from "./unlock";
export const ERR_UNKNOWN = 2;
export const ERR_CHARS = 8;
/** Biggest single volume step a command may ask for, dB. */
const MAX_STEP_DB = 30;
/** Quietest level a command may name (the volume limits clamp to the pot's own floor). */
const MIN_LEVEL_DB = -99;
const ALLOWED_RE = /^[A-Za-z0-9 +\-.,]*$/;
const MAX_WORDS = 3;

const MESSAGES = [
  "",
  "too long",
  "unknown command",
  "out of range",
  "busy",
  "refused by protection",
  "not supported",
  "bad arguments",
  "bad characters",
  "unknown key",
  "not allowed",
  "locked out",
  "wrong password",
  "flood",
  "no password",
];
const COMMANDS = "status vol mute out gain ab faults clear cal set get unlock help";
const HELP = "ok " + COMMANDS + "; keys: " + KEY_NAMES + " password";

export function errLine(code: number): string {
  return "err " + code + " " + (MESSAGES[code] || "error");
}

export interface ProtocolOptions {
  controls: Controls;
  state: AmpState;
  board: Board;
  status: () => string;
  unlock: Unlock;
  nowMs: () => number;
  /** The fault log's recent entries (code,seconds,a,b;...), for `faults`. */
  faultLog: () => string;
}

/** Returns the reply line for one command line; never throws, changes nothing on an err. */
export function startProtocol(o: ProtocolOptions): (line: string) => string {
  const c = o.controls;
  const state = o.state;

  function reply(code: number, text: string): string {
    return code === OK ? (text ? "ok " + text : "ok") : errLine(code);
  }

  function volume(w: string[], n: number): string {
    const a = w[1];
    let step = NaN;
    if (n === 1 && (a === "up" || a === "down")) step = state.stepDb || o.board.volume.stepDb;
    else if (n === 2 && (a === "up" || a === "down")) step = parseNumber(w[2]);
    else if (n === 1 && a.charAt(0) === "+") step = parseNumber(a);
    else if (n === 1) {
      const level = parseNumber(a);
      if (level !== level) return errLine(ERR_ARGS);
      if (!(level <= 0 && level >= MIN_LEVEL_DB)) return errLine(ERR_RANGE);
      return reply(c.setVolumeDb(level), "vol " + fmtDb(state.targetDb));
    } else return errLine(ERR_ARGS);
    if (step !== step || (n === 2 && !(w[2].charAt(0) >= "0"))) return errLine(ERR_ARGS); // "up <dB>": no sign
    if (!(step > 0 && step <= MAX_STEP_DB)) return errLine(ERR_RANGE);
    return reply(c.stepVolumeDb(a === "down" ? -step : step), "vol " + fmtDb(state.targetDb));
  }

  function command(w: string[], n: number): string {
    const cmd = w[0];
    const a = w[1];
    if (cmd === "vol") return volume(w, n);
    const key = keyIndex(a);
    const known = key >= CONSOLE_FIRST && key < CONSOLE_END;
    if (cmd === "set" && n === 2) {
      if (a === "password") return reply(o.unlock.setPassword(w[2], o.nowMs()), "");
      return known ? reply(setKey(state, key, w[2]), a + " " + getKey(state, key)) : errLine(ERR_KEY);
    }
    if (n === 0) {
      if (cmd === "status") return o.status();
      if (cmd === "help") return HELP;
      if (cmd === "ab") return reply(c.toggleAB(), "");
      if (cmd === "clear") return reply(c.clearFaults(), "");
      if (cmd === "faults") return "ok faults=" + faultNames(state.faults) + " mute=" + muteReasonNames(state.reasons) + " log=" + o.faultLog();
    }
    if (n === 1 && cmd === "get") {
      if (a === "password") return "ok password " + (state.unlockHash ? "set" : "none");
      return known ? "ok " + a + " " + getKey(state, key) : errLine(ERR_KEY);
    }
    if (n === 1 && cmd === "mute") {
      if (a !== "on" && a !== "off") return errLine(ERR_ARGS);
      c.setMute(a === "on");
      return "ok mute " + a;
    }
    if (n === 1 && cmd === "out") {
      if (OUTPUT_NAMES.indexOf(a as OutputName) < 0) return errLine(ERR_ARGS);
      return reply(c.selectOutput(a as OutputName), "out " + a);
    }
    if (n === 1 && cmd === "gain") {
      const g = parseNumber(a);
      if (g !== g) return errLine(ERR_ARGS);
      if (g !== 0 && g !== 9 && g !== 18) return errLine(ERR_RANGE);
      return reply(c.setGainDb(g), "gain " + g);
    }
    if (n === 1 && cmd === "cal") {
      if (a === "start") return reply(c.calStart(), "");
      if (a === "abort") return reply(c.calAbort(), "");
      if (a === "status") return "ok cal " + c.calStatus();
      return errLine(ERR_ARGS);
    }
    if (n === 1 && cmd === "unlock") return reply(o.unlock.unlock(a, o.nowMs()), "unlocked");
    // a command with the wrong number of arguments, or no command at all
    return errLine((" " + COMMANDS + " ").indexOf(" " + cmd + " ") < 0 ? ERR_UNKNOWN : ERR_ARGS);
  }

  const words: string[] = [];
  return function (line: string): string {
    if (line.length > MAX_LINE) return errLine(ERR_TOO_LONG);
    if (!ALLOWED_RE.test(line)) return errLine(ERR_CHARS);
    const parts = line.split(" ");
    let n = 0;
    words[1] = words[2] = "";
    for (let i = 0; i < parts.length; i++) {
      if (!parts[i]) continue;
      if (n === MAX_WORDS) return errLine(ERR_ARGS);
      words[n++] = parts[i];
    }
    if (!n) return errLine(ERR_UNKNOWN);
    return command(words, n - 1);
  };
}
