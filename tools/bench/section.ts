// A bench section: runs on the built bundles in the simulated amp, returns a printable table and
// the JSON that goes under its name in bench/results.json.
export interface BenchContext {
  root: string;
  /** Fewer seeds/cases, for a smoke run. */
  quick: boolean;
  progress(done: number, total: number, what: string): void;
}

export interface BenchSection {
  name: string;
  run(ctx: BenchContext): Promise<{ table: string; json: unknown }>;
}

/** A plain-text table with aligned columns (the first row is the header). */
export function formatTable(rows: (string | number)[][]): string {
  const cells = rows.map((r) => r.map((c) => String(c)));
  const widths = cells[0].map((_, i) => Math.max(...cells.map((r) => (r[i] || "").length)));
  const line = (r: string[]) => "| " + r.map((c, i) => c.padEnd(widths[i])).join(" | ") + " |";
  return [line(cells[0]), "|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|", ...cells.slice(1).map(line)].join("\n");
}

export function median(xs: number[]): number {
  if (!xs.length) return NaN;
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
