// The settings unit over a simulated flash: what it loads at boot and reports, the start-up
// volume cap, and when it writes (deferred, coalesced, skipped when unchanged, never without power).
import { calRecord } from "../../helpers/calRecords";
import { BOARDS } from "../../../boards/index";
import { newAmpState, AmpState } from "../../../firmware/ampState";
import { keyIndex } from "../../../firmware/settings/keys";
import { frameRecord } from "../../../firmware/settings/recordStore";
import { CAL_FILES, SAVE_DELAY_MS, SETTINGS_FILES, SETTINGS_VERSION, settingsPayload, startSettings } from "../../../firmware/settings/settingsUnit";
import { createSimFlash, MemoryFlash } from "../../../hal/sim/flash";

const board = BOARDS.pico;
const TICK = board.tickMs;

function bootOn(flash: MemoryFlash, prepare?: (s: AmpState) => void) {
  const state = newAmpState();
  state.powerOk = true;
  if (prepare) prepare(state);
  const unit = startSettings(flash, state, board);
  let now = 0;
  return {
    state,
    unit,
    /** Run the control tick for ms. */
    run(ms: number, lively = true) {
      for (const end = now + ms; now < end; now += TICK) unit.tick(now, lively);
    },
  };
}

/** A record as a previous boot would have saved it, from a state edited by `edit`. */
function recordOf(edit: (s: AmpState) => void, seq = 1, ver = SETTINGS_VERSION): string {
  const s = newAmpState();
  s.out = board.outputs.defaultOutput;
  s.step = board.volume.stepDb;
  edit(s);
  s.targetDb = s.outVolDb[["bal44", "bal35", "xlr", "se63"].indexOf(s.out)]; // the level in force
  return frameRecord("S", ver, seq, settingsPayload(s));
}

describe("loading at boot", () => {
  test("an empty flash gives the board's defaults, reported as such", () => {
    const amp = bootOn(createSimFlash());
    expect(amp.unit.report()).toBe("settings=defaults cal=none bad=0");
    expect(amp.state.out).toBe(board.outputs.defaultOutput);
    expect(amp.state.bootCapDb).toBe(board.volume.startCapDb);
    expect(amp.state.capDb).toEqual([0, -20, 0, 0]);
    expect(amp.state.step).toBe(board.volume.stepDb);
  });

  test("restores output, gain, per-output volumes, options and the password hash", () => {
    const flash = createSimFlash();
    flash.write(SETTINGS_FILES[0], recordOf((s) => {
      s.out = "xlr";
      s.gainDb = 9;
      s.outVolDb = [-50, -41, -55, -60];
      s.step = 2;
      s.maxDb = -5;
      s.muteDb = -30;
      s.jackSelect = false;
      s.ab = ["bal35", "se63"];
      s.capDb = [-1, -2, -3, -4];
      s.pwHash = 12345;
    }));
    const amp = bootOn(flash);
    expect(amp.unit.loadedFrom).toBe("newest");
    const s = amp.state;
    expect([s.out, s.gainDb, s.outVolDb, s.step, s.maxDb, s.muteDb]).toEqual(["xlr", 9, [-50, -41, -55, -60], 2, -5, -30]);
    expect([s.jackSelect, s.ab, s.capDb, s.pwHash]).toEqual([false, ["bal35", "se63"], [-1, -2, -3, -4], 12345]);
  });

  test("the start-up volume is the remembered one, but never above the start-up cap as heard", () => {
    const flash = createSimFlash();
    // bal44 at pot -10 with +9 dB gain and the +6 dB balanced offset: +5 dB as heard
    flash.write(SETTINGS_FILES[0], recordOf((s) => ((s.out = "bal44"), (s.gainDb = 9), (s.outVolDb[0] = -10), (s.bootCapDb = -30))));
    const loud = bootOn(flash);
    expect(loud.state.targetDb).toBe(-30 - 9 - 6);
    expect(loud.state.outVolDb[0]).toBe(-45);

    const quiet = createSimFlash();
    quiet.write(SETTINGS_FILES[0], recordOf((s) => ((s.out = "se63"), (s.outVolDb[3] = -52))));
    expect(bootOn(quiet).state.targetDb).toBe(-52);
  });

  test("the newest copy by sequence wins; a damaged copy is skipped and counted", () => {
    const flash = createSimFlash();
    flash.write(SETTINGS_FILES[0], recordOf((s) => (s.step = 0.5), 6));
    flash.write(SETTINGS_FILES[1], recordOf((s) => (s.step = 2), 7));
    expect(bootOn(flash).state.step).toBe(2);
    flash.write(SETTINGS_FILES[1], recordOf((s) => (s.step = 2), 7).replace(";2;", ";5;"));
    const amp = bootOn(flash);
    expect(amp.state.step).toBe(0.5);
    expect(amp.unit.report()).toBe("settings=newest cal=none bad=1");
  });

  test("a record of an unknown version is ignored (older copy used), never half applied", () => {
    const flash = createSimFlash();
    flash.write(SETTINGS_FILES[0], recordOf((s) => (s.step = 0.5), 1));
    flash.write(SETTINGS_FILES[1], recordOf((s) => (s.step = 2), 2, SETTINGS_VERSION + 1));
    const amp = bootOn(flash);
    expect(amp.state.step).toBe(0.5);
    expect(amp.unit.report()).toMatch(/^settings=older .*bad=1$/);
  });

  test("a checksum-valid record with one bad value is ignored whole", () => {
    const flash = createSimFlash();
    const good = newAmpState();
    good.out = "xlr";
    good.step = 1;
    const text = settingsPayload(good).split(";");
    text[keyIndex("jackselect")] = "maybe";
    flash.write(SETTINGS_FILES[0], frameRecord("S", SETTINGS_VERSION, 3, text.join(";")));
    const amp = bootOn(flash);
    expect(amp.unit.report()).toBe("settings=defaults cal=none bad=1");
    expect(amp.state.out).toBe(board.outputs.defaultOutput);
  });

  test("a version 1 record (out, gain, volumes, step) is migrated: the rest take the defaults", () => {
    const flash = createSimFlash();
    flash.write(SETTINGS_FILES[0], frameRecord("S", 1, 4, "se63;18;-40;-41;-42;-43;0.5"));
    const amp = bootOn(flash);
    expect(amp.unit.loadedFrom).toBe("migrated");
    expect([amp.state.out, amp.state.gainDb, amp.state.outVolDb.slice(0, 3), amp.state.step]).toEqual(["se63", 18, [-40, -41, -42], 0.5]);
    expect(amp.state.bootCapDb).toBe(board.volume.startCapDb);
    expect(amp.state.capDb).toEqual([0, -20, 0, 0]);
  });

  test("garbage in every file never crashes the boot", () => {
    for (const junk of ["", "\xff\xff\xff", "S2 1 ; 1", "S2 99999999999 x 0", "C1 1 {\"v\":1} 0", "S2 1 " + ";".repeat(30) + " 1"]) {
      const flash = createSimFlash();
      for (const f of [...SETTINGS_FILES, ...CAL_FILES]) flash.write(f, junk);
      const amp = bootOn(flash);
      expect(amp.unit.report()).toMatch(/^settings=defaults cal=none bad=\d$/);
    }
  });
});

describe("writing", () => {
  test("nothing is written while nothing changes", () => {
    const flash = createSimFlash();
    const amp = bootOn(flash);
    amp.run(60_000);
    expect(flash.writes).toBe(0);
  });

  test("a run of changes is one write, SAVE_DELAY_MS after the last of them", () => {
    const flash = createSimFlash();
    const amp = bootOn(flash);
    for (let i = 0; i < 20; i++) {
      amp.state.targetDb = -60 + i; // the selected output (bal35)
      amp.run(400); // a knob turned for 8 s
    }
    expect(flash.writes).toBe(0);
    amp.run(SAVE_DELAY_MS - 600);
    expect(flash.writes).toBe(0);
    amp.run(1200);
    expect(flash.writes).toBe(1);
    amp.run(30_000);
    expect(flash.writes).toBe(1);
    expect(bootOn(flash).state.outVolDb[1]).toBe(-41);
  });

  test("at rest (the amp calm for a while) a change is still seen, within a slower pass, and written once", () => {
    const flash = createSimFlash();
    const amp = bootOn(flash);
    amp.run(2000, false);
    amp.state.step = 2; // every key is looked at within ~10 s at rest (2 keys a second)
    amp.run(10_000 + SAVE_DELAY_MS + 1000, false);
    expect(flash.writes).toBe(1);
    amp.run(30_000, false);
    expect(flash.writes).toBe(1);
    expect(bootOn(flash).state.step).toBe(2);
  });

  test("the selected output's volume is stored from the target in force (the level to restore while muted to a level)", () => {
    const flash = createSimFlash();
    const amp = bootOn(flash);
    amp.state.out = "xlr";
    amp.state.outVolDb = [-41, -42, -43, -44];
    amp.state.targetDb = -47.25;
    amp.run(SAVE_DELAY_MS + 600);
    expect(bootOn(flash).state.outVolDb).toEqual([-41, -42, -47.25, -44]);
    amp.state.levelMute = true;
    amp.state.unmuteDb = -38;
    amp.state.targetDb = -70;
    amp.run(SAVE_DELAY_MS + 600);
    expect(bootOn(flash).state.outVolDb[2]).toBe(-38);
  });

  test("a change undone before the delay writes nothing", () => {
    const flash = createSimFlash();
    const amp = bootOn(flash);
    amp.state.jackSelect = false;
    amp.run(1000);
    amp.state.jackSelect = true;
    amp.run(10_000);
    expect(flash.writes).toBe(0);
  });

  test("never while power is not OK; the write waits for power to come back", () => {
    const flash = createSimFlash();
    const amp = bootOn(flash);
    amp.state.powerOk = false;
    amp.state.step = 2;
    amp.run(20_000);
    expect(flash.writes).toBe(0);
    amp.state.powerOk = true;
    amp.run(600);
    expect(flash.writes).toBe(1);
    expect(bootOn(flash).state.step).toBe(2);
  });

  test("copies alternate between the two files, and both stay readable", () => {
    const flash = createSimFlash();
    const amp = bootOn(flash);
    for (const step of [2, 0.5, 1]) {
      amp.state.step = step;
      amp.run(SAVE_DELAY_MS + 600);
    }
    expect(flash.writes).toBe(3);
    expect(flash.list()).toEqual(SETTINGS_FILES.slice().sort());
    expect(bootOn(flash).state.step).toBe(1);
  });

  test("a failed write is retried after a delay, over the same (non-current) slot", () => {
    const flash = createSimFlash();
    const amp = bootOn(flash);
    amp.state.step = 2;
    amp.run(SAVE_DELAY_MS + 600); // slot 0
    amp.state.step = 0.5;
    flash.cutPowerAfterBytes(10);
    amp.run(SAVE_DELAY_MS + 600); // slot 1: cut
    expect(bootOn(flash).state.step).toBe(2);
    flash.powerRestored();
    amp.run(SAVE_DELAY_MS + 600);
    expect(bootOn(flash).state.step).toBe(0.5);
  });
});

describe("calibration record", () => {
  const cal = calRecord(0.8, -0.6);

  test("saved when power allows, loaded at the next boot, independent of the settings", () => {
    const flash = createSimFlash();
    const amp = bootOn(flash);
    amp.state.powerOk = false;
    expect(amp.unit.saveCalibration(cal)).toBe(0);
    amp.run(5000);
    expect(flash.writes).toBe(0);
    amp.state.powerOk = true;
    amp.run(600);
    expect(flash.writes).toBe(1);
    const next = bootOn(flash);
    expect(next.unit.loadCalibration()).toEqual(cal);
    expect(next.unit.report()).toBe("settings=defaults cal=newest bad=0");
  });

  test("malformed calibrations are refused and nothing is stored", () => {
    const amp = bootOn(createSimFlash());
    const tooFar = calRecord(0, 0);
    tooFar.deck6[20] = 8.5; // beyond what a pot of this type can deviate
    const bad = [null, {}, { v: "1", deck5: [], deck6: [] }, { v: 1, deck5: [NaN], deck6: [] }, { v: 1, deck5: new Array(65).fill(0), deck6: [] }, { v: 1, deck5: ["0.1"], deck6: [] }, { v: Infinity, deck5: [], deck6: [] }, { v: 1, deck5: [0.1], deck6: [0.2] }, { ...calRecord(1, 1), v: 2 }, tooFar];
    for (const c of bad) expect(amp.unit.saveCalibration(c as never)).toBe(3);
    expect(amp.unit.loadCalibration()).toBeNull();
  });

  test("the saved calibration holds only its own fields; flash gets the record as it was when saved", () => {
    const flash = createSimFlash();
    const amp = bootOn(flash);
    const c = { ...calRecord(0.3, 0.2), extra: "x" };
    expect(amp.unit.saveCalibration(c)).toBe(0);
    expect(amp.unit.loadCalibration()).toEqual(calRecord(0.3, 0.2)); // (the arrays are shared, not copied: memory)
    c.deck5[0] = 9;
    amp.run(10000);
    expect(bootOn(flash).unit.loadCalibration()).toEqual(calRecord(0.3, 0.2));
  });
});
