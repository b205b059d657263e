// The deliberate way back to the JavaScript REPL on a production build: "unlock <password>" hands
// the console to the REPL (hal ConsolePort.attachRepl); `load()` there, or a power cycle, locks it
// again. Guessing is slowed by a lockout: after MAX_FAILS wrong passwords every attempt is refused
// for LOCKOUT_MS, doubling with each lockout up to LOCKOUT_MAX_MS (kept in RAM; a reboot resets it,
// and rebooting needs hands on the amp).
//
// The password: none is set on a new amp, and then nothing unlocks it. "set password <new>" sets
// the first one, accepted only within FIRST_SET_WINDOW_MS of power-on (the owner at the bench);
// (on a Bluetooth board, where the console is anyone in range, only after the owner's act: the
// knob's button held pushed at power-on, inputs/inputsUnit.ts);
// "set password <current>,<new>" changes it later (a wrong current one counts as a failed unlock).
// Only a 32-bit hash is kept, in the settings record (state.pwHash); the password itself is
// never stored or shown.
import { AmpState } from "../ampState";
import { ERR_RANGE, OK } from "../controls";
import { isAlnum } from "../textScan";

export const ERR_LOCKED = 10;
export const ERR_LOCKOUT = 11;
export const ERR_DENIED = 12;
export const ERR_NO_PASSWORD = 14;
/** Wrong passwords in a row before a lockout. */
const MAX_FAILS = 5;
const LOCKOUT_MS = 60000;
/** Lockouts double up to this (2^6 minutes is past it). */
const LOCKOUT_MAX_DOUBLINGS = 6;
const LOCKOUT_MAX_MS = 3600000;
export const FIRST_SET_WINDOW_MS = 60000;
const PASSWORD_MIN = 6;
const PASSWORD_MAX = 24;

/** 6-24 letters and digits. */
function isPassword(s: string): boolean {
  return s.length >= PASSWORD_MIN && s.length <= PASSWORD_MAX && isAlnum(s);
}

/** FNV-1a, 32 bits, multiplying by the prime 2^24 + 403 in two exact parts; never 0 (= none). */
export function passwordHash(pw: string): number {
  const FNV_OFFSET = 2166136261;
  let h = FNV_OFFSET;
  for (let i = 0; i < pw.length; i++) {
    h = (h ^ pw.charCodeAt(i)) >>> 0;
    h = ((h << 24) + h * 403) >>> 0;
  }
  return h || 1;
}

export interface Unlock {
  /** OK (the REPL now has the console) or ERR_LOCKOUT / ERR_NO_PASSWORD / ERR_DENIED. */
  tryUnlock(password: string, nowMs: number): number;
  /** "<new>" or "<current>,<new>"; OK or an ERR_* code (nothing changed). */
  changePassword(value: string, nowMs: number): number;
}

/** The lockout's count, which outlives the Unlock made for each console line. */
export interface UnlockGuard {
  fails: number;
  lockouts: number;
  lockedUntilMs: number;
}

export function newUnlockGuard(): UnlockGuard {
  return { fails: 0, lockouts: 0, lockedUntilMs: 0 };
}

/** attachRepl hands the console to the JavaScript REPL (hal ConsolePort.attachRepl). Made for
 *  each console line (a few tens of JsVars free in between); g keeps the lockout's count. */
export function createUnlock(state: AmpState, attachRepl: () => void, ownerFirst: boolean, g: UnlockGuard): Unlock {
  function check(password: string, nowMs: number): number {
    if (nowMs < g.lockedUntilMs) return ERR_LOCKOUT;
    if (!state.pwHash) return ERR_NO_PASSWORD;
    if (passwordHash(password) === state.pwHash) {
      g.fails = 0;
      g.lockouts = 0;
      return OK;
    }
    if (++g.fails >= MAX_FAILS) {
      const ms = LOCKOUT_MS * (1 << (g.lockouts < LOCKOUT_MAX_DOUBLINGS ? g.lockouts : LOCKOUT_MAX_DOUBLINGS));
      g.lockedUntilMs = nowMs + (ms < LOCKOUT_MAX_MS ? ms : LOCKOUT_MAX_MS);
      g.lockouts++;
      g.fails = 0;
    }
    return ERR_DENIED;
  }

  return {
    tryUnlock: function (password, nowMs) {
      const r = check(password, nowMs);
      if (r === OK) attachRepl();
      return r;
    },
    changePassword: function (value, nowMs) {
      const comma = value.indexOf(",");
      const next = value.substring(comma + 1);
      let r = OK;
      if (comma < 0) r = state.pwHash || nowMs > FIRST_SET_WINDOW_MS || (ownerFirst && !(nowMs < state.ownerUntilMs)) ? ERR_LOCKED : OK;
      else if (isPassword(next)) r = check(value.substring(0, comma), nowMs);
      if (r === OK && !isPassword(next)) r = ERR_RANGE;
      if (r === OK) state.pwHash = passwordHash(next);
      return r;
    },
  };
}
