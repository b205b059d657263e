// Levels as replies and the status line show them.

/** "-30", "-37.5"; "none" for NaN. */
export function fmtDb(db: number): string {
  return db === db ? String(Math.round(db * 100) / 100) : "none";
}
