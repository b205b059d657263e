// The protection supervisor as pure logic: readings and events in, mute reasons and faults out.
import PICO from "../../../boards/pico";
import { newAmpState } from "../../../firmware/ampState";
import {
  FAULT_AC_LOSS,
  FAULT_DC_CREEP,
  FAULT_DC_STEP,
  FAULT_DERATE,
  FAULT_NTC,
  FAULT_OC_LEFT,
  FAULT_OC_RIGHT,
  FAULT_RAIL,
  FAULT_SE_PLUG,
  FAULT_THERMAL,
  faultCode,
  faultNames,
} from "../../../firmware/faults";
import { MUTE_DC, MUTE_OVER_CURRENT, MUTE_POWER_ON, MUTE_RAIL, MUTE_THERMAL } from "../../../firmware/muteReasons";
import { startProtection } from "../../../firmware/protection";
import { Readings } from "../../../firmware/sensors";

const P = PICO.protection;

function rig() {
  const state = newAmpState();
  const log: { code: number; t: number; a: number; b: number; repeat: boolean }[] = [];
  const prot = startProtection(PICO, state, 0, (code, t, a, b, repeat) => log.push({ code, t, a, b, repeat }));
  const r: Readings = { nowMs: 0, deck5: 0, deck6: 0, legV: [0, 0, 0, 0], railV: 30, acPresent: true, heatC: 25, jacks: 0 };
  let reasons = 0;
  return {
    state,
    prot,
    r,
    log,
    reasons: () => reasons,
    run(ms: number) {
      for (let i = 0; i < ms / PICO.tickMs; i++) {
        r.nowMs += PICO.tickMs;
        reasons = prot.tick(r);
      }
    },
    /** Run until the reasons are 0 (or the limit); returns the time taken. */
    timeToClear(limitMs: number): number {
      const t0 = r.nowMs;
      while (r.nowMs - t0 < limitMs) {
        this.run(PICO.tickMs);
        if (reasons === 0) return r.nowMs - t0;
      }
      return Infinity;
    },
  };
}

describe("power-on", () => {
  test("muted for the power-on delay, then clear with good rails and legs", () => {
    const t = rig();
    t.run(P.powerOnDelayMs - 20);
    expect(t.reasons()).toBe(MUTE_POWER_ON);
    expect(t.state.powerOk).toBe(false);
    t.run(40);
    expect(t.reasons()).toBe(0);
    expect(t.state.powerOk).toBe(true);
  });

  test("a leg outside the window at power-on keeps it muted", () => {
    const t = rig();
    t.r.legV[2] = 0.12;
    t.run(3000);
    expect(t.reasons() & MUTE_POWER_ON).toBeTruthy();
    expect(t.reasons() & MUTE_DC).toBeTruthy();
    expect(t.state.faults).toBe(FAULT_DC_CREEP);
  });

  test("the delay counts from the rails becoming good, not only from boot", () => {
    const t = rig();
    t.r.railV = 10;
    t.run(2000);
    expect(t.reasons() & MUTE_RAIL).toBeTruthy();
    t.r.railV = 30;
    t.run(P.powerOnDelayMs - 20);
    expect(t.reasons()).toBe(MUTE_POWER_ON);
    t.run(40);
    expect(t.reasons()).toBe(0);
  });
});

describe("DC", () => {
  test("slow window: a filtered leg beyond ±80 mV mutes; small noise and short spikes do not", () => {
    const t = rig();
    t.run(1100);
    for (let i = 0; i < 100; i++) {
      t.r.legV[0] = i % 2 ? 0.06 : -0.06;
      t.r.legV[1] = i % 10 === 0 ? 0.3 : 0; // one-tick spikes below the fast threshold
      t.run(10);
      expect(t.reasons()).toBe(0);
    }
    t.r.legV[0] = 0;
    t.r.legV[1] = -0.1;
    t.run(300);
    expect(t.reasons()).toBe(MUTE_DC);
    expect(t.state.faults).toBe(FAULT_DC_CREEP);
    expect(t.log).toEqual([{ code: faultCode(FAULT_DC_CREEP), t: expect.any(Number), a: 1, b: expect.any(Number), repeat: false }]);
    expect(t.log[0].b).toBeLessThan(-80);
  });

  test("creep retries by itself once the legs are back inside half the window for 2 s", () => {
    const t = rig();
    t.run(1100);
    t.r.legV[3] = 0.2;
    t.run(200);
    expect(t.reasons()).toBe(MUTE_DC);
    t.r.legV[3] = 0.05; // inside the window but not inside half of it
    t.run(5000);
    expect(t.reasons()).toBe(MUTE_DC);
    t.r.legV[3] = 0.01;
    const took = t.timeToClear(5000);
    expect(took).toBeGreaterThanOrEqual(2000);
    expect(took).toBeLessThan(2500);
  });

  test("a step beyond the fast threshold latches until cleared with the legs back in the window", () => {
    const t = rig();
    t.run(1100);
    t.r.legV[1] = 1;
    t.run(10);
    expect(t.reasons()).toBe(MUTE_DC);
    expect(t.state.faults & FAULT_DC_STEP).toBeTruthy();
    expect(t.prot.clear(t.r.nowMs)).toBe(5); // still there
    t.r.legV[1] = 0;
    t.run(10000);
    expect(t.reasons()).toBe(MUTE_DC);
    expect(t.state.faults).toBe(FAULT_DC_STEP);
    expect(t.prot.clear(t.r.nowMs)).toBe(0);
    t.run(10);
    expect(t.reasons()).toBe(0);
  });

  test("a short that comes straight back after each clear: clears are held off 1, 2, 4 s..., the repeats counted, not logged anew", () => {
    const t = rig();
    t.run(1100);
    const trip = () => t.prot.overCurrent(0, t.r.nowMs, false, 1);
    trip();
    expect(t.state.faults & FAULT_OC_LEFT).toBeTruthy();
    for (const holdMs of [1000, 2000, 4000]) {
      expect(t.prot.clear(t.r.nowMs)).toBe(0);
      expect(t.state.faults & FAULT_OC_LEFT).toBe(0);
      t.run(10); // the relay closes into the short: the comparator again
      trip();
      expect(t.log[t.log.length - 1]).toMatchObject({ code: 3, repeat: true });
      t.run(holdMs - 100);
      expect(t.prot.clear(t.r.nowMs)).toBe(5); // held off: nothing changes
      expect(t.state.faults & FAULT_OC_LEFT).toBeTruthy();
      t.run(110);
    }
    expect(t.log.filter((e) => !e.repeat && e.code === 3)).toHaveLength(1);
    // cleared and not back: the next short is a new episode, logged anew, held off from 1 s again
    expect(t.prot.clear(t.r.nowMs)).toBe(0);
    t.run(5000);
    trip();
    expect(t.log[t.log.length - 1]).toMatchObject({ code: 3, repeat: false });
    expect(t.prot.clear(t.r.nowMs)).toBe(0);
    t.run(10);
    trip();
    t.run(1010);
    expect(t.prot.clear(t.r.nowMs)).toBe(0);
  });

  test("dcFast from the leg scan latches at once, logged with leg and millivolts", () => {
    const t = rig();
    t.run(1100);
    t.prot.dcFast(2, -1.0, 1234.5);
    expect(t.prot.reasons()).toBe(MUTE_DC);
    t.prot.dcFast(2, -1.1, 1236);
    expect(t.log).toEqual([{ code: faultCode(FAULT_DC_STEP), t: 1234.5, a: 2, b: -1000, repeat: false }]);
  });

  test("a NaN leg reading counts as out of the window", () => {
    const t = rig();
    t.run(1100);
    t.r.legV[0] = NaN;
    t.run(10);
    expect(t.reasons()).toBe(MUTE_DC);
  });
});

describe("over-current", () => {
  test("one channel latches that channel; clear lets it retry", () => {
    const t = rig();
    t.run(1100);
    t.prot.overCurrent(1, 1100.2, false, 1);
    expect(t.prot.reasons()).toBe(MUTE_OVER_CURRENT);
    t.run(5000);
    expect(t.reasons()).toBe(MUTE_OVER_CURRENT);
    expect(t.state.faults).toBe(FAULT_OC_RIGHT);
    t.prot.plugRemoved(1); // pulling the plug does not clear a plain short
    t.run(10);
    expect(t.reasons()).toBe(MUTE_OVER_CURRENT);
    expect(t.prot.clear(t.r.nowMs)).toBe(0);
    t.run(10);
    expect(t.reasons()).toBe(0);
  });

  test("both channels at once on a TRRS out: a single-ended plug, cleared by pulling it out", () => {
    const t = rig();
    t.run(1100);
    t.prot.overCurrent(0, 1100.1, true, 1);
    t.prot.overCurrent(1, 1100.1, true, 1);
    expect(t.state.faults).toBe(FAULT_SE_PLUG);
    expect(faultNames(t.state.faults)).toBe("se-plug");
    t.run(100);
    expect(t.reasons()).toBe(MUTE_OVER_CURRENT);
    t.prot.plugRemoved(0); // another jack: no
    t.run(10);
    expect(t.reasons()).toBe(MUTE_OVER_CURRENT);
    t.prot.plugRemoved(1);
    t.run(10);
    expect(t.reasons()).toBe(0);
    expect(t.log.map((e) => e.code)).toEqual([faultCode(FAULT_SE_PLUG)]);
    expect(t.log[0]).toMatchObject({ a: 3, b: 1 });
  });

  test("the pair is also found from the edge times when the second comparator fires later", () => {
    const t = rig();
    t.run(1100);
    t.prot.overCurrent(1, 1100.1, false, 0);
    expect(t.state.faults).toBe(FAULT_OC_RIGHT);
    t.prot.overCurrent(0, 1101.0, false, 0);
    expect(t.state.faults).toBe(FAULT_SE_PLUG);
  });

  test("both channels on a non-TRRS output is a short on both, not a plug", () => {
    const t = rig();
    t.run(1100);
    t.prot.overCurrent(0, 1100.1, true, 3);
    expect(t.state.faults).toBe(FAULT_OC_LEFT | FAULT_OC_RIGHT);
    t.prot.overCurrent(1, 1105, false, 3);
    t.prot.overCurrent(0, 1200, false, 3);
    expect(t.state.faults).toBe(FAULT_OC_LEFT | FAULT_OC_RIGHT);
  });
});

describe("thermal", () => {
  test("derate at 60 caps 6 dB below the level then; trip at 70; re-arm below 45; derate lifts below 55", () => {
    const t = rig();
    t.state.targetDb = -20;
    t.state.out = "bal44";
    t.run(1100);
    const steps: [number, number, number][] = [
      // heat, expected reasons, expected faults
      [59, 0, 0],
      [61, 0, FAULT_DERATE],
      [69, 0, FAULT_DERATE],
      [70, MUTE_THERMAL, FAULT_DERATE | FAULT_THERMAL],
      [50, MUTE_THERMAL, FAULT_THERMAL], // derate has lifted (below 55), the trip holds
      [46, MUTE_THERMAL, FAULT_THERMAL],
      [44, 0, 0],
    ];
    for (const [heat, reasons, faults] of steps) {
      t.r.heatC = heat;
      t.run(10);
      expect([heat, t.reasons(), t.state.faults]).toEqual([heat, reasons, faults]);
      if (heat === 61) expect(t.state.derateCapDb).toBe(-20 + PICO.outputs.offsetDb.bal44 - 6);
    }
    expect(t.state.derateCapDb).toBe(99);
    t.r.heatC = 61;
    t.run(10);
    t.r.heatC = 56; // inside the derate hysteresis
    t.run(10);
    expect(t.state.faults).toBe(FAULT_DERATE);
    t.r.heatC = 54;
    t.run(10);
    expect(t.state.faults).toBe(0);
  });

  test("an open or shorted thermistor mutes (temperature unknown) until it reads sanely", () => {
    const t = rig();
    t.run(1100);
    t.r.heatC = -273.15;
    t.run(10);
    expect(t.reasons()).toBe(MUTE_THERMAL);
    expect(t.state.faults).toBe(FAULT_NTC);
    t.r.heatC = Infinity;
    t.run(10);
    expect(t.state.faults & (FAULT_NTC | FAULT_THERMAL)).toBe(FAULT_NTC | FAULT_THERMAL);
    t.r.heatC = 30;
    t.run(10);
    expect(t.reasons()).toBe(0);
  });
});

describe("power", () => {
  test("AC loss: mute at once, flash forbidden, a full power-on delay after it returns", () => {
    const t = rig();
    t.run(1500);
    expect(t.state.powerOk).toBe(true);
    t.prot.acLost(1500.5);
    expect(t.prot.reasons() & MUTE_RAIL).toBeTruthy();
    expect(t.prot.powerLost()).toBe(true);
    expect(t.state.powerOk).toBe(false);
    t.r.acPresent = false;
    t.run(200);
    expect(t.state.faults).toBe(FAULT_AC_LOSS);
    expect(t.reasons()).toBe(MUTE_RAIL | MUTE_POWER_ON);
    t.r.acPresent = true;
    t.run(10);
    expect(t.prot.powerLost()).toBe(false);
    expect(t.reasons()).toBe(MUTE_POWER_ON);
    const took = t.timeToClear(3000);
    expect(took).toBeGreaterThanOrEqual(P.powerOnDelayMs - 10);
    expect(took).toBeLessThanOrEqual(P.powerOnDelayMs + 10);
    expect(t.log.map((e) => e.code)).toEqual([faultCode(FAULT_AC_LOSS)]);
  });

  test("rail sag with AC present", () => {
    const t = rig();
    t.run(1500);
    t.r.railV = P.railMinV - 1;
    t.run(10);
    expect(t.reasons() & MUTE_RAIL).toBeTruthy();
    expect(t.state.faults).toBe(FAULT_RAIL);
    expect(t.state.powerOk).toBe(false);
  });
});
