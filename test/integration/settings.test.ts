// Settings on the built bundle: remembered across power cycles, loaded from the newest intact
// copy (else the older, else defaults, always reported), and written rarely: a few seconds after
// the last change, only when something changed, never while power is failing.
import { calRecord } from "../helpers/calRecords";
import { frameRecord } from "../../firmware/settings/recordStore";
import { CAL_FILES, SETTINGS_FILES } from "../../firmware/settings/settingsUnit";
import { createSimFlash, createSimFlash as createFlash } from "../../hal/sim/flash";
import { SimFlash } from "../../hal/sim/types";
import { boot, BOARD_NAMES, lastStatus, Rig } from "../helpers/device";

/** Past the power-on delay: power is OK and settings may be written. */
const READY_MS = 1500;
/** The owner's act (the knob's button held at power-on): raising a limit over the console needs it. */
const OWNER = { knobHeldAtPowerOnMs: 1200 };
const SAVE_WAIT_MS = 4000;

function reboot(rig: Rig): Rig {
  rig.dev.powerOff();
  rig.amp.flash.powerRestored();
  const next = boot(rig.board.name, { flash: rig.amp.flash });
  next.run(READY_MS);
  return next;
}

function info(rig: Rig): string {
  return rig.dev.lines().find((l) => l.startsWith("INFO "))!;
}

const USER_SETTINGS: [string, string][] = [
  ["step", "2"],
  ["maxvol", "-8"],
  ["startcap", "-35"],
  ["mutelevel", "-42"],
  ["jackselect", "off"],
  ["ab", "xlr,se63"],
  ["gainstaging", "on"],
  ["cap.bal44", "-4"],
  ["cap.bal35", "-22.5"],
  ["cap.xlr", "3"],
  ["cap.se63", "-1"],
];

describe.each(BOARD_NAMES)("%s: settings survive a power cycle", (boardName) => {
  test("every user setting set over the console is there after a reboot", () => {
    const rig = boot(boardName, { flash: createSimFlash(), ...OWNER });
    rig.run(READY_MS);
    for (const [k, v] of USER_SETTINGS) expect(rig.command(`set ${k} ${v}`)).toBe(`ok ${k} ${v}\r\n`);
    rig.run(SAVE_WAIT_MS);
    const next = reboot(rig);
    expect(info(next)).toBe("INFO settings=newest cal=none bad=0");
    for (const [k, v] of USER_SETTINGS) expect(next.command(`get ${k}`)).toBe(`ok ${k} ${v}\r\n`);
    expect(next.dev.errors).toEqual([]);
  });

  test("the selected output and gain are restored", () => {
    const rig = boot(boardName, { flash: createSimFlash() });
    rig.run(READY_MS);
    rig.command("set gainstaging off"); // the gain is the user's alone
    expect(rig.command("out xlr")).toMatch(/^ok out xlr/);
    rig.run(500);
    expect(rig.command("gain 9")).toMatch(/^ok gain 9/);
    rig.run(SAVE_WAIT_MS);
    const next = reboot(rig);
    expect(lastStatus(next.dev)).toMatchObject({ output: "xlr", gain: "9" });
  });

  test("a remembered loud volume starts no louder than the start-up cap as heard", () => {
    const rig = boot(boardName, { flash: createSimFlash() });
    rig.run(READY_MS);
    rig.command("set startcap -40");
    rig.command("set cap.bal35 24");
    rig.command("set maxvol none");
    rig.command("vol -3");
    rig.run(SAVE_WAIT_MS);
    const next = reboot(rig);
    const heard = Number(lastStatus(next.dev).target) + Number(lastStatus(next.dev).gain) + rig.board.outputs.offsetDb.bal35;
    expect(heard).toBeLessThanOrEqual(-40 + 1e-9);
  });

  test("a damaged newest copy: the older one loads, and the boot says so", () => {
    const flash = createSimFlash();
    const rig = boot(boardName, { flash });
    rig.run(READY_MS);
    rig.command("set step 0.5");
    rig.run(SAVE_WAIT_MS);
    rig.command("set step 2");
    rig.run(SAVE_WAIT_MS);
    const newest = SETTINGS_FILES.find((f) => / 2 /.test(flash.read(f)!.slice(0, 6)))!;
    flash.write(newest, flash.read(newest)!.replace(";2;", ";7;"));
    const next = reboot(rig);
    expect(info(next)).toBe("INFO settings=newest cal=none bad=1");
    expect(next.command("get step")).toBe("ok step 0.5\r\n");
  });

  test("garbage in every file: defaults, reported, and the amp boots safe", () => {
    const flash = createSimFlash();
    for (const f of [...SETTINGS_FILES, ...CAL_FILES]) flash.write(f, "\xff".repeat(40));
    const rig = boot(boardName, { flash });
    expect(info(rig)).toBe("INFO settings=defaults cal=none bad=4");
    rig.run(10);
    expect(rig.amp.outputConnected()).toBe(false);
    rig.run(READY_MS);
    expect(rig.command("get step")).toBe(`ok step ${rig.board.volume.stepDb}\r\n`);
    expect(rig.dev.errors).toEqual([]);
  });

  test("a record from a newer firmware is ignored; a version 1 record is migrated", () => {
    const future = createSimFlash();
    future.write(SETTINGS_FILES[0], frameRecord("S", 3, 9, "whatever;it;holds"));
    expect(info(boot(boardName, { flash: future }))).toBe("INFO settings=defaults cal=none bad=1");
    const old = createSimFlash();
    old.write(SETTINGS_FILES[1], frameRecord("S", 1, 3, "se63;0;-50;-50;-50;-50;2"));
    const rig = boot(boardName, { flash: old });
    expect(info(rig)).toBe("INFO settings=migrated cal=none bad=0");
    rig.run(READY_MS);
    expect(rig.command("get step")).toBe("ok step 2\r\n");
    expect(lastStatus(rig.dev).output).toBe("se63");
  });

  test("a stored calibration is loaded at boot", () => {
    const flash = createSimFlash();
    flash.write(CAL_FILES[1], frameRecord("C", 1, 1, JSON.stringify(calRecord(1, 0.9))));
    expect(info(boot(boardName, { flash }))).toBe("INFO settings=defaults cal=newest bad=0");
  });

  test("a stored calibration the volume tables would not use (too few knots, a deviation no pot has) is not loaded, and counted bad", () => {
    const flash = createSimFlash();
    const wild = calRecord(0, 0);
    wild.deck5[3] = -9;
    flash.write(CAL_FILES[0], frameRecord("C", 1, 2, JSON.stringify(wild)));
    flash.write(CAL_FILES[1], frameRecord("C", 1, 1, JSON.stringify({ v: 1, deck5: [0, 0.5, 1], deck6: [0, 0.49, 1] })));
    expect(info(boot(boardName, { flash }))).toBe("INFO settings=defaults cal=none bad=2");
  });
});

describe("flash wear", () => {
  /** Writes to the settings and calibration files (the fault log keeps its own file). */
  function writes(flash: SimFlash): number {
    return (flash as unknown as { settingsWrites: number }).settingsWrites;
  }

  function createSimFlash(): SimFlash {
    const flash = createFlash();
    const write = flash.write.bind(flash);
    const counted = flash as unknown as { settingsWrites: number };
    counted.settingsWrites = 0;
    flash.write = (name, data) => {
      if (SETTINGS_FILES.includes(name) || CAL_FILES.includes(name)) counted.settingsWrites++;
      return write(name, data);
    };
    return flash;
  }

  test("idle for an hour: no write at all", () => {
    const flash = createSimFlash();
    const rig = boot("pico", { flash });
    rig.run(3_600_000);
    expect(writes(flash)).toBe(0);
  });

  test("forty changes over twenty seconds are one write, made a few seconds after the last", () => {
    const flash = createSimFlash();
    const rig = boot("pico", { flash, ...OWNER });
    rig.run(READY_MS);
    for (let i = 0; i < 40; i++) {
      rig.command(`set maxvol ${-40 + (i % 30)}`, 500);
      rig.command(`vol ${-60 + i / 2}`, 0);
    }
    expect(writes(flash)).toBe(0);
    rig.run(2000);
    expect(writes(flash)).toBe(0);
    rig.run(2000);
    expect(writes(flash)).toBe(1);
    rig.run(60_000);
    expect(writes(flash)).toBe(1);
  });

  test("a change set back before the delay writes nothing", () => {
    const flash = createSimFlash();
    const rig = boot("pico", { flash });
    rig.run(READY_MS);
    rig.command("set jackselect off");
    rig.run(1000);
    rig.command("set jackselect on");
    rig.run(20_000);
    expect(writes(flash)).toBe(0);
  });

  test("no write while AC is lost; the change is written once power is back and stable", () => {
    const flash = createSimFlash();
    const rig = boot("pico", { flash });
    rig.run(READY_MS);
    rig.amp.setAcPresent(false);
    rig.run(200);
    expect(rig.command("set step 2")).toBe("ok step 2\r\n");
    rig.run(30_000);
    expect(writes(flash)).toBe(0);
    rig.amp.setAcPresent(true);
    rig.amp.setRailV(30);
    rig.run(rig.board.protection.powerOnDelayMs + SAVE_WAIT_MS);
    expect(writes(flash)).toBe(1);
    expect(reboot(rig).command("get step")).toBe("ok step 2\r\n");
  });
});
