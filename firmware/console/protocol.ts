// The console line protocol: one command per line, one reply line per command: "ok ..." or
// "err <code> <message>" ("status" answers with the STATUS line). Strict: a line longer than
// MAX_LINE, a character outside [A-Za-z0-9 +-.,], an unknown command, a missing or extra argument
// or a number out of range gets an err and changes nothing. Every command goes through Controls,
// the same path (and limits) as the knob and the remote. docs/console-and-settings.md lists it all.
import { Board, OutputName } from "../../boards/board";
import { AmpState, outputIndex } from "../ampState";
import { ERR_TOO_LONG, MAX_LINE } from "../consoleLines";
import { Controls, ERR_RANGE } from "../controls";
import { FAULT_NAMES } from "../faults";
import { bitNames, MUTE_NAMES } from "../muteReasons";
import { CONSOLE_END, CONSOLE_FIRST, ERR_ARGS, ERR_KEY, getKey, KEY_NAMES, keyIndex, parseNumber, setKey } from "../settings/keys";
import { stepSizeDb } from "../volume/volumeLimits";
import { fmtDb } from "./numbers";
import { createUnlock, UnlockGuard } from "./unlock";
import { isAlnumOr, word } from "../textScan";

export { ERR_FLOOD, ERR_TOO_LONG } from "../consoleLines";
export { ERR_ARGS, ERR_KEY, parseNumber } from "../settings/keys";
export { ERR_DENIED, ERR_LOCKED, ERR_LOCKOUT, ERR_NO_PASSWORD } from "./unlock";

/** The message of each err code (index = code). */
/** Message of code i: field i (one string, split only for an error line: an array would hold ~40 JsVars). */
const MESSAGES = "|too long|unknown command|out of range|busy|refused by protection|not supported|bad arguments|bad characters|unknown key|not allowed|locked out|wrong password|flood|no password";
const COMMANDS = "status vol mute out gain ab faults clear cal set get unlock help";
const HELP = "ok " + COMMANDS + "; keys: " + KEY_NAMES + " password";

export function errLine(code: number): string {
  return "err " + code + " " + (word(MESSAGES, code, "|") || "error");
}

/**
 * Returns the reply line for one command line; never throws, changes nothing on an err.
 * status() gives the STATUS line, faultLog() the fault log's entries (for `faults`).
 */
export interface ProtocolOptions {
  controls: Controls;
  state: AmpState;
  board: Board;
  /** The status line, the fault log's text. */
  status: () => string;
  faultLog: () => string;
  /** For "unlock": hands the console to the REPL; the owner's act is needed for a first
   *  password (a Bluetooth console); the lockout's count, kept between lines. */
  attachRepl: () => void;
  ownerFirst: boolean;
  unlockGuard: UnlockGuard;
  now: () => number;
  /** The DC fast path, looked at between parsing a line and carrying it out (a command is tens
   *  of ms of a Pico). */
  poll?: () => void;
}

export function createProtocol(o: ProtocolOptions): (line: string) => string {
  const c = o.controls;
  const state = o.state;
  const board = o.board;
  const status = o.status;
  const faultLog = o.faultLog;
  /** Made only for the commands that need it (its code is then lexed only for them). */
  function unlock() {
    return createUnlock(state, o.attachRepl, o.ownerFirst, o.unlockGuard);
  }
  const nowMs = o.now;
  const poll = o.poll || function () {};
  /** Biggest single volume step a command may ask for, dB. */
  const MAX_STEP_DB = 30;
  /** Quietest level a command may name (the volume limits clamp to the pot's own floor). */
  const MIN_LEVEL_DB = -99;
  const MAX_WORDS = 3;
  /** The protocol's own err codes (the others come from the units that refuse). */
  const ERR_UNKNOWN = 2;
  const ERR_CHARS = 8;

  // Inside, a reply is its line, or the code of its err line (a number).

  function reply(code: number, text?: string): string | number {
    return code || (text ? "ok " + text : "ok");
  }

  /** "vol <level>", "vol +<dB>", "vol up|down [<dB>]". */
  function volume(w: string[], n: number): string | number {
    const a = w[1];
    const upDown = a === "up" || a === "down";
    const relative = upDown || a.charAt(0) === "+";
    if (!upDown && n !== 1) return ERR_ARGS;
    const db = upDown && n === 1 ? stepSizeDb(state, board) : parseNumber(w[n]);
    if (db !== db || (n === 2 && !(w[2].charAt(0) >= "0"))) return ERR_ARGS; // "up <dB>": no sign
    if (relative ? !(db > 0 && db <= MAX_STEP_DB) : !(db <= 0 && db >= MIN_LEVEL_DB)) return ERR_RANGE;
    const g = state.gainDb;
    const rc = relative ? c.stepVolumeDb(a === "down" ? -db : db) : c.setVolumeDb(db);
    // (gain staging may have moved the gain, and the pot by as much the other way: both are told)
    return reply(rc, "vol " + fmtDb(state.targetDb) + (state.gainDb !== g ? " gain " + state.gainDb : ""));
  }

  function command(w: string[], n: number): string | number {
    const cmd = w[0];
    const a = w[1];
    if (cmd === "vol") return volume(w, n);
    const key = keyIndex(a);
    const known = key >= CONSOLE_FIRST && key < CONSOLE_END;
    if (cmd === "set" && n === 2) {
      if (a === "password") return reply(unlock().changePassword(w[2], nowMs()));
      if (!known) return ERR_KEY;
      // raising a limit needs the owner's act on the amp (the console may be anyone in range)
      return reply(setKey(state, key, w[2], !(nowMs() < state.ownerUntilMs)), a + " " + getKey(state, key));
    }
    if (n === 0) {
      if (cmd === "status") return status();
      if (cmd === "help") return HELP;
      if (cmd === "ab") return reply(c.toggleAB());
      if (cmd === "clear") return reply(c.clearFaults());
      if (cmd === "faults") return "ok faults=" + bitNames(state.faults, FAULT_NAMES) + " mute=" + bitNames(state.muteReasons, MUTE_NAMES) + " log=" + faultLog();
    }
    if (n === 1) {
      if (cmd === "get") {
        if (a === "password") return "ok password " + (state.pwHash ? "set" : "none");
        return known ? "ok " + a + " " + getKey(state, key) : ERR_KEY;
      }
      if (cmd === "mute") {
        if (a !== "on" && a !== "off") return ERR_ARGS;
        c.setMute(a === "on");
        return "ok mute " + a;
      }
      if (cmd === "out") return outputIndex(a) < 0 ? ERR_ARGS : reply(c.selectOutput(a as OutputName), "out " + a);
      if (cmd === "gain") {
        const g = parseNumber(a);
        if (g !== g) return ERR_ARGS;
        if (g !== 0 && g !== 9 && g !== 18) return ERR_RANGE;
        // the gain in use (gain staging may hold it lower at a low level: then both are told)
        return reply(c.setGainDb(g), "gain " + state.gainDb + (state.gainDb !== g ? " staged " + g : ""));
      }
      if (cmd === "cal") {
        if (a === "start") return reply(c.calStart());
        if (a === "abort") return reply(c.calAbort());
        if (a === "status") return "ok cal " + c.calStatus();
        return ERR_ARGS;
      }
      if (cmd === "unlock") return reply(unlock().tryUnlock(a, nowMs()), "unlocked");
    }
    // a command with the wrong number of arguments, or no command at all
    // a word-list lookup, not a substring search (Espruino's multi-character indexOf has false hits)
    return COMMANDS.split(" ").indexOf(cmd) < 0 ? ERR_UNKNOWN : ERR_ARGS;
  }

  const words: string[] = [];
  function parse(line: string): string | number {
    if (line.length > MAX_LINE) return ERR_TOO_LONG;
    if (!isAlnumOr(line, " +-.,")) return ERR_CHARS;
    const parts = line.split(" ");
    let n = 0;
    words[1] = words[2] = "";
    for (let i = 0; i < parts.length; i++) {
      if (!parts[i]) continue;
      if (n === MAX_WORDS) return ERR_ARGS;
      words[n++] = parts[i];
    }
    if (!n) return ERR_UNKNOWN;
    poll();
    return command(words, n - 1);
  }

  return function (line: string): string {
    const r = parse(line);
    return typeof r === "number" ? errLine(r) : r;
  };
}
