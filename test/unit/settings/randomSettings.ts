// Seeded random settings for the power-cut campaigns: a valid value for every key, as the console
// would type it (console keys) or a unit would leave it (stored-only keys).
import { Rng } from "../../../hal/sim/rng";

const OUTS = ["bal44", "bal35", "xlr", "se63"];

function level(rng: Rng, lo: number, hi: number): string {
  return String(Math.round(rng.uniform(lo, hi) * 2) / 2);
}

function pair(rng: Rng): string {
  const a = rng.int(4);
  return OUTS[a] + "," + OUTS[(a + 1 + rng.int(3)) % 4];
}

/** [key, value] for every key the console can set. */
export function randomConsoleSettings(rng: Rng): [string, string][] {
  const onOff = () => (rng.chance(0.5) ? "on" : "off");
  const out: [string, string][] = [
    ["step", ["0.5", "1", "2"][rng.int(3)]],
    ["maxvol", rng.chance(0.3) ? "none" : level(rng, -60, 24)],
    ["startcap", level(rng, -60, 24)],
    ["mutelevel", rng.chance(0.3) ? "hard" : level(rng, -80, 0)],
    ["jackselect", onOff()],
    ["ab", pair(rng)],
    ["gainstaging", onOff()],
  ];
  for (const o of OUTS) out.push(["cap." + o, level(rng, -60, 24)]);
  return out;
}

/** [key, value] for every stored key (console keys and stored-only ones). */
export function randomStoredSettings(rng: Rng): [string, string][] {
  const out = randomConsoleSettings(rng);
  out.push(["out", OUTS[rng.int(4)]], ["gain", ["0", "9", "18"][rng.int(3)]], ["pw", String(rng.int(4294967295))]);
  for (const o of OUTS) out.push(["vol." + o, level(rng, -99, -40)]);
  return out;
}
