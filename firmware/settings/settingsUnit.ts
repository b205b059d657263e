// Settings and calibration in flash. Load at boot (before any other unit starts): the newest
// intact copy of each record, else the older one, else the board's defaults, and say which.
// Then, a few at a time (CHECK_EVERY_MS), compare the state's setting fields with what was
// seen last (primitives in a preallocated array: nothing allocated); write SAVE_DELAY_MS after the
// last change, only when the record differs from what is on flash, and never while state.powerOk
// is false (AC loss / rail sag: the write waits for power to come back).
//
// The settings record is the values of every key of keys.ts, in table order, joined by ";". Each
// value is loaded through setKey, the very check the console's "set" uses. Version 1 stored the
// first seven values; migration 1 -> 2 leaves the keys it lacks at the board's defaults.
//
// Calibration is a separate record (the volume unit decides its content; stored here as an opaque
// { v, deck5[], deck6[] } in JSON), saved by saveCalibration() at the next check with power OK.
import { Board, OUTPUT_NAMES } from "../../boards/board";
import { Storage } from "../../hal/hal";
import { AmpState, outputIndex } from "../ampState";
import { ERR_RANGE, OK } from "../controls";
import { CAL_VERSION, CalRecord, validRecord } from "../volume/position";
import { startTargetDb } from "../volume/volumeLimits";
import { getKey, KEY_COUNT, keyRaw, setKey } from "./keys";
import { checksum } from "./checksum";
import { startRecordStore, StoredRecord } from "./recordStore";

export const SETTINGS_VERSION = 2;
/** Values each version stores, index = version. */
const VALUES_OF_VERSION = [0, 7, KEY_COUNT];
/** Two alternating files per record (short names: old Espruino builds allow 8 characters). */
export const SETTINGS_FILES = ["amp.s0", "amp.s1"];
export const CAL_FILES = ["amp.c0", "amp.c1"];
export type { CalRecord };
/** The change check reads KEYS_PER_CHECK fields every CHECK_EVERY_MS while the amp is lively (a
 *  pass over all ~20 in about a second), every REST_CHECK_MS when it has been at rest a while
 *  (each check is ~800 tokens, ~10 ms of a Pico). */
const CHECK_EVERY_MS = 200;
const REST_CHECK_MS = 1000;
const KEYS_PER_CHECK = 4; // (half as many at rest: a check stays under ~5 ms, the DC scan's gap)
/** Wait this long after the last change: a knob turn or a run of remote presses is one write. */
export const SAVE_DELAY_MS = 3000;
/** How a record was loaded: recordStore's FROM_* (none, newest, older), then migrated. */
const FROM_NAMES = ["defaults", "newest", "older", "migrated"];


export interface SettingsUnit {
  /** Where the settings came from at boot: newest | older | migrated | defaults. */
  loadedFrom: string;
  /** "settings=<from> cal=<newest|older|none> bad=<damaged or unreadable copies ignored>". */
  report(): string;
  /** Called from the control tick. lively: the amp is switching, moving or being commanded, or was a moment ago.
   *  poll: the DC fast path, looked at between the parts of a save (~200 ms of a Pico in all). */
  tick(nowMs: number, lively: boolean, poll?: () => void): void;
  /** Keeps a calibration and writes it as soon as power allows; OK, or ERR_RANGE when malformed. */
  saveCalibration(cal: CalRecord): number;
  /** The calibration loaded at boot or saved since; null when there is none. */
  loadCalibration(): CalRecord | null;
}

function isNumbers(a: unknown): boolean {
  /** Most points a calibration table may have per deck. */
  const CAL_MAX_POINTS = 64;
  if (!Array.isArray(a) || a.length > CAL_MAX_POINTS) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== +a[i] || a[i] - a[i] !== 0) return false; // a finite number
  return true;
}

/** A copy of cal with only its three fields, or null when it is not a calibration the volume
 *  tables would use (position.ts validRecord: its version, 21 knots a deck, every deviation within
 *  what a pot of this type can have). A record that would be ignored is not kept, and not
 *  reported as loaded. */
export function checkCalibration(cal: unknown): CalRecord | null {
  const c = cal as CalRecord;
  if (!c || c.v !== +c.v || c.v - c.v !== 0 || !isNumbers(c.deck5) || !isNumbers(c.deck6)) return null;
  // only the record's own fields, the arrays shared (copies of them were the heaviest moment in
  // memory: the sweep's record, this one and its JSON at once; nothing writes into them)
  const copy = { v: c.v, deck5: c.deck5, deck6: c.deck6 };
  return validRecord(copy) ? copy : null;
}

/** The settings record's payload for the state. */
export function settingsPayload(s: AmpState, poll?: () => void): string {
  const v: string[] = [];
  for (let i = 0; i < KEY_COUNT; i++) {
    v.push(getKey(s, i));
    if (poll) poll();
  }
  return v.join(";");
}

/** Applies a stored payload of version ver; false when the version is unknown or a value is bad
 *  (values before the bad one are then already applied). */
export function applySettings(s: AmpState, ver: number, payload: string): boolean {
  const v = payload.split(";");
  if (v.length !== VALUES_OF_VERSION[ver]) return false;
  for (let i = 0; i < v.length; i++) if (setKey(s, i, v[i]) !== OK) return false;
  return true;
}

function parseCal(r: StoredRecord): CalRecord | null {
  try {
    return r.ver === CAL_VERSION ? checkCalibration(JSON.parse(r.payload)) : null;
  } catch (e) {
    return null;
  }
}

export function startSettings(storage: Storage, state: AmpState, board: Board): SettingsUnit {
  const seen: unknown[] = [];
  const sets = startRecordStore(storage, "S", SETTINGS_FILES);
  const cals = startRecordStore(storage, "C", CAL_FILES);
  let cal: CalRecord | null = null;
  let calText: string | null = null;
  let changedMs = 0;
  let nextCheckMs = 0;
  let lastCheckMs = 0;
  let nextKey = 0;
  let dirty = false;
  let i: number;

  // ---- load: board defaults, then the newest record that loads whole ----
  const vol = board.volume;
  state.out = board.outputs.defaultOutput;
  state.step = vol.stepDb;
  state.bootCapDb = vol.startCapDb;
  state.gainStaging = vol.gainStaging;
  for (i = 0; i < 4; i++) state.capDb[i] = board.outputs.capDb[OUTPUT_NAMES[i]];
  const from = load();

  /** Where the settings came from (FROM_NAMES). A function of its own: the defaults' text and
   *  the records read are its locals, dropped once boot is over (~50 JsVars kept otherwise). */
  function load(): number {
    const defaults = settingsPayload(state);
    const rec = sets.load(function (r) {
      if (applySettings(state, r.ver, r.payload)) return true;
      applySettings(state, SETTINGS_VERSION, defaults); // undo what a bad record half applied
      return false;
    });
    const calRec = cals.load(function (r) {
      return parseCal(r) !== null;
    });
    if (calRec) cal = parseCal(calRec);
    return rec && rec.ver < SETTINGS_VERSION ? FROM_NAMES.length - 1 : sets.loadedFrom;
  }

  // ---- start-up volume: the remembered level, never above the start-up cap as heard ----
  // the output's remembered volume, capped at the start-up level (and what remembers it too)
  const mem = state.outVolDb;
  const out = outputIndex(state.out);
  state.targetDb = mem[out] = startTargetDb(state, board, mem[out]);

  // What is on flash (or the defaults), by its checksum (a number, not ~17 JsVars of text): only
  // a record that differs from it is written.
  let savedSum = checksum(settingsPayload(state));
  for (i = 0; i < KEY_COUNT; i++) seen[i] = keyRaw(state, i);

  function check(nowMs: number, lively: boolean, poll?: () => void) {
    lastCheckMs = nowMs;
    nextCheckMs = nowMs + (lively ? CHECK_EVERY_MS : REST_CHECK_MS);
    // a few keys per check, round the table: a whole pass is ~2,000 tokens on the interpreter
    for (let i = lively ? 0 : KEYS_PER_CHECK / 2; i < KEYS_PER_CHECK; i++) {
      const k = nextKey;
      nextKey = k + 1 < KEY_COUNT ? k + 1 : 0;
      const v = keyRaw(state, k);
      if (v !== seen[k] && (v === v || seen[k] === seen[k])) {
        seen[k] = v;
        changedMs = nowMs;
        dirty = true;
      }
      if (poll) poll(); // (a key's look is a few ms of a Pico)
    }
    if (!state.powerOk) return;
    if (calText !== null) {
      if (cals.save(CAL_VERSION, calText, poll)) calText = null;
      else nextCheckMs = lastCheckMs = nowMs + SAVE_DELAY_MS;
    }
    if (dirty && nowMs - changedMs >= SAVE_DELAY_MS) {
      const text = settingsPayload(state, poll);
      const sum = checksum(text, poll);
      if (sum === savedSum || sets.save(SETTINGS_VERSION, text, poll)) {
        savedSum = sum;
        dirty = false;
      } else changedMs = nowMs; // failed (flash full or power gone): try again after a delay
    }
  }

  return {
    loadedFrom: FROM_NAMES[from],
    report: function () {
      return "settings=" + FROM_NAMES[from] + " cal=" + (cal ? FROM_NAMES[cals.loadedFrom] : "none") + " bad=" + (sets.bad + cals.bad);
    },
    tick: function (nowMs, lively, poll) {
      // (the check is a function of its own: the interpreter lexes a whole body, returned or not)
      if (nowMs >= nextCheckMs || (lively && nowMs >= lastCheckMs + CHECK_EVERY_MS)) check(nowMs, lively, poll);
    },
    saveCalibration: function (c) {
      const checked = checkCalibration(c);
      if (!checked) return ERR_RANGE;
      cal = checked;
      calText = JSON.stringify(checked);
      return OK;
    },
    loadCalibration: function () {
      return cal;
    },
  };
}
