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

describe("mux leg scan on a busy interpreter (MDBT42Q)", () => {
  // a hand-driven HAL: the periodic scan is called when the test says, the mux's one-shot timers
  // fire only when the test lets them (on the device a long tick holds timers off while the
  // interval's due calls come)
  function busyRig() {
    const board = BOARDS.mdbt42q;
    const pending: (() => void)[] = [];
    let periodic: () => void = () => undefined;
    let reads = 0;
    const hal = {
      nowMs: () => 0,
      every: (fn: () => void) => {
        periodic = fn;
        return 1;
      },
      retime: () => undefined,
      after: (fn: () => void) => {
        pending.push(fn);
        return pending.length;
      },
      cancel: () => undefined,
      pin: (n: string) => n,
      write: () => undefined,
      read: () => false,
      analog: () => {
        reads++;
        return 0.5;
      },
      pwm: () => undefined,
      inputPullUp: () => undefined,
      watch: () => 1,
      watchAnalog: () => {
        throw new Error("a mux board has no analog watch");
      },
    };
    startLegScan(hal as unknown as Parameters<typeof startLegScan>[0], board, () => undefined);
    return { pending, scan: () => periodic(), reads: () => reads };
  }

  test("periods that come while a scan's timers are held off start no second scan (timers piled up until memory ran out)", () => {
    const r = busyRig();
    expect(r.pending.length).toBe(1); // (the first scan, started with the unit)
    for (let i = 0; i < 20; i++) r.scan();
    expect(r.pending.length).toBe(1);
    // the held-off scan runs to its end: four legs read, one timer at a time
    for (let k = 0; k < 4; k++) r.pending.shift()!();
    expect(r.reads()).toBe(4);
    expect(r.pending.length).toBe(0);
    r.scan(); // and the next period starts the next scan
    expect(r.pending.length).toBe(1);
  });
});
