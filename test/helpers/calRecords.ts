// Calibration records the volume tables accept (position.ts validRecord): version 1, 21 knots a
// deck (every 5 % of travel), deviations within DEV_LIMIT_DB. Tests that store a calibration
// build it here, so a record never passes only because the settings unit did not look inside.
import { CalRecord } from "../../firmware/settings/settingsUnit";
import { DEV_KNOTS } from "../../firmware/volume/position";

/** Deviations growing linearly from 0 at the bottom to `topDb` at the top, per deck. */
export function calRecord(deck5TopDb: number, deck6TopDb: number): CalRecord {
  const ramp = (top: number) => Array.from({ length: DEV_KNOTS }, (_, i) => Math.round(((top * i) / (DEV_KNOTS - 1)) * 1e4) / 1e4 || 0); // (no -0: JSON writes it as 0)
  return { v: 1, deck5: ramp(deck5TopDb), deck6: ramp(deck6TopDb) };
}
