// The one parser of the firmware's STATUS line (firmware/statusLine.ts writes it): for the tests,
// the simulator and the bench alike.

/** "STATUS k=v k=v ..." as a record of its fields (values kept as text). */
export function parseStatus(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of line.trim().split(/\s+/).slice(1)) {
    const eq = part.indexOf("=");
    if (eq > 0) out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}
