// Power-cut campaign on the built bundle: the amp saves a change of its settings; the power is
// cut after every byte of that write (SimFlash.cutPowerAfterBytes); a fresh amp boots the bundle
// on the same flash. What it loads must be the old settings or the new ones (never garbage, never
// a mix), and the calibration record must be untouched. AMP_SOAK=<n> runs n times the seeds
// (npm test runs the default; the larger run is a script).
import { calRecord } from "../helpers/calRecords";
import { CAL_FILES } from "../../firmware/settings/settingsUnit";
import { createSimFlash, MemoryFlash, PowerCutFill } from "../../hal/sim/flash";
import { createRng } from "../../hal/sim/rng";
import { boot, Rig } from "../helpers/device";
import { frameRecord } from "../../firmware/settings/recordStore";
import { randomConsoleSettings } from "../unit/settings/randomSettings";

const SOAK = Math.max(1, Number(process.env.AMP_SOAK) || 1);
/** Power OK after the power-on delay; the write comes SAVE_DELAY_MS (3 s) after the change. */
const READY_MS = 1200;
// a change is seen within one pass of the change check (~1 s while lively), then written SAVE_DELAY_MS later
const SAVE_WAIT_MS = 4200;
const KEYS = randomConsoleSettings(createRng(1)).map(([k]) => k);
const CAL = frameRecord("C", 1, 1, JSON.stringify(calRecord(0.5, -0.4)));

function copyOf(flash: MemoryFlash, fill: PowerCutFill): MemoryFlash {
  const copy = createSimFlash(fill);
  for (const f of flash.list()) copy.write(f, flash.read(f)!);
  return copy;
}

/** The user settings as the console reports them, one "key value" list. */
function settingsOf(rig: Rig): string {
  return KEYS.map((k) => rig.command("get " + k, 0).trim()).join(" | ");
}

function bootReady(board: string, flash: MemoryFlash): Rig {
  const rig = boot(board, { flash });
  rig.run(READY_MS);
  return rig;
}

function set(rig: Rig, settings: [string, string][]) {
  for (const [k, v] of settings) rig.command(`set ${k} ${v}`, 0);
}

function campaign(board: string, fill: PowerCutFill, seed: number, stride: number) {
  const rng = createRng(seed);
  // the amp as the user left it: calibrated, settings saved
  const base = createSimFlash(fill);
  base.write(CAL_FILES[0], CAL);
  const first = bootReady(board, base);
  set(first, randomConsoleSettings(rng));
  first.run(SAVE_WAIT_MS);
  const oldSettings = settingsOf(bootReady(board, copyOf(base, fill)));
  const change = randomConsoleSettings(rng);

  // the write to cut, measured on a twin
  const twin = copyOf(base, fill);
  const t = bootReady(board, twin);
  set(t, change);
  const w0 = twin.writes;
  const b0 = twin.bytesWritten;
  t.run(SAVE_WAIT_MS);
  expect(twin.writes - w0).toBe(1);
  const writeLen = twin.bytesWritten - b0;
  const newSettings = settingsOf(bootReady(board, twin));
  expect(newSettings).not.toBe(oldSettings);

  const bad: string[] = [];
  let sawOld = 0;
  let cuts = 0;
  for (let n = stride > 1 ? seed % stride : 0; n <= writeLen; n += n + stride > writeLen && n < writeLen ? writeLen - n : stride) {
    cuts++;
    const flash = copyOf(base, fill);
    const rig = bootReady(board, flash);
    set(rig, change);
    flash.cutPowerAfterBytes(n);
    rig.run(SAVE_WAIT_MS);
    rig.dev.powerOff();
    flash.powerRestored();
    const next = boot(board, { flash });
    const bootInfo = next.dev.lines().find((l) => l.startsWith("INFO "));
    const got = settingsOf(next);
    if (got !== oldSettings && got !== newSettings) bad.push(`cut after ${n} bytes: ${got}`);
    if (got === oldSettings) sawOld++;
    if (flash.read(CAL_FILES[0]) !== CAL || !/ cal=newest /.test(bootInfo || "")) bad.push(`cut after ${n} bytes: calibration lost (${bootInfo})`);
    if (next.dev.errors.length) bad.push(`cut after ${n} bytes: ${next.dev.errors.join("; ")}`);
  }
  expect(bad).toEqual([]);
  expect(sawOld).toBe(cuts - 1); // every cut before the last byte leaves the old record
  return cuts;
}

describe("power cut during a settings write, on the bundle", () => {
  // npm test: every byte on one board and fill, every 5th byte (and the last) on the others;
  // AMP_SOAK=n: every byte everywhere, n seeds each.
  test.each<[string, PowerCutFill, number]>([
    ["pico", "erased", 1],
    ["pico", "truncate", 5],
    ["mdbt42q", "erased", 5],
  ])("%s, %s flash, every %i byte(s): old or new settings after each cut, calibration untouched", (board, fill, stride) => {
    let cuts = 0;
    for (let s = 0; s < SOAK; s++) cuts += campaign(board, fill, 500 + s * 17 + fill.length, SOAK > 1 ? 1 : stride);
    expect(cuts).toBeGreaterThan((SOAK > 1 ? 80 : 80 / stride) * SOAK);
  });
});

describe("the calibration record through the volume unit's `cal start`", () => {
  const OLD_CAL = frameRecord("C", 1, 4, JSON.stringify(calRecord(-0.5, 0.25)));

  /** A flash that logs the name and size of every write. */
  function logged(): MemoryFlash & { log: [string, number][] } {
    const flash = createSimFlash("erased") as MemoryFlash & { log: [string, number][] };
    flash.log = [];
    const write = flash.write.bind(flash);
    flash.write = (name, data) => {
      flash.log.push([name, data.length]);
      return write(name, data);
    };
    flash.write(CAL_FILES[0], OLD_CAL);
    flash.log.length = 0;
    return flash;
  }

  function calibrate(flash: MemoryFlash, cutAfter = -1): void {
    const rig = bootReady("pico", flash);
    expect(rig.command("cal start")).toMatch(/^ok\r\n/);
    if (cutAfter >= 0) flash.cutPowerAfterBytes(cutAfter);
    rig.run(60_000);
    rig.dev.powerOff();
    flash.powerRestored();
  }

  test("a finished calibration is stored beside the old copy; a cut anywhere in its write keeps the old one", () => {
    const twin = logged();
    calibrate(twin);
    const calWrites = twin.log.filter(([name]) => CAL_FILES.includes(name));
    expect(calWrites).toEqual([[CAL_FILES[1], expect.any(Number)]]);
    expect(twin.read(CAL_FILES[0])).toBe(OLD_CAL);
    expect(boot("pico", { flash: twin }).dev.lines()[1]).toBe("INFO settings=defaults cal=newest bad=0");

    const before = twin.log.slice(0, twin.log.findIndex(([name]) => name === CAL_FILES[1])).reduce((a, [, n]) => a + n, 0);
    const len = calWrites[0][1];
    for (const n of [0, 1, Math.floor(len / 3), Math.floor(len / 2), len - 9, len - 1]) {
      const flash = logged();
      calibrate(flash, before + n);
      expect(flash.read(CAL_FILES[0])).toBe(OLD_CAL);
      expect(boot("pico", { flash }).dev.lines()[1]).toBe("INFO settings=defaults cal=newest bad=1"); // the old copy; the cut one ignored
    }
  });
});
