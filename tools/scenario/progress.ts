// A progress indication for host tools that may run longer than a couple of seconds (scenario
// runs, the bench, a calibration sweep). Nothing is shown for work that finishes quickly; after
// SHOW_AFTER_MS a bar is drawn in place on a terminal, or a plain line every few seconds when the
// output is a file or a pipe (CI logs). It writes to stderr so stdout stays clean for data.

/** Work shorter than this shows no progress at all. */
export const SHOW_AFTER_MS = 1500;
/** Redraw the bar at most this often on a terminal, ms. */
const TTY_REDRAW_MS = 100;
/** Print a line at most this often when not on a terminal, ms. */
const PLAIN_EVERY_MS = 5000;
const BAR_WIDTH = 30;

export interface Progress {
  /** fraction 0..1 of the work done; note is a short text shown after the bar. */
  update(fraction: number, note?: string): void;
  /** Clears the bar (on a terminal) and prints the final line if given. */
  done(finalLine?: string): void;
}

export interface ProgressOptions {
  stream?: NodeJS.WriteStream | { write(s: string): boolean; isTTY?: boolean };
  /** For tests: the clock, ms. */
  now?: () => number;
  showAfterMs?: number;
}

export function startProgress(label: string, o: ProgressOptions = {}): Progress {
  const out = o.stream || process.stderr;
  const tty = !!(out as { isTTY?: boolean }).isTTY;
  const now = o.now || Date.now;
  const showAfter = o.showAfterMs ?? SHOW_AFTER_MS;
  const t0 = now();
  let lastDraw = -Infinity;
  let drawn = false;

  function line(fraction: number, note?: string): string {
    const f = Math.max(0, Math.min(1, fraction));
    const elapsed = (now() - t0) / 1000;
    const eta = f > 0.02 ? (elapsed / f) * (1 - f) : NaN;
    const pct = (f * 100).toFixed(0).padStart(3) + " %";
    const time = `${elapsed.toFixed(1)} s` + (eta === eta ? `, ~${eta.toFixed(0)} s left` : "");
    if (!tty) return `${label}: ${pct} (${time})${note ? " " + note : ""}`;
    const full = Math.round(f * BAR_WIDTH);
    return `${label} [${"#".repeat(full)}${"-".repeat(BAR_WIDTH - full)}] ${pct} ${time}${note ? "  " + note : ""}`;
  }

  return {
    update(fraction, note) {
      const t = now();
      if (t - t0 < showAfter) return;
      if (t - lastDraw < (tty ? TTY_REDRAW_MS : PLAIN_EVERY_MS)) return;
      lastDraw = t;
      drawn = true;
      out.write(tty ? "\r\x1b[2K" + line(fraction, note) : line(fraction, note) + "\n");
    },
    done(finalLine) {
      if (drawn && tty) out.write("\r\x1b[2K");
      if (finalLine) out.write(finalLine + "\n");
    },
  };
}
