// Power-cut campaign on the settings unit itself (the bundle campaign is in
// test/integration/settingsPowerCut.test.ts): cut the power after every byte of a write, reboot,
// and check that what loads is the old record or the new one, never garbage and never a mix,
// and that the calibration record is never lost. Thousands of seeded cuts; AMP_SOAK=<n> runs n
// times as many (npm test keeps the default).
import { DEV_KNOTS } from "../../../firmware/volume/position";
import { BOARDS } from "../../../boards/index";
import { AmpState, newAmpState } from "../../../firmware/ampState";
import { keyIndex, setKey } from "../../../firmware/settings/keys";
import { CalRecord, SAVE_DELAY_MS, settingsPayload, startSettings } from "../../../firmware/settings/settingsUnit";
import { createSimFlash, MemoryFlash, PowerCutFill } from "../../../hal/sim/flash";
import { createRng, Rng } from "../../../hal/sim/rng";
import { randomStoredSettings } from "./randomSettings";

const SOAK = Math.max(1, Number(process.env.AMP_SOAK) || 1);
const board = BOARDS.pico;
const CHECK_MS = 100;

interface Boot {
  state: AmpState;
  unit: ReturnType<typeof startSettings>;
  run(ms: number): void;
}

let clock = 0;
function boot(flash: MemoryFlash): Boot {
  const state = newAmpState();
  state.powerOk = true;
  const unit = startSettings(flash, state, board);
  return {
    state,
    unit,
    run(ms) {
      for (const end = clock + ms; clock < end; clock += CHECK_MS) unit.tick(clock, true);
    },
  };
}

/** The settings as stored, start-up cap aside: the record payload of the state after boot, with
 *  the selected output's volume (which the start-up cap may lower) left out. */
function loaded(flash: MemoryFlash): { payload: string; cal: CalRecord | null; report: string } {
  const b = boot(flash);
  return { payload: comparable(b.state), cal: b.unit.loadCalibration(), report: b.unit.report() };
}

function comparable(s: AmpState): string {
  const v = settingsPayload(s).split(";");
  v[keyIndex("vol." + s.out)] = "*";
  return v.join(";");
}

function copyOf(flash: MemoryFlash, fill: PowerCutFill): MemoryFlash {
  const copy = createSimFlash(fill);
  for (const f of flash.list()) copy.write(f, flash.read(f)!);
  return copy;
}

function apply(s: AmpState, settings: [string, string][]) {
  for (const [k, v] of settings) if (setKey(s, keyIndex(k), v) !== 0) throw new Error(`set ${k} ${v} refused`);
}

/** Calibrations compare by their JSON (cheaper than a deep equality in a loop of thousands). */
const calText = (c: CalRecord | null) => JSON.stringify(c);

function calOf(rng: Rng): CalRecord {
  // a record the volume tables accept: 21 knots a deck, deviations inside the limit, a taper
  // that rises from knot to knot (the nominal curve rises >= 1.7 dB per knot)
  const deck = () => Array.from({ length: DEV_KNOTS }, () => Math.round(rng.uniform(-0.8, 0.8) * 1e6) / 1e6);
  return { v: 1, deck5: deck(), deck6: deck() };
}

/** A flash holding a committed settings record and calibration; returns them as loaded. */
function committed(rng: Rng, fill: PowerCutFill) {
  const flash = createSimFlash(fill);
  const b = boot(flash);
  const cal = calOf(rng);
  b.unit.saveCalibration(cal);
  apply(b.state, randomStoredSettings(rng));
  b.run(SAVE_DELAY_MS + 1000);
  const before = loaded(flash);
  expect(before.cal).toEqual(cal);
  return { flash, before };
}

describe.each<PowerCutFill>(["truncate", "erased"])("power cut during a settings write (%s flash)", (fill) => {
  test("after every byte of the write: the old record or the new one loads, and calibration survives", () => {
    let cuts = 0;
    let sawOld = 0;
    let sawNew = 0;
    const bad: string[] = [];
    for (let seed = 1; seed <= 12 * SOAK; seed++) {
      const rng = createRng(1000 + seed);
      const next = randomStoredSettings(rng);
      // the length of the write to cut: measured on a twin flash
      const twin = committed(createRng(1000 + seed), fill);
      const probe = boot(twin.flash);
      const w0 = twin.flash.bytesWritten;
      apply(probe.state, next);
      probe.run(SAVE_DELAY_MS + 1000);
      const writeLen = twin.flash.bytesWritten - w0;
      const after = loaded(twin.flash);
      expect(writeLen).toBeGreaterThan(50);

      const base = committed(createRng(1000 + seed), fill);
      for (let n = 0; n <= writeLen; n++) {
        const flash = copyOf(base.flash, fill);
        const before = base.before;
        const b = boot(flash);
        apply(b.state, next);
        flash.cutPowerAfterBytes(n);
        b.run(SAVE_DELAY_MS + 1000);
        flash.powerRestored();
        const got = loaded(flash);
        cuts++;
        if (got.payload !== before.payload && got.payload !== after.payload) bad.push(`seed ${seed} cut ${n}: settings ${got.payload}`);
        if (calText(got.cal) !== calText(before.cal)) bad.push(`seed ${seed} cut ${n}: calibration ${calText(got.cal)}`);
        if (got.payload === before.payload) sawOld++;
        else sawNew++;
      }
    }
    expect(bad).toEqual([]);
    expect(cuts).toBeGreaterThan(1000 * SOAK);
    expect(sawOld).toBeGreaterThan(0);
    expect(sawNew).toBeGreaterThan(0); // the cut after the last byte
  });
});

test("chains of interrupted writes, calibration writes among them, never lose the last good record", () => {
  const rng = createRng(77);
  let cuts = 0;
  const bad: string[] = [];
  for (let chain = 0; chain < 20 * SOAK; chain++) {
    const flash = createSimFlash(rng.chance(0.5) ? "erased" : "truncate");
    let good = loaded(flash);
    for (let step = 0; step < 40; step++) {
      const b = boot(flash);
      const calNow = rng.chance(0.2) ? calOf(rng) : null;
      if (calNow) b.unit.saveCalibration(calNow);
      apply(b.state, randomStoredSettings(rng));
      const wanted = comparable(b.state);
      const cut = rng.chance(0.7);
      if (cut) flash.cutPowerAfterBytes(rng.int(calNow ? 1400 : 160));
      b.run(SAVE_DELAY_MS + 1000);
      flash.powerRestored();
      const got = loaded(flash);
      cuts += cut ? 1 : 0;
      const where = `chain ${chain} step ${step}`;
      if (got.payload !== good.payload && got.payload !== wanted) bad.push(`${where}: settings ${got.payload}`);
      const okCal = calNow ? [calText(good.cal), calText(calNow)] : [calText(good.cal)];
      if (okCal.indexOf(calText(got.cal)) < 0) bad.push(`${where}: calibration ${calText(got.cal)}`);
      good = got;
    }
  }
  expect(bad).toEqual([]);
  expect(cuts).toBeGreaterThan(400 * SOAK);
});
