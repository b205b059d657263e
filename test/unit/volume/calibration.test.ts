// The factory calibration on simulated units: it sweeps end to end, stores a record of both decks
// that matches the unit's real curves, learns the motor, and leaves the pot where it was asked to
// be; it can be aborted, and it is refused when a deck is broken.
import { BOARDS } from "../../../boards/index";
import { drawUnit } from "../../../hal/sim/amp";
import { deviationDb } from "../../../hal/sim/decks";
import { ERR_BUSY, ERR_FAULT, OK } from "../../../firmware/controls";
import { MUTE_SWITCHING } from "../../../firmware/muteReasons";
import { DEV_KNOTS, startTables, validRecord } from "../../../firmware/volume/position";
import { calibrate, settle, volumeRig } from "./volumeRig";

describe("calibration", () => {
  it("sweeps, stores a record matching the unit's decks, and goes back to the level from before", () => {
    for (const seed of [31, 32]) {
      const rig = volumeRig({ seed, targetDb: -25 });
      settle(rig);
      expect(rig.vol.calStart()).toBe(OK);
      expect(rig.vol.calStart()).toBe(ERR_BUSY);
      expect(rig.vol.setTargetDb(-10)).toBe(ERR_BUSY);
      rig.run(1000);
      expect(rig.vol.calStatus()).toMatch(/^running \d+$/);
      expect(rig.vol.muteReasons() & MUTE_SWITCHING).toBeTruthy(); // it goes up to 0 dB: muted
      expect(calibrate(rig)).toBe("done");
      expect(rig.saved.length).toBe(1);
      const rec = rig.saved[0];
      expect(validRecord(rec)).toBe(true);
      const u = drawUnit(BOARDS.pico, seed);
      // the deviations where the decks can read (15 % of travel and up) to a tenth of a dB
      for (let i = 3; i < DEV_KNOTS; i++) {
        const x = i / (DEV_KNOTS - 1);
        expect(Math.abs(rec.deck5[i] - deviationDb(u.deck5Dev, x))).toBeLessThan(0.1);
        expect(Math.abs(rec.deck6[i] - deviationDb(u.deck6Dev, x))).toBeLessThan(0.1);
      }
      settle(rig);
      expect(rig.vol.muteReasons() & MUTE_SWITCHING).toBe(0); // muted until back at the level from before (-25 dB is above the 3.5 mm jack's cap: the level gate stays)
      expect(Math.abs(rig.trueDb() + 25)).toBeLessThan(0.1);
      expect(rig.lines).toContain("INFO cal done");
    }
  });

  it("its tables put -60 dB within a few tenths of a dB of the real -60 dB position", () => {
    const rig = volumeRig({ seed: 33, targetDb: -30 });
    rig.run(1000);
    calibrate(rig);
    const t = startTables();
    t.load(rig.saved[0]);
    rig.vol.setTargetDb(-60);
    settle(rig);
    expect(Math.abs(rig.trueDb() + 60)).toBeLessThan(0.3);
  });

  it("abort ends the sweep, keeps the old tables, and brings the level back under mute", () => {
    const rig = volumeRig({ seed: 34, targetDb: -30 });
    settle(rig);
    rig.vol.calStart();
    rig.run(3000); // on its way up to 0 dB
    expect(rig.trueDb()).toBeGreaterThan(-29);
    expect(rig.vol.calAbort()).toBe(OK);
    rig.run(20);
    expect(rig.vol.calStatus()).toBe("failed aborted");
    expect(rig.lines).toContain("INFO cal failed aborted");
    expect(rig.saved.length).toBe(0);
    expect(rig.vol.muteReasons() & MUTE_SWITCHING).toBeTruthy(); // until back at -30 dB
    settle(rig);
    expect(rig.vol.muteReasons()).toBe(0);
    expect(Math.abs(rig.trueDb() + 30)).toBeLessThan(0.3);
  });

  it("a motor that does not move fails it, motor off", () => {
    const rig = volumeRig({ seed: 35, targetDb: -30 });
    settle(rig);
    rig.amp.setMotorStalled(true);
    rig.vol.calStart();
    rig.run(6000);
    expect(rig.vol.calStatus()).toBe("failed no-motion");
    expect(rig.amp.motorDrive()).toBe(0);
  });

  it("is refused while a deck is broken", () => {
    const rig = volumeRig({ seed: 36, targetDb: -30 });
    settle(rig);
    rig.amp.setDeckFault(6, "open");
    rig.run(500);
    expect(rig.vol.calStart()).toBe(ERR_FAULT);
    expect(rig.vol.calStatus()).toBe("idle");
  });
});
