// Monitoring-deck faults and L/R tracking on simulated units: a deck that reads a rail or jumps is
// named, left out, and the unit keeps working on the other one; with both gone it stops; the
// tracking error is measured live and a pot outside its band is a fault with a clear message.
import { BOARDS } from "../../../boards/index";
import { drawUnit } from "../../../hal/sim/amp";
import { ERR_FAULT, OK } from "../../../firmware/controls";
import { VF_DECK5, VF_DECK6, VF_TRACKING } from "../../../firmware/faults";
import { calibrate, settle, volumeRig } from "./volumeRig";

describe("deck faults", () => {
  for (const fault of ["open", "shorted", "dirty"] as const) {
    it(`deck 5 ${fault}: reported, degraded, still accurate on deck 6; cleared once repaired`, () => {
      const rig = volumeRig({ seed: 41, targetDb: -30 });
      rig.run(1000);
      calibrate(rig);
      settle(rig);
      rig.amp.setDeckFault(5, fault);
      rig.vol.setTargetDb(-15);
      settle(rig);
      expect(rig.state.faults & VF_DECK5).toBeTruthy();
      expect(rig.state.faults & VF_DECK6).toBe(0);
      expect(rig.state.degraded).toBe(true);
      expect(rig.lines.find((l) => l.startsWith("FAULT deck5"))).toMatch(fault === "dirty" ? /jumps.*running on deck 6/ : /rail.*running on deck 6/);
      expect(Math.abs(rig.trueDb() + 15)).toBeLessThan(0.15);
      rig.vol.setTargetDb(-40);
      settle(rig);
      expect(Math.abs(rig.trueDb() + 40)).toBeLessThan(0.2);
      rig.amp.setDeckFault(5, "none");
      rig.run(2000);
      rig.vol.clearFaults();
      rig.run(20);
      expect(rig.state.faults & VF_DECK5).toBe(0);
      expect(rig.state.degraded).toBe(false);
    });
  }

  it("both decks gone: no position, motor stopped, requests refused", () => {
    const rig = volumeRig({ seed: 42, targetDb: -30 });
    settle(rig);
    rig.amp.setDeckFault(5, "open");
    rig.amp.setDeckFault(6, "shorted");
    rig.run(500);
    expect(rig.state.faults & (VF_DECK5 | VF_DECK6)).toBe(VF_DECK5 | VF_DECK6);
    expect(rig.vol.setTargetDb(-10)).toBe(ERR_FAULT);
    rig.run(1000);
    expect(rig.amp.motorDrive()).toBe(0);
    rig.amp.setDeckFault(5, "none");
    rig.amp.setDeckFault(6, "none");
    rig.run(1500);
    expect(rig.vol.setTargetDb(-10)).toBe(OK);
  });
});

describe("L/R tracking", () => {
  it("follows the real left/right difference and keeps statistics; no fault inside the band", () => {
    const rig = volumeRig({ seed: 43, targetDb: -20 });
    settle(rig);
    for (const db of [-10, -30, -50]) {
      rig.vol.setTargetDb(db);
      settle(rig);
      rig.run(1000);
      const a = rig.amp.audioDb();
      expect(Math.abs(rig.state.trackErrDb - (a.left - a.right))).toBeLessThan(0.3);
    }
    const s = rig.vol.track;
    expect(s.samples).toBeGreaterThan(100);
    expect(s.worstDb).toBeGreaterThan(0);
    expect(s.worstDb).toBeLessThan(2);
    expect(s.fault).toBe(false);
    expect(rig.state.faults & VF_TRACKING).toBe(0);
  });

  it("a pot outside its band: a fault naming the error, the level and the band", () => {
    const u = drawUnit(BOARDS.pico, 44);
    const bad = u.deck6Dev.map((d, i) => (i === u.deck6Dev.length - 1 ? 0 : d - 3.5));
    const rig = volumeRig({ seed: 44, targetDb: -20, sim: { unit: { deck6Dev: bad } } });
    rig.run(1000);
    calibrate(rig);
    rig.vol.setTargetDb(-25);
    settle(rig);
    rig.run(2500);
    expect(rig.state.faults & VF_TRACKING).toBeTruthy();
    expect(rig.lines.find((l) => l.startsWith("FAULT tracking"))).toMatch(/^FAULT tracking L\/R [\d.]+ dB at -2\d dB, band 2 dB$/);
    expect(rig.state.trackErrDb).toBeGreaterThan(2.5);
  });
});
