// Every remembered setting as a key with a text value: the console's "set/get <key>" and the
// stored settings record use the same table, so a stored value passes exactly the checks a typed
// one does. A value is checked whole before anything changes.
//
// Keys in record order (the record stores the values in this order; version 1 stored the first
// seven). Levels are as the listener hears them (pot + gain + output offset), dB, except vol.*:
//   out gain vol.<output>x4             stored only (the out/gain/vol commands change them); the
//                                       selected output's volume is the target in force (or the
//                                       level a mute-to-level will restore), the others the
//                                       outputs unit's per-output memory
//   step         1 | 0.5 | 2            dB per knob detent / remote press
//   maxvol       -60..24 | none         maximum level
//   startcap     -60..24                the start-up level is never above this
//   mutelevel    -80..0 | hard          mute turns down to this level, or opens the output relay
//   jackselect   on | off               inserting a plug selects its output
//   ab           <output>,<output>      the two outputs level-matched A/B toggles between
//   gainstaging  on | off               tracking-aware gain staging
//   cap.<output> -60..24                cap on that output
//   pw                                  stored only: the unlock password's hash
// (Mute itself is not remembered: every power-on starts unmuted, at the start-up cap.)
import { OUTPUT_NAMES } from "../../boards/board";
import { AmpState, outputIndex, VOLUME_NO_LIMIT_DB } from "../ampState";
import { fmtDb } from "../console/numbers";
import { parseDecimal, word } from "../textScan";
import { ERR_RANGE, OK } from "../controls";

export const ERR_ARGS = 7;
export const ERR_KEY = 9;
/** (= the console's "not allowed", unlock.ts ERR_LOCKED) */
export const ERR_NOT_ALLOWED = 10;
/** Kinds: a number in [a, b] (or the word for the value c); one of three numbers; on/off; an
 *  output name; two different output names "x,y". */
const NUM = 0;
const CHOICE = 1;
const FLAG = 2;
const OUT = 3;
const PAIR = 4;
/** The table, one column per string or typed array (as an array of mixed fields it held ~210
 *  JsVars; this way ~80): key names and state properties are words, split when looked up. */
const NAMES = "out gain vol.bal44 vol.bal35 vol.xlr vol.se63 step maxvol startcap mutelevel jackselect ab gainstaging cap.bal44 cap.bal35 cap.xlr cap.se63 pw";
const PROPS = "out gainDb outVolDb outVolDb outVolDb outVolDb step maxDb bootCapDb muteDb jackSelect ab gainStaging capDb capDb capDb capDb pwHash";
/** Per key: the element of an array property (-1: the property itself), and the kind. */
const EL = new Int8Array([-1, -1, 0, 1, 2, 3, -1, -1, -1, -1, -1, -1, -1, 0, 1, 2, 3, -1]);
const KIND = new Int8Array([OUT, CHOICE, NUM, NUM, NUM, NUM, CHOICE, NUM, NUM, NUM, FLAG, PAIR, FLAG, NUM, NUM, NUM, NUM, NUM]);
/** Per key: a, b, c (three numbers per key). */
const ABC = new Float64Array([
  0, 0, 0, 0, 9, 18,
  -99, 0, 0, -99, 0, 0, -99, 0, 0, -99, 0, 0,
  1, 0.5, 2, -60, 24, VOLUME_NO_LIMIT_DB, -60, 24, 0, -80, 0, NaN, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  -60, 24, 0, -60, 24, 0, -60, 24, 0, -60, 24, 0,
  0, 4294967295, 0,
]);
/** Per key: the word that means c ("" none), comma-separated. */
const WORDS = ",,,,,,,none,,hard,,,,,,,,";
export const KEY_COUNT = 18;
/** Keys the console may set and get: CONSOLE_FIRST..CONSOLE_END-1. */
export const CONSOLE_FIRST = 6;
export const CONSOLE_END = 17;
export const KEY_NAMES = "step maxvol startcap mutelevel jackselect ab gainstaging cap.<output>";

/** A strict decimal: optional sign, 1-10 digits, up to 2 decimals. No exponent, hex, spaces. NaN otherwise. */
export function parseNumber(s: string): number {
  return parseDecimal(s, true, 10, 2);
}

/** Index of a key in table order, -1 when unknown. */
export function keyIndex(name: string): number {
  const w = NAMES.split(" ");
  for (let i = 0; i < KEY_COUNT; i++) if (w[i] === name) return i;
  return -1;
}

type Fields = { [prop: string]: unknown };

function outName(x: unknown): string {
  return outputIndex(x) < 0 ? OUTPUT_NAMES[0] : (x as string);
}

function raw(f: Fields, i: number): unknown {
  const prop = PROPS.split(" ")[i]; // (the settings check's path: a native split, ~300 tokens less than word())
  const el = EL[i];
  if (el < 0) return f[prop];
  // The selected output's volume is the level in force (the outputs unit files it when leaving).
  if (prop === "outVolDb" && f.out === OUTPUT_NAMES[el]) return f.levelMute ? f.unmuteDb : f.targetDb;
  return (f[prop] as unknown[])[el];
}

/** Key i's value as text; always a value setKey accepts (out-of-range numbers are shown clamped). */
export function getKey(s: AmpState, i: number): string {
  const kind = KIND[i];
  const a = ABC[3 * i];
  const b = ABC[3 * i + 1];
  const c = ABC[3 * i + 2];
  const w = word(WORDS, i, ",");
  let v = raw(s as unknown as Fields, i) as number;
  if (kind === FLAG) return v ? "on" : "off";
  if (kind === OUT) return outName(v);
  if (kind === PAIR) {
    const x = outName((v as unknown as string[])[0]);
    const y = outName((v as unknown as string[])[1]);
    return x === y ? "bal44,se63" : x + "," + y; // a pair a unit left broken shows (and is stored as) the default
  }
  if (kind === CHOICE) return String(v === a || v === b || v === c ? v : a);
  if (w && (v === c || (v !== v && c !== c))) return w;
  if (!(v >= a)) v = a;
  return fmtDb(v < b ? v : b);
}

/** Sets key i from text: OK, or ERR_ARGS / ERR_RANGE / ERR_NOT_ALLOWED with nothing changed.
 *  lowerOnly: a limit (maxvol, startcap, a cap) may be lowered, not raised (the console without
 *  the owner's act: state.ownerUntilMs). */
export function setKey(s: AmpState, i: number, value: string, lowerOnly?: boolean): number {
  const f = s as unknown as Fields;
  const kind = KIND[i];
  const a = ABC[3 * i];
  const b = ABC[3 * i + 1];
  const c = ABC[3 * i + 2];
  const w = word(WORDS, i, ",");
  const prop = PROPS.split(" ")[i];
  let v: unknown = parseNumber(value);
  if (kind === FLAG) {
    if (value !== "on" && value !== "off") return ERR_ARGS;
    v = value === "on";
  } else if (kind === OUT) {
    if (outputIndex(value) < 0) return ERR_ARGS;
    v = value;
  } else if (kind === PAIR) {
    const comma = value.indexOf(",");
    const x = outputIndex(value.substring(0, comma));
    const y = outputIndex(value.substring(comma + 1));
    if (comma < 0 || x < 0 || y < 0) return ERR_ARGS;
    if (x === y) return ERR_RANGE;
    (f[prop] as string[])[0] = OUTPUT_NAMES[x];
    (f[prop] as string[])[1] = OUTPUT_NAMES[y];
    return OK;
  } else if (w && value === w) v = c;
  else if (v !== v) return ERR_ARGS;
  else if (kind === CHOICE ? v !== a && v !== b && v !== c : !((v as number) >= a && (v as number) <= b)) return ERR_RANGE;
  const limit = prop === "maxDb" || prop === "bootCapDb" || prop === "capDb";
  if (lowerOnly && limit && (v as number) > (raw(f, i) as number)) return ERR_NOT_ALLOWED;
  if (EL[i] < 0) f[prop] = v;
  else (f[prop] as unknown[])[EL[i]] = v;
  return OK;
}

/** Key i's state value as a primitive (for "ab" a number made of both outputs), for change checks. */
export function keyRaw(s: AmpState, i: number): unknown {
  const v = raw(s as unknown as Fields, i);
  return KIND[i] === PAIR ? outputIndex((v as string[])[0]) * 4 + outputIndex((v as string[])[1]) : v;
}
