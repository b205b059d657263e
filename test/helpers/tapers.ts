// Pots at the loud end of the 15A catalogue, for calibration tests: the straight two-segment
// line, `half` of the ratio at half travel and linear in ratio on either side (0.12..0.18 is the
// definition's ±20 %; the nominal curve in hal/sim/decks.ts is the quiet end).
export function twoSegmentRatio(x: number, half: number): number {
  return x < 0.5 ? 2 * half * x : half + (1 - half) * 2 * (x - 0.5);
}
