// The console line protocol: one command per line, "ok ..." or "err <code> <message>" per reply.
// Every command goes through Controls, the same path as the knob and the remote.
// (Issue 5 grows this into the full strict protocol: set/get, cal, faults, help, unlock.)
import { OUTPUT_NAMES, OutputName } from "../../boards/board";
import { Controls, OK } from "../controls";

export const ERR_TOO_LONG = 1;
export const ERR_UNKNOWN = 2;
export const ERR_ARGS = 7;

const MESSAGES: { [code: number]: string } = {
  1: "line too long",
  2: "unknown command",
  3: "out of range",
  4: "busy",
  5: "refused by protection",
  6: "not supported on this board",
  7: "bad arguments",
};

export function errLine(code: number): string {
  return "err " + code + " " + (MESSAGES[code] || "error");
}

/** A strict decimal number: optional sign, digits, optional fraction. No exponents, hex, spaces. */
export function parseNumber(s: string): number {
  return /^[+-]?\d{1,3}(\.\d{1,2})?$/.test(s) ? parseFloat(s) : NaN;
}

export interface ProtocolOptions {
  controls: Controls;
  status: () => string;
}

/** Returns the reply line for one command line. */
export function startProtocol(o: ProtocolOptions): (line: string) => string {
  const c = o.controls;

  function result(code: number): string {
    return code === OK ? "ok" : errLine(code);
  }

  return function (line: string): string {
    const words = line.split(" ");
    const cmd = words[0];
    const arg = words[1];
    const argc = words.length - 1;
    if (cmd === "status" && argc === 0) return o.status();
    // Levels are never positive, so "vol -30" is a level and "vol +2" a step up; "vol up 2" and
    // "vol down 2" step either way.
    if (cmd === "vol" && argc === 1) {
      const n = parseNumber(arg);
      if (n !== n) return errLine(ERR_ARGS);
      return result(arg.charAt(0) === "+" ? c.stepVolumeDb(n) : c.setVolumeDb(n));
    }
    if (cmd === "vol" && argc === 2 && (arg === "up" || arg === "down")) {
      const step = parseNumber(words[2]);
      if (!(step > 0)) return errLine(ERR_ARGS);
      return result(c.stepVolumeDb(arg === "up" ? step : -step));
    }
    if (cmd === "mute" && argc === 1 && (arg === "on" || arg === "off")) {
      c.setMute(arg === "on");
      return "ok";
    }
    if (cmd === "out" && argc === 1) {
      for (let i = 0; i < OUTPUT_NAMES.length; i++) if (OUTPUT_NAMES[i] === arg) return result(c.selectOutput(arg as OutputName));
      return errLine(ERR_ARGS);
    }
    if (cmd === "gain" && argc === 1) {
      const g = parseNumber(arg);
      return g !== g ? errLine(ERR_ARGS) : result(c.setGainDb(g));
    }
    if (cmd === "ab" && argc === 0) return result(c.toggleAB());
    if (cmd === "clear" && argc === 0) return result(c.clearFaults());
    return errLine(ERR_UNKNOWN);
  };
}
