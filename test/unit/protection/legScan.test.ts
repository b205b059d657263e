// The DC fast path's leg scan over the simulated amp (direct ADC pins on the Pico, a 4:1 mux on
// the MDBT42Q): every leg read correctly, and a step seen within one scan period.
import { BOARDS } from "../../../boards/index";
import { SCAN_MS, startLegScan } from "../../../firmware/legScan";
import { createSimAmp } from "../../../hal/sim/amp";
import { createSimHal } from "../../../hal/sim/simHal";

describe.each(Object.keys(BOARDS))("leg scan on %s", (name) => {
  const board = BOARDS[name];

  function rig(seed = 1) {
    const amp = createSimAmp(board, { seed });
    const hal = createSimHal(amp);
    const trips: { leg: number; v: number; t: number }[] = [];
    const scan = startLegScan(hal, board, (leg, v, t) => trips.push({ leg, v, t }));
    return { amp, scan, trips };
  }

  test("each leg reads its own DC (the mux is given its settle time)", () => {
    const t = rig();
    const volts = [0.05, -0.2, 0.3, -0.45];
    volts.forEach((v, leg) => t.amp.setLegDc(leg as 0 | 1 | 2 | 3, v));
    t.amp.clock.advance(3 * SCAN_MS);
    const dst = [9, 9, 9, 9];
    t.scan.copyTo(dst);
    volts.forEach((v, leg) => expect(Math.abs(dst[leg] - v)).toBeLessThan(0.01));
    expect(t.trips).toEqual([]);
  });

  test("legs near the fast threshold together are not a trip; each leg is judged alone", () => {
    const t = rig();
    // four legs at 0.4 V: their mean square passes the scan's screen (0.5 V on one leg), no leg is beyond it
    for (let leg = 0; leg < 4; leg++) t.amp.setLegDc(leg as 0 | 1 | 2 | 3, leg % 2 ? -0.45 : 0.45);
    t.amp.clock.advance(10 * SCAN_MS);
    expect(t.trips).toEqual([]);
    t.amp.setLegDc(1, -0.6);
    t.amp.clock.advance(2 * SCAN_MS);
    expect(t.trips.map((x) => x.leg)).toContain(1);
    expect(t.trips.every((x) => x.leg === 1)).toBe(true);
  });

  test("a 1 V step on any leg at any phase is reported within one scan period", () => {
    let worst = 0;
    for (let leg = 0; leg < 4; leg++) {
      for (let phase = 0; phase < 20; phase++) {
        const t = rig(leg * 100 + phase);
        t.amp.clock.advance(50 + (phase * SCAN_MS) / 20);
        const at = t.amp.clock.nowMs();
        t.amp.setLegDc(leg as 0 | 1 | 2 | 3, phase % 2 ? 1 : -1);
        t.amp.clock.advance(2 * SCAN_MS);
        expect(t.trips.length).toBeGreaterThan(0);
        expect(t.trips[0].leg).toBe(leg);
        expect(Math.abs(Math.abs(t.trips[0].v) - 1)).toBeLessThan(0.02);
        worst = Math.max(worst, t.trips[0].t - at);
      }
    }
    expect(worst).toBeLessThanOrEqual(SCAN_MS + 0.5);
  });
});

describe("mux leg scan (MDBT42Q)", () => {
  // a recording HAL: what the leg scan asks of it
  function muxRig() {
    const board = BOARDS.mdbt42q;
    const calls: unknown[][] = [];
    let screen: () => void = () => undefined;
    const timers: unknown[] = [];
    const legs = [0.5, 0.5, 0.5, 0.5];
    const hal = {
      nowMs: () => 0,
      every: (...a: unknown[]) => timers.push(a),
      after: (...a: unknown[]) => timers.push(a),
      pin: (n: string) => n,
      watchMux: (...a: unknown[]) => {
        calls.push(a.slice(0, 6));
        screen = a[6] as () => void;
        return { last: () => legs, poll: () => undefined };
      },
      watchAnalog: () => {
        throw new Error("a mux board has no analog watch");
      },
    };
    const fast: number[] = [];
    startLegScan(hal as unknown as Parameters<typeof startLegScan>[0], board, (leg) => fast.push(leg));
    return { board, calls, timers, legs, fast, screen: () => screen() };
  }

  test("one mux watch in the HAL (one pass a scan on the device: four timed steps took most of its CPU), no timers of its own", () => {
    const r = muxRig();
    const d = r.board.dcSense as Extract<typeof r.board.dcSense, { kind: "mux" }>;
    const vPerRatio = r.board.adc.vref * r.board.adc.dcGain;
    expect(r.calls).toEqual([[d.adc, d.select, d.settleMs, 0.5, r.board.protection.dcFastV / vPerRatio, SCAN_MS]]);
    expect(r.timers).toEqual([]);
  });

  test("a screen that passes checks each leg: only the one beyond the fast threshold trips", () => {
    const r = muxRig();
    r.legs[2] = 0.5 + (1.2 * r.board.protection.dcFastV) / (r.board.adc.vref * r.board.adc.dcGain);
    r.screen();
    expect(r.fast).toEqual([2]);
  });
});
