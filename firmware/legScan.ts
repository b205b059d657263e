// The DC fast path: reads the four output legs every SCAN_MS on its own timer, between control
// ticks, and calls onFast at once for a leg beyond ±dcFastV. A 1 V step must open the output
// relay within 10 ms: worst case = one scan period (the step lands just after a read) + the
// relay's release time (<= 4 ms) + the mux steps, so the period is half a 10 ms tick.
// legV holds the latest value of each leg; the tick copies it into the readings, so the slow
// filter always sees fresh, correctly multiplexed samples.
//
// Mux boards: each leg is selected, then read settleMs later from a one-shot timer (a read right
// after the select would still see the previously selected leg), so one scan is four short steps.
// Nothing here allocates per scan: the step function and the arrays are made once.
import { Board } from "../boards/board";
import { Clock, Gpio, PinId } from "../hal/hal";

/** Half a 10 ms tick: worst detection 5 ms + relay release 4 ms stays under 10 ms. */
export const SCAN_MS = 5;

export interface LegScan {
  /** Latest DC of each leg L+, L−, R+, R−, volts. */
  legV: number[];
  /** Copies legV into dst (no allocation). */
  copyTo(dst: number[]): void;
}

/** onFast(leg, volts, tMs): a leg beyond the fast threshold, called from the scan at once. */
export function startLegScan(hal: Clock & Gpio, b: Board, onFast: (leg: number, volts: number, tMs: number) => void): LegScan {
  const dc = b.dcSense;
  const direct = dc.kind === "direct";
  const fastV = b.protection.dcFastV;
  const half = b.adc.vref / 2;
  const legV = [0, 0, 0, 0];
  const pins: PinId[] = [];
  let adc: PinId, s0: PinId, s1: PinId;
  let settleMs = 0;
  let step = 0;
  let i: number;

  function check(leg: number, ratio: number) {
    const v = (ratio * b.adc.vref - half) * b.adc.dcGain;
    legV[leg] = v;
    if (v > fastV || v < -fastV) onFast(leg, v, hal.nowMs());
  }

  function select(leg: number) {
    hal.write(s0, (leg & 1) !== 0);
    hal.write(s1, (leg & 2) !== 0);
  }

  function muxStep() {
    check(step, hal.analog(adc));
    step++;
    if (step < 4) {
      select(step);
      hal.after(settleMs, muxStep);
    }
  }

  function scan() {
    if (direct) {
      for (let k = 0; k < 4; k++) check(k, hal.analog(pins[k]));
      return;
    }
    step = 0;
    select(0);
    hal.after(settleMs, muxStep);
  }

  if (direct) for (i = 0; i < 4; i++) pins.push(hal.pin(dc.pins[i]));
  else {
    adc = hal.pin(dc.adc);
    s0 = hal.pin(dc.select[0]);
    s1 = hal.pin(dc.select[1]);
    settleMs = dc.settleMs;
  }
  // Offset by a quarter tick so the scan's mux steps never interleave with the tick's own reads.
  scan();
  hal.after(b.tickMs / 4, function () {
    scan();
    hal.every(SCAN_MS, scan);
  });

  return {
    legV: legV,
    copyTo: function (dst) {
      for (let k = 0; k < 4; k++) dst[k] = legV[k];
    },
  };
}
