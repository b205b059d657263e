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
/** The output is open and the level the listener would hear on it (pot + gain + offset) is above
 *  what they may hear: the start-up cap until the pot has first come to rest after power-on (or a
 *  level is asked for), and the output's cap and the maximum always. The output connects only below it (issue 10). */
export const MUTE_LEVEL = 512;

/** Bit i's name is word i. Name lists are kept as one string each and split only when a bit is
 *  set (an array of strings costs ~2-3 JsVars a name for as long as the firmware runs). */
export const MUTE_NAMES = "power-on rail dc over-current thermal user switching no-output fault level";

/** The names of the set bits joined by "+" ("power-on+dc"), bit i named by word i of names;
 *  "none" when no bit is set. Mute reasons and fault sets both print this way. */
export function bitNames(bits: number, names: string): string {
  if (!bits) return "none";
  const w = names.split(" ");
  let s = "";
  for (let i = 0; i < w.length; i++) if (bits & (1 << i)) s += (s ? "+" : "") + w[i];
  return s || "none";
}
