// The fault log: the last MAX_ENTRIES faults (code, time since boot, two values) in one flash
// file, one "code,seconds,a,b" line each, oldest first. A fault is queued in RAM at once and
// written later from the tick, only while power is OK (never during AC loss or rail sag, when a
// write could be cut), at most once per FLUSH_MIN_INTERVAL_MS (flash wears). Storage writes are
// not atomic: a cut write leaves a truncated or empty file, and reading keeps only whole lines.
// The first write of each boot puts a boot marker (code 0) before the new entries.
import { Storage } from "../hal/hal";
import { AmpState } from "./ampState";
import { faultCodeName, faultNames } from "./faults";

export const FAULT_LOG_FILE = "faultlog";
/** Bounded: ~16 lines of ~20 characters, a few hundred bytes of flash. */
export const MAX_ENTRIES = 16;
/** Faults waiting for a write; beyond this new ones are dropped (the first is the root cause). */
const PENDING_MAX = 8;
/** A burst (one edge per comparator, a fault and its upgrade) goes into one write: wait this long
 *  after the oldest waiting entry. */
const FLUSH_DELAY_MS = 300;
const FLUSH_MIN_INTERVAL_MS = 10000;
const LINE = /^\d+,\d+(\.\d+)?,-?\d+,-?\d+$/;

export interface FaultLog {
  /** Queue one entry (no allocation; a/b are rounded when written). */
  record(code: number, tMs: number, a: number, b: number): void;
  /** Called every tick: writes the queue when allowed. */
  flush(nowMs: number): void;
  pending(): number;
  /** Stored and waiting entries, oldest first: "dc-step@1.250:2,1012 ...". */
  text(): string;
}

export function startFaultLog(o: { storage: Storage; state: AmpState }): FaultLog {
  const codes = [0, 0, 0, 0, 0, 0, 0, 0];
  const times = [0, 0, 0, 0, 0, 0, 0, 0];
  const as = [0, 0, 0, 0, 0, 0, 0, 0];
  const bs = [0, 0, 0, 0, 0, 0, 0, 0];
  let head = 0; // oldest waiting entry
  let count = 0;
  let oldestMs = 0;
  let lastWriteMs = -FLUSH_MIN_INTERVAL_MS;
  let markerWritten = false;

  function record(code: number, tMs: number, a: number, b: number) {
    if (count === PENDING_MAX) return;
    if (!count) oldestMs = tMs;
    const k = (head + count) % PENDING_MAX;
    codes[k] = code;
    times[k] = tMs;
    as[k] = a;
    bs[k] = b;
    count++;
  }

  function line(k: number): string {
    return codes[k] + "," + (times[k] / 1000).toFixed(3) + "," + Math.round(as[k]) + "," + Math.round(bs[k]);
  }

  function stored(): string[] {
    const text = o.storage.read(FAULT_LOG_FILE) || "";
    const parts = text.split("\n");
    const kept: string[] = [];
    for (let i = 0; i < parts.length; i++) if (LINE.test(parts[i])) kept.push(parts[i]);
    return kept;
  }

  function waiting(): string[] {
    const lines: string[] = [];
    for (let i = 0; i < count; i++) lines.push(line((head + i) % PENDING_MAX));
    return lines;
  }

  function flush(nowMs: number) {
    if (!count || !o.state.powerOk) return;
    if (nowMs - oldestMs < FLUSH_DELAY_MS || nowMs - lastWriteMs < FLUSH_MIN_INTERVAL_MS) return;
    const lines = stored();
    if (!markerWritten) lines.push("0,0.000,0,0");
    const fresh = waiting();
    for (let i = 0; i < fresh.length; i++) lines.push(fresh[i]);
    const from = lines.length > MAX_ENTRIES ? lines.length - MAX_ENTRIES : 0;
    lastWriteMs = nowMs;
    if (!o.storage.write(FAULT_LOG_FILE, lines.slice(from).join("\n") + "\n")) return; // retried later
    markerWritten = true;
    head = 0;
    count = 0;
  }

  function text(): string {
    const lines = stored();
    const fresh = waiting();
    let s = "";
    for (let i = 0; i < lines.length + fresh.length; i++) {
      const f = (i < lines.length ? lines[i] : fresh[i - lines.length]).split(",");
      s += (s ? " " : "") + faultCodeName(+f[0]) + "@" + f[1] + ":" + f[2] + "," + f[3];
    }
    return s || "empty";
  }

  return {
    record: record,
    flush: flush,
    pending: function () {
      return count;
    },
    text: text,
  };
}

/** The console's "faults" reply: "FAULTS active=<names> log=<entries>". */
export function faultsReport(faults: number, log: FaultLog): string {
  return "FAULTS active=" + faultNames(faults) + " log=" + log.text();
}
