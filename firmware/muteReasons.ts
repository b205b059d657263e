// Why the headphones are disconnected. Reasons are OR-ed; the output relay closes only at zero.
export const MUTE_POWER_ON = 1;
export const MUTE_RAIL = 2;
export const MUTE_DC = 4;
export const MUTE_OVER_CURRENT = 8;
export const MUTE_THERMAL = 16;
export const MUTE_USER = 32;
export const MUTE_SWITCHING = 64;
export const MUTE_NO_OUTPUT = 128;
export const MUTE_FAULT = 256;

const NAMES = ["power-on", "rail", "dc", "over-current", "thermal", "user", "switching", "no-output", "fault"];

/** "power-on+dc" for the status line; "none" when connected. */
export function muteReasonNames(reasons: number): string {
  let s = "";
  for (let i = 0; i < NAMES.length; i++) if (reasons & (1 << i)) s += (s ? "+" : "") + NAMES[i];
  return s || "none";
}
