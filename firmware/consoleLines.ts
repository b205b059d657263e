// Assembles console chunks into lines, bounded whatever arrives:
// - a line longer than MAX_LINE is dropped whole and reported once (ERR_TOO_LONG);
// - a flood is cut: more than LINES_BURST lines faster than LINES_PER_S are dropped, reported
//   once per flood (ERR_FLOOD), so replies cannot pile up in the output buffer;
// - a line not finished PARTIAL_TIMEOUT_MS after its first character is forgotten, however its
//   bytes trickle in (a client that went away mid-line does not prefix the next client's command,
//   and a byte every few seconds cannot hold a line open for ever);
// - backspace / DEL edit the line (people type on a terminal).
// Memory held: one string of at most MAX_LINE characters.
export const MAX_LINE = 80;
export const ERR_TOO_LONG = 1;
export const ERR_FLOOD = 13;
const LINES_PER_S = 20;
const LINES_BURST = 20;
export const PARTIAL_TIMEOUT_MS = 10000;

export interface LineAssembler {
  push(chunk: string): void;
  /** Characters held for the line in progress (tests: bounded). */
  held(): number;
}

/**
 * onLine(line) for each complete non-empty line; onLine(null, code) once for each line too long
 * (ERR_TOO_LONG) and once per flood (ERR_FLOOD). Without nowMs there is no flood limit and no
 * partial-line timeout.
 */
export function startLineAssembler(onLine: (line: string | null, code?: number) => void, nowMs?: () => number): LineAssembler {
  let buf = "";
  let overflow = false;
  let tokens = LINES_BURST;
  let lastMs = 0;
  let lineMs = 0; // when the line in progress got its first character
  let flooding = false;

  /** A line may pass: refill the bucket for the time since the last chunk, take one token. */
  function admit(): boolean {
    if (!nowMs) return true;
    if (tokens >= 1) {
      tokens--;
      flooding = false;
      return true;
    }
    if (!flooding) onLine(null, ERR_FLOOD);
    flooding = true;
    return false;
  }

  /** Characters of the line in progress (no line end among them); the rest of an over-long line
   *  is ignored. */
  function add(part: string, t: number) {
    if (!part.length || overflow) return;
    if (!buf.length) lineMs = t;
    if (part.indexOf("\b") < 0 && part.indexOf("\x7f") < 0) {
      if (buf.length + part.length <= MAX_LINE) buf += part;
      else {
        overflow = true;
        buf = "";
      }
      return;
    }
    for (let i = 0; i < part.length && !overflow; i++) {
      const c = part.charAt(i);
      if (!buf.length) lineMs = t;
      if (c === "\b" || c === "\x7f") buf = buf.slice(0, -1);
      else if (buf.length < MAX_LINE) buf += c;
      else {
        overflow = true;
        buf = "";
      }
    }
  }

  return {
    push: function (chunk: string) {
      let t = 0;
      if (nowMs) {
        t = nowMs();
        if ((buf.length || overflow) && t - lineMs > PARTIAL_TIMEOUT_MS) {
          buf = "";
          overflow = false;
        }
        tokens += ((t - lastMs) * LINES_PER_S) / 1000;
        if (tokens > LINES_BURST) tokens = LINES_BURST;
        lastMs = t;
      }
      // a line at a time, found by the interpreter's own searches (a JavaScript loop over the
      // characters cost ~130 tokens a character on a Pico, ~20 ms for a short command)
      let at = 0;
      for (;;) {
        let end = chunk.indexOf("\n", at);
        const cr = chunk.indexOf("\r", at);
        if (cr >= 0 && (end < 0 || cr < end)) end = cr;
        add(end < 0 ? chunk.substring(at) : chunk.substring(at, end), t);
        if (end < 0) return;
        if (overflow) {
          if (admit()) onLine(null, ERR_TOO_LONG);
        } else if (buf.length && admit()) onLine(buf);
        buf = "";
        overflow = false;
        at = end + 1;
      }
    },
    held: function () {
      return buf.length;
    },
  };
}
