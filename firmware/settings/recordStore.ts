// One record kept in two alternating Storage files, so that a power cut at any moment of a write
// leaves the other copy intact (Espruino Storage erases the old file, then appends the new one).
//
// A copy on flash is one line: "<tag><version> <sequence> <payload> <checksum>", the checksum
// taken over everything before its space. The payload has no spaces. A copy is valid when it
// parses and its checksum matches; a truncated or half-erased copy never does (its last field is
// cut or reads 0xFF). Load takes the valid copy with the highest sequence that the caller accepts
// (version and content), else the other one. Save always writes the slot NOT holding the copy in
// use, with the next sequence, and reads it back.
import { Storage } from "../../hal/hal";
import { isDigits } from "../textScan";
import { checksum } from "./checksum";

export interface StoredRecord {
  ver: number;
  seq: number;
  payload: string;
}

/** Where load() found the record it returned. */
export const FROM_NONE = 0;
export const FROM_NEWEST = 1;
export const FROM_OLDER = 2;

export interface RecordStore {
  /** The newest valid copy that accept() takes, else the older valid one; null when neither. */
  load(accept: (r: StoredRecord) => boolean): StoredRecord | null;
  /** Writes a new copy over the one not in use; false when the write failed (the old copy stays).
   *  poll: the DC fast path, looked at while the copy is framed. */
  save(ver: number, payload: string, poll?: () => void): boolean;
  /** FROM_* of the last load. */
  loadedFrom: number;
  /** Copies present on flash that the last load had to ignore (damaged, unknown version, bad content). */
  bad: number;
  /** Highest sequence seen or written. */
  seq: number;
}

export function frameRecord(tag: string, ver: number, seq: number, payload: string, poll?: () => void): string {
  const body = tag + ver + " " + seq + " " + payload;
  return body + " " + checksum(body, poll);
}

/** The record in a file's text, or null when it is not an intact copy of a `tag` record. */
export function unframeRecord(tag: string, text: string | undefined): StoredRecord | null {
  // "<tag><version> <sequence> <payload> <checksum>": four space-separated fields, none empty but
  // the payload; version 1-3 digits, sequence 1-9 digits, checksum over all before its space.
  if (typeof text !== "string") return null;
  const f = text.split(" ");
  if (f.length !== 4 || f[0].charAt(0) !== tag) return null;
  const head = f[0];
  if (head.length < 2 || head.length > 4 || !isDigits(head, 1, head.length)) return null;
  if (f[1].length > 9 || !isDigits(f[1], 0, f[1].length)) return null;
  const sum = f[3];
  if (sum !== String(checksum(text.substring(0, text.length - sum.length - 1)))) return null;
  return { ver: +head.substring(1), seq: +f[1], payload: f[2] };
}

/** Sequences are 1-9 digits and count round: after 999,999,999 comes 0. Of two copies (their
 *  sequences one apart, or equal after a failed write) the newer is the one up to half the
 *  circle ahead. */
const SEQ_MOD = 1e9;
function newer(a: number, b: number): boolean {
  const d = (a - b + SEQ_MOD) % SEQ_MOD;
  return d > 0 && d < SEQ_MOD / 2;
}

export function startRecordStore(storage: Storage, tag: string, names: string[]): RecordStore {
  /** Slot of the copy in use (loaded or last written); -1 = none. */
  let slot = -1;

  const store: RecordStore = {
    loadedFrom: FROM_NONE,
    bad: 0,
    seq: 0,
    load: function (accept) {
      const recs: (StoredRecord | null)[] = [];
      let k: number;
      store.bad = 0;
      store.loadedFrom = FROM_NONE;
      slot = -1;
      for (k = 0; k < 2; k++) {
        const text = storage.read(names[k]);
        const r = (recs[k] = unframeRecord(tag, text));
        if (!r && text !== undefined) store.bad++;
      }
      let first = recs[1] && !(recs[0] && !newer(recs[1]!.seq, recs[0].seq)) ? 1 : 0;
      if (recs[first]) store.seq = recs[first]!.seq; // the newest intact copy's, whatever is accepted
      for (k = 0; k < 2; k++) {
        const r = recs[first];
        if (r) {
          if (accept(r)) {
            slot = first;
            store.loadedFrom = k + 1;
            return r;
          }
          store.bad++;
        }
        first = 1 - first;
      }
      return null;
    },
    save: function (ver, payload, poll) {
      const i = slot === 0 ? 1 : 0;
      const seq = (store.seq + 1) % SEQ_MOD;
      const text = frameRecord(tag, ver, seq, payload, poll);
      if (!storage.write(names[i], text) || storage.read(names[i]) !== text) return false;
      slot = i;
      store.seq = seq;
      return true;
    },
  };
  return store;
}
