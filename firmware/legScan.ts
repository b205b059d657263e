// The DC fast path: the four output legs read every SCAN_MS on their own timer, between control
// ticks, and onFast called at once for a leg beyond ±dcFastV. A 1 V step must open the output
// relay within 10 ms: worst case = one scan period (the step lands just after a read) + a control
// tick in progress (a scan cannot run during one: on the interpreter a full tick still takes tens
// of ms, issue 9) + the relay's release time.
//
// Direct boards: the HAL's analog watch reads the four pins natively and screens them with one
// native mean square; only a scan that passes the screen costs more than ~20 tokens. Mux boards:
// the HAL's mux watch selects each leg and reads it once the mux has settled, all four in one
// pass (~150 tokens: four one-shot timers a scan took ~350), the same screen.
// The tick reads the latest volts of each leg through copyTo (the slow DC filter's input).
import { Board, DcSense } from "../boards/board";
import { AnalogWatch, Clock, Gpio, PinId } from "../hal/hal";

type DirectLegs = Extract<DcSense, { kind: "direct" }>;
type MuxLegs = Extract<DcSense, { kind: "mux" }>;

/** Half a 10 ms tick: worst detection 5 ms + relay release 4 ms stays under 10 ms. */
export const SCAN_MS = 5;
/** After a trip, the legs are looked at again this often (ms) while the screen still passes. */
const RECHECK_MS = 100;
/** The legs are biased at mid-rail: a ratio of 0.5 is 0 V. */
const MID = 0.5;

export interface LegScan {
  /** Latest DC of each leg L+, L−, R+, R− into dst, volts. */
  copyTo(dst: number[]): void;
  /** A fast-path scan now (direct boards; a mux scan is a timed sequence and runs on its own):
   *  long work calls it between its parts, as a tick in progress holds the periodic scan off. */
  poll(): void;
}

/** onFast(leg, volts, tMs): a leg beyond the fast threshold, called from the scan at once. */
export function startLegScan(hal: Clock & Gpio, b: Board, onFast: (leg: number, volts: number, tMs: number) => void): LegScan {
  const dc = b.dcSense;
  const fastV = b.protection.dcFastV;
  const vPerRatio = b.adc.vref * b.adc.dcGain;
  let w: AnalogWatch;
  let i: number;

  let calmUntilMs = 0;
  // after a trip the screen keeps passing while the DC lasts: the relay is open and the fault
  // latched, so a look every RECHECK_MS is enough (a full look on every scan is ~360 tokens, and
  // a function's whole body is lexed on every call: the look is a function of its own)
  function check() {
    const now = hal.nowMs();
    if (now >= calmUntilMs) look(now);
  }
  function look(now: number) {
    const r = w.last();
    for (let k = 0; k < 4; k++) {
      const v = (r[k] - MID) * vPerRatio;
      if (v > fastV || v < -fastV) {
        onFast(k, v, now);
        calmUntilMs = now + RECHECK_MS;
      }
    }
  }

  // (the built board's kind, folded by the minifier: firmware/buildKinds.d.ts)
  if (typeof AMP_DC_DIRECT === "boolean" ? AMP_DC_DIRECT : dc.kind === "direct") {
    const legs = (dc as DirectLegs).pins;
    const pins: PinId[] = [];
    for (i = 0; i < 4; i++) pins.push(hal.pin(legs[i]));
    w = hal.watchAnalog(pins, MID, fastV / vPerRatio, SCAN_MS, check);
  } else {
    const mux = dc as MuxLegs;
    w = hal.watchMux(hal.pin(mux.adc), [hal.pin(mux.select[0]), hal.pin(mux.select[1])], mux.settleMs, MID, fastV / vPerRatio, SCAN_MS, check);
  }

  return {
    poll: w.poll,
    copyTo: function (dst) {
      const r = w.last();
      const g = vPerRatio;
      dst[0] = (r[0] - MID) * g; // (unrolled: every tick)
      dst[1] = (r[1] - MID) * g;
      dst[2] = (r[2] - MID) * g;
      dst[3] = (r[3] - MID) * g;
    },
  };
}
