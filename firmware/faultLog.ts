// The fault log: the last MAX_ENTRIES faults (code, time since boot, two values) in one flash
// file, one "code,seconds,a,b" line each, oldest first. A fault is queued in RAM at once and
// written later from the tick, only while power is OK (never during AC loss or rail sag, when a
// write could be cut), at most once per FLUSH_MIN_INTERVAL_MS (flash wears). Storage writes are
// not atomic: a cut write leaves a truncated or empty file, and reading keeps only whole lines.
// The first write of each boot puts a boot marker (code 0) before the new entries. A fault back
// straight after a clear (protection.ts) is not a new entry: it counts on the newest one, written
// as a fifth field ("code,seconds,a,b,times").
import { Storage } from "../hal/hal";
import { AmpState } from "./ampState";
import { faultCodeName } from "./faults";
import { isDigits, parseDecimal } from "./textScan";

export const FAULT_LOG_FILE = "faultlog";
/** Bounded: ~16 lines of ~20 characters, a few hundred bytes of flash. */
export const MAX_ENTRIES = 16;
/** Faults waiting for a write; beyond this new ones are dropped (the first is the root cause). */
const PENDING_MAX = 8;
/** A burst (one edge per comparator, a fault and its upgrade) goes into one write: wait this long
 *  after the oldest waiting entry. */
const FLUSH_DELAY_MS = 300;
const FLUSH_MIN_INTERVAL_MS = 10000;

export interface FaultLog {
  /** Queue one entry (no allocation; a/b are rounded when written), or (repeat) count one more
   *  time on the newest entry. */
  record(code: number, tMs: number, a: number, b: number, repeat?: boolean): void;
  /** Called every tick: writes the queue when allowed. */
  flush(nowMs: number): void;
  /** Entries queued for the next write. */
  waiting(): number;
  /** Stored and waiting entries, oldest first: "dc-step@1.250:2,1012 oc-left@9.100:1,0*4 ..." (*n: it came back n times). */
  text(): string;
}

/** The log in storage; entries are written only while state.powerOk. */
export function startFaultLog(storage: Storage, state: AmpState): FaultLog {
  /** Waiting entries, oldest first, four numbers each: code, time, a, b. */
  const queue = new Float64Array(4 * PENDING_MAX);
  let count = 0;
  let oldestMs = 0;
  let lastWriteMs = -FLUSH_MIN_INTERVAL_MS;
  let markerWritten = false;
  let again = 0; // repeats not yet written, counted on the newest entry (of code newest)
  let newest = -1;

  function record(code: number, tMs: number, a: number, b: number, repeat?: boolean) {
    if (repeat && code === newest) {
      if (!count && !again) oldestMs = tMs;
      again++;
      return;
    }
    if (count === PENDING_MAX) return;
    newest = code;
    if (!count) oldestMs = tMs;
    const k = 4 * count++;
    queue[k] = code;
    queue[k + 1] = tMs;
    queue[k + 2] = a;
    queue[k + 3] = b;
  }

  /** The whole lines on flash, then (marker) this boot's marker, then the waiting entries. */
  function lines(marker: boolean): string[] {
    const parts = (storage.read(FAULT_LOG_FILE) || "").split("\n");
    const out: string[] = [];
    let i: number;
    for (i = 0; i < parts.length; i++) if (isWholeLine(parts[i])) out.push(parts[i]);
    if (marker) out.push("0,0.000,0,0");
    for (i = 0; i < 4 * count; i += 4) out.push(queue[i] + "," + (queue[i + 1] / 1000).toFixed(3) + "," + Math.round(queue[i + 2]) + "," + Math.round(queue[i + 3]));
    i = out.length - 1;
    if (again && i >= 0) {
      const f = out[i].split(",");
      out[i] = f.slice(0, 4).join(",") + "," + ((f.length > 4 ? +f[4] : 1) + again);
    }
    return out;
  }

  /** Entries waiting and power on: written once they are old enough and the last write is. */
  function write(nowMs: number) {
    if (nowMs - oldestMs < FLUSH_DELAY_MS || nowMs - lastWriteMs < FLUSH_MIN_INTERVAL_MS) return;
    const all = lines(!markerWritten);
    lastWriteMs = nowMs;
    if (!storage.write(FAULT_LOG_FILE, all.slice(-MAX_ENTRIES).join("\n") + "\n")) return; // retried later
    markerWritten = true;
    count = again = 0;
  }

  return {
    record: record,
    flush: function (nowMs) {
      if ((count || again) && state.powerOk) write(nowMs);
    },
    waiting: function () {
      return count + (again ? 1 : 0);
    },
    text: function () {
      const all = lines(false);
      let s = "";
      for (let i = 0; i < all.length; i++) {
        const f = all[i].split(",");
        s += (s ? " " : "") + faultCodeName(+f[0]) + "@" + f[1] + ":" + f[2] + "," + f[3] + (f.length > 4 ? "*" + f[4] : "");
      }
      return s || "empty";
    },
  };
}

/** An entry as flush writes it: code,seconds,a,b (code digits, seconds a decimal, a and b integers). */
function isWholeLine(line: string): boolean {
  const f = line.split(",");
  return (f.length === 4 || (f.length === 5 && isDigits(f[4], 0, f[4].length))) && isDigits(f[0], 0, f[0].length) && parseDecimal(f[1], false, 10, 3) >= 0 && isInteger(f[2]) && isInteger(f[3]);
}

function isInteger(s: string): boolean {
  return isDigits(s, s.charAt(0) === "-" ? 1 : 0, s.length);
}
