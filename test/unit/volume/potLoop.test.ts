// The pot loop on a simulated unit (firmware modules over simHal): moves, end stops, direction
// changes, a hand on the knob, motor faults. Everything is judged on the sim's truth.
import { calibrate, settle, VolumeRig, volumeRig } from "./volumeRig";
import { VF_REVERSED, VF_STALL, VF_TIMEOUT } from "../../../firmware/faults";
import { ERR_FAULT, OK } from "../../../firmware/controls";

/** Truth sampled every physics step while running ms. */
function record(rig: VolumeRig, ms: number) {
  const s: { t: number; deg: number; drive: number; brake: boolean; speed: number }[] = [];
  const stop = rig.amp.trace(0.5, (x) => s.push({ t: x.timeMs, deg: x.shaftDeg, drive: x.drive, brake: x.brake, speed: x.shaftSpeed }));
  rig.run(ms);
  stop();
  return s;
}

function calibrated(seed: number, targetDb = -30): VolumeRig {
  const rig = volumeRig({ seed, targetDb });
  rig.run(2000);
  expect(calibrate(rig)).toBe("done");
  settle(rig);
  return rig;
}

describe("pot loop", () => {
  let rig: VolumeRig;
  beforeAll(() => {
    rig = calibrated(21);
  });

  it("moves to a new level in one go, brakes between ticks, stops within tolerance, releases the bridge", () => {
    const s = record(rig, 10).length; // (warm the trace)
    expect(s).toBeGreaterThan(0);
    rig.vol.setTargetDb(-12);
    const tr = record(rig, 8000);
    expect(Math.abs(rig.trueDb() + 12)).toBeLessThan(0.1);
    const drives = tr.filter((x) => x.drive !== 0);
    expect(drives.every((x) => x.drive > 0)).toBe(true); // no reversal
    const firstBrake = tr.find((x) => x.brake);
    expect(firstBrake).toBeDefined();
    expect(firstBrake!.t % rig.board.tickMs).not.toBe(0); // the brake instant is not on the tick grid
    const last = tr[tr.length - 1];
    expect(last.drive).toBe(0);
    expect(last.brake).toBe(false);
    expect(rig.state.moving).toBe(false);
    expect(Math.abs(rig.state.actualDb - rig.trueDb())).toBeLessThan(0.1);
  });

  it("a target reached in the same direction mid-move carries on without stopping", () => {
    rig.vol.setTargetDb(-30);
    settle(rig);
    rig.vol.setTargetDb(-20);
    rig.run(400);
    rig.vol.setTargetDb(-15);
    const tr = record(rig, 6000);
    const firstBrake = tr.findIndex((x) => x.brake);
    expect(tr.slice(0, firstBrake).every((x) => x.drive > 0)).toBe(true);
    expect(tr.filter((x) => x.brake).length).toBeGreaterThan(0);
    expect(Math.abs(rig.trueDb() + 15)).toBeLessThan(0.1);
  });

  it("a change of direction rests at least reverseRestMs with the bridge not driven", () => {
    rig.vol.setTargetDb(-40);
    settle(rig);
    rig.vol.setTargetDb(-10);
    const tr = record(rig, 300);
    rig.vol.setTargetDb(-45);
    tr.push(...record(rig, 8000));
    const lastUp = tr.filter((x) => x.drive > 0).pop()!;
    const firstDown = tr.find((x) => x.drive < 0)!;
    expect(lastUp.t).toBeLessThan(firstDown.t);
    expect(firstDown.t - lastUp.t).toBeGreaterThanOrEqual(rig.board.motor.reverseRestMs);
    expect(Math.abs(rig.trueDb() + 45)).toBeLessThan(0.15);
  });

  it("0 dB and the floor are the end stops: driven into (the floor: at most a degree short), then released at once", () => {
    // (the bottom is blind: the loop brakes at the near edge of its estimate there and a degree
    // sooner, so it may come to rest that far short of the stop, far below hearing, rather than
    // push on)
    for (const [db, end, shortDeg] of [
      [0, rig.amp.unit.travelDeg, 0],
      [rig.board.volume.minDb, 0, 1.2],
    ]) {
      rig.vol.setTargetDb(db);
      const tr = record(rig, 20000);
      const pushing = tr.filter((x) => x.deg === end && x.drive !== 0);
      expect(Math.abs(rig.amp.shaftDeg() - end)).toBeLessThanOrEqual(shortDeg);
      expect(pushing.length * 0.5).toBeLessThan(20); // ms against the stop
      expect(rig.state.actualDb).toBeCloseTo(db, 1);
      expect(tr[tr.length - 1].drive).toBe(0);
    }
  });

  it("a hand turning the knob at rest: followed, and its level adopted as the target", () => {
    rig.vol.setTargetDb(-30);
    settle(rig);
    rig.amp.handTurn(rig.amp.shaftDeg() + 30, 60);
    rig.run(2000);
    expect(rig.amp.motorDrive()).toBe(0);
    expect(Math.abs(rig.state.targetDb - rig.trueDb())).toBeLessThan(0.3);
    expect(rig.state.moving).toBe(false);
    expect(rig.state.faults).toBe(0);
  });

  it("a hand against a move: the motor lets go at once, never fights it, no fault", () => {
    rig.vol.setTargetDb(-35);
    settle(rig);
    rig.vol.setTargetDb(-10);
    rig.run(500);
    const from = rig.amp.clock.nowMs();
    rig.amp.handTurn(rig.amp.shaftDeg() - 25, 90);
    const tr = record(rig, 2500);
    const released = tr.find((x) => x.drive === 0 && !x.brake)!;
    expect(released.t - from).toBeLessThan(80);
    expect(tr.filter((x) => x.t > released.t && x.drive !== 0).length).toBe(0);
    expect(Math.abs(rig.state.targetDb - rig.trueDb())).toBeLessThan(0.5);
    expect(rig.state.faults).toBe(0);
  });
});

describe("pot loop at rest after a move", () => {
  /** A calibrated unit just come to rest at -35 dB. */
  function arrivedAt35(): VolumeRig {
    const rig = volumeRig({ seed: 3, targetDb: -20 });
    rig.run(2000);
    expect(calibrate(rig)).toBe("done");
    rig.vol.setTargetDb(-35);
    settle(rig);
    return rig;
  }

  it("a shaft nudged off its level by less than a hand's turn, while the estimate still sharpens, is put back once; the target stays", () => {
    const rig = arrivedAt35();
    rig.amp.handTurn(rig.amp.shaftDeg() + 0.2, 1); // (~0.15 dB at -35 dB)
    settle(rig);
    rig.run(6000);
    expect(rig.state.targetDb).toBe(-35);
    expect(Math.abs(rig.trueDb() + 35)).toBeLessThan(0.1);
  });

  it("a shaft turned further is a hand: its level becomes the target and nothing puts it back", () => {
    const rig = arrivedAt35();
    rig.amp.handTurn(rig.amp.shaftDeg() + 0.8, 1);
    settle(rig);
    rig.run(6000);
    expect(rig.state.targetDb).toBeGreaterThan(-34.7);
    expect(Math.abs(rig.trueDb() - rig.state.targetDb)).toBeLessThan(0.15);
  });
});

describe("pot loop on a slow interpreter (ticks tens of ms long)", () => {
  it("a long move lets the ticks spread out while the shaft cruises, never so far that the brake comes with fewer than five looks before it, and wants every tick from the brake on", () => {
    const rig = calibrated(23, -60);
    const waits: { t: number; wait: number }[] = [];
    let braked = -1;
    const off = rig.amp.trace(0.5, (x) => {
      if (x.brake && braked < 0) braked = x.timeMs;
    });
    rig.vol.setTargetDb(-6);
    for (let i = 0; i < 1200; i++) {
      rig.run(10);
      waits.push({ t: rig.amp.clock.nowMs(), wait: rig.vol.busy(rig.amp.clock.nowMs()) });
    }
    off();
    expect(braked).toBeGreaterThan(0);
    const cruising = waits.filter((w) => w.t < braked - 1000);
    expect(Math.max(...cruising.map((w) => w.wait))).toBeGreaterThan(5 * rig.board.tickMs);
    // (the brake instant as predicted on the way, give or take a tick)
    expect(waits.filter((w) => w.t < braked && w.wait > (braked - w.t) / 5 + rig.board.tickMs)).toEqual([]);
    expect(waits.filter((w) => w.t >= braked && w.wait > rig.board.tickMs)).toEqual([]);
    expect(Math.abs(rig.trueDb() + 6)).toBeLessThan(0.1);
  });

  for (const [from, to] of [[-60, -6], [-8, -40], [-45, -20]]) {
    it(`with the ticks as far apart as it allows (up to 400 ms), a move from ${from} to ${to} dB still arrives within 0.1 dB`, () => {
      const rig = volumeRig({ seed: 24, targetDb: from, slowTickMs: 400 });
      rig.run(2000);
      expect(calibrate(rig)).toBe("done");
      settle(rig);
      rig.vol.setTargetDb(to);
      settle(rig);
      expect(Math.abs(rig.trueDb() - to)).toBeLessThan(0.1);
      expect(rig.state.faults).toBe(0);
    });
  }
});

describe("motor faults", () => {
  it("a stalled rotor: motor off, fault reported; the next request tries again", () => {
    const rig = calibrated(22);
    rig.amp.setMotorStalled(true);
    rig.vol.setTargetDb(-15);
    const tr = record(rig, 1500);
    expect(rig.state.faults & VF_STALL).toBeTruthy();
    expect(rig.lines.some((l) => l.startsWith("FAULT motor-stall"))).toBe(true);
    const driven = tr.filter((x) => x.drive !== 0);
    expect(driven.length * 0.5).toBeLessThan(150); // ms driven into the locked rotor
    expect(tr[tr.length - 1].drive).toBe(0);
    rig.amp.setMotorStalled(false);
    expect(rig.vol.setTargetDb(-15)).toBe(OK);
    settle(rig);
    expect(rig.state.faults & VF_STALL).toBe(0);
    expect(Math.abs(rig.trueDb() + 15)).toBeLessThan(0.1);
  });

  it("reversed wiring: stopped before it runs far, latched until cleared", () => {
    const rig = calibrated(23);
    rig.amp.setMotorReversed(true);
    const before = rig.trueDb();
    rig.vol.setTargetDb(-10);
    const tr = record(rig, 1500);
    expect(rig.state.faults & VF_REVERSED).toBeTruthy();
    expect(Math.abs(rig.trueDb() - before)).toBeLessThan(1); // it ran the wrong way, but not far
    expect(tr[tr.length - 1].drive).toBe(0);
    expect(rig.vol.setTargetDb(-20)).toBe(ERR_FAULT);
    rig.run(1000);
    expect(rig.amp.motorDrive()).toBe(0);
    rig.amp.setMotorReversed(false);
    rig.vol.clearFaults();
    expect(rig.state.faults & VF_REVERSED).toBeFalsy();
    expect(rig.vol.setTargetDb(-20)).toBe(OK);
    settle(rig);
    expect(Math.abs(rig.trueDb() + 20)).toBeLessThan(0.1);
  });

  it("a move that takes far longer than the motor should: timeout, motor off", () => {
    // uncalibrated, nothing learned yet, and a motor much slower than the board says
    const rig = volumeRig({ seed: 24, sim: { unit: { fullTravelS: 30 } } });
    rig.run(100);
    rig.vol.setTargetDb(-2);
    rig.run(30000);
    expect(rig.state.faults & VF_TIMEOUT).toBeTruthy();
    expect(rig.amp.motorDrive()).toBe(0);
  });
});
