// The protection supervisor: pure logic over the readings, the time and a few events (edges the
// shell watches). It keeps the fault set (faults.ts) and returns the protection mute reasons; the
// shell ORs them with the others and drives the output (mute) relay. Boot state is "power-on"
// (the relay starts open and closes only once safety is proven).
//
//   power-on   rails present and stable for powerOnDelayMs, counted from boot and from the rails
//              becoming good, and every leg's filtered DC inside the window
//   DC         slow window: each leg low-pass filtered (DC_FILTER_TAU_MS) against ±dcWindowV,
//              auto-retry once back inside half the window for DC_RETRY_MS; fast path: any raw
//              sample beyond ±dcFastV (from the tick or the 5 ms leg scan) latches dc-step
//   over-current  comparator edges (events): latch per channel; both channels within OC_PAIR_MS
//              on a TRRS output is a single-ended plug in a TRRS jack (latched until cleared or
//              the plug is pulled out)
//   thermal    derate at derateC (volume capped THERMAL_DERATE_DB below the level then), trip
//              (mute) at tripC, re-arm below rearmC; derate lifts DERATE_HYST_C below derateC
//   power      AC loss (edge event or the pin) or rail below railMinV: mute, re-run power-on;
//              state.powerOk (flash writes allowed) only once power is back and stable
import { Board } from "../boards/board";
import { AmpState, VOLUME_NO_LIMIT_DB } from "./ampState";
import { ERR_FAULT, OK } from "./controls";
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
  LATCHING_FAULTS,
  PROTECTION_FAULTS,
} from "./faults";
import { heardDb } from "./volume/volumeLimits";
import { MUTE_DC, MUTE_OVER_CURRENT, MUTE_POWER_ON, MUTE_RAIL, MUTE_THERMAL } from "./muteReasons";
import { Readings } from "./sensors";
import { FaultLogger, Protection } from "./protectionContract";

/** bootMs: when the firmware started (the power-on delay counts from it too); log: the fault log. */
export function startProtection(board: Board, state: AmpState, bootMs: number, log: FaultLogger): Protection {
  /** Slow DC filter: rejects spikes and audio residue, still sees a creep within ~0.1-0.3 s. */
  const DC_FILTER_TAU_MS = 100;
  /** A creep fault retries once every filtered leg is back inside this fraction of the window... */
  const DC_REARM_FRACTION = 0.5;
  /** ...for this long (an output stage that drifts out and back should not chatter the relay). */
  const DC_RETRY_MS = 2000;
  /** A TRS plug in a TRRS jack grounds both cold legs: both comparators fire together. */
  const OC_PAIR_MS = 2;
  /** Derate lowers the level by this much (a quarter of the power) and caps it there. */
  const THERMAL_DERATE_DB = 6;
  const DERATE_HYST_C = 5;
  /** Outside this range the thermistor is open or shorted: the temperature is unknown. */
  const NTC_MIN_C = -40;
  const NTC_MAX_C = 150;
  const DC_FAULTS = FAULT_DC_CREEP | FAULT_DC_STEP;
  const OC_FAULTS = FAULT_OC_LEFT | FAULT_OC_RIGHT | FAULT_SE_PLUG;
  const TRRS_MASK = 3; // bal44, bal35 (OUTPUT_NAMES order)
  /** A latched fault back within RETRIP_MS of the clear that dropped it is still there: clears
   *  are refused for BACKOFF_MS, doubling with each trip back, up to BACKOFF_MAX_MS (a short
   *  that is still there sees the relay close into it a few times, not at every clear). */
  const RETRIP_MS = 3000;
  const BACKOFF_MS = 1000;
  const BACKOFF_MAX_MS = 60000;

  const p = board.protection;
  const th = p.thermal;
  let k = 0; // the DC filter's gain for the tick's period (it changes: scheduler.ts)
  let kDt = 0;
  let lastMs = bootMs;
  /** Half the DC window: legs (and their filters) inside it need no filtering at rest. */
  const quietV = p.dcWindowV * DC_REARM_FRACTION;
  let filteredQuiet = false;
  const filtered = new Float64Array(4); // (typed: a few JsVars where an array of floats holds ~9)
  let reasons = MUTE_POWER_ON;
  let faults = 0;
  let stableSinceMs = -1;
  let dcCleanSinceMs = -1;
  let lost = false;
  let railSeenOk = false; // a rail still coming up (boot, mains back) is power-on, not a sag
  const lastOcMs = new Float64Array([-1e9, -1e9]);
  let seOutput = -1;
  // Values logged with the next new fault (set where the fault is seen).
  let logA = 0;
  let logB = 0;
  let clearedMs = -1e9; // the last clear, what it dropped, trips back since, refused until then
  let clearedBits = 0;
  let retrips = 0;
  let holdUntilMs = -1e9;
  let cameBack = false; // a fault the last clear dropped has come back

  /** Sets fault bits, logs the new ones (one back straight after its clear is a repeat). */
  function raise(bits: number, tMs: number) {
    const fresh = bits & ~faults;
    faults |= bits;
    state.faults = (state.faults & ~PROTECTION_FAULTS) | faults;
    // (a fault still there is raised every tick: the log's loop is lexed only for a new one)
    if (fresh) logFresh(fresh, tMs);
  }

  function logFresh(fresh: number, tMs: number) {
    for (let i = 0; i < 10; i++) {
      if (!(fresh & (1 << i))) continue;
      const back = (clearedBits & (1 << i)) !== 0 && tMs - clearedMs <= RETRIP_MS;
      if (back) {
        const hold = BACKOFF_MS * Math.pow(2, retrips < 6 ? retrips : 6);
        retrips++;
        holdUntilMs = tMs + (hold < BACKOFF_MAX_MS ? hold : BACKOFF_MAX_MS);
        clearedBits &= ~(1 << i);
        cameBack = true;
      }
      log(i + 1, tMs, logA, logB, back); // code = bit index + 1
    }
  }

  function drop(bits: number) {
    faults &= ~bits;
    state.faults = (state.faults & ~PROTECTION_FAULTS) | faults;
  }

  function legsIn(limitV: number): boolean {
    for (let i = 0; i < 4; i++) if (!(filtered[i] <= limitV && filtered[i] >= -limitV)) return false;
    return true;
  }

  function dcFast(leg: number, volts: number, tMs: number) {
    if (faults & FAULT_DC_STEP) return;
    logA = leg;
    logB = volts * 1000;
    raise(FAULT_DC_STEP, tMs);
    reasons |= MUTE_DC;
  }

  /** At rest and all well (the common case: ~70 tokens where the full check is ~1,000; the
   *  interpreter lexes a function's whole body even after a return, so the full check is a
   *  function of its own): connected, no fault, power present, cool, every leg and its filter
   *  well inside half the DC window. */
  function tick(r: Readings): number {
    const L = r.legV;
    const q = quietV;
    if (
      reasons === 0 && faults === 0 && r.acPresent && r.railV >= p.railMinV && r.heatC < th.derateC && r.heatC > NTC_MIN_C &&
      L[0] < q && L[0] > -q && L[1] < q && L[1] > -q && L[2] < q && L[2] > -q && L[3] < q && L[3] > -q && filteredQuiet
    ) {
      lastMs = r.nowMs;
      state.powerOk = true;
      return 0;
    }
    return fullTick(r);
  }

  function fullTick(r: Readings): number {
    const now = r.nowMs;
    const dt = now - lastMs;
    lastMs = now;
    if (dt !== kDt) {
      kDt = dt;
      k = 1 - Math.exp(-dt / DC_FILTER_TAU_MS);
    }
    const ac = r.acPresent;
    const h = r.heatC;
    let i: number;

    // ---- power: AC loss or a rail sag mutes; power back means a fresh power-on sequence ----
    const railOk = r.railV >= p.railMinV;
    lost = !ac || !railOk;
    logA = r.railV * 10;
    logB = 0;
    if (!ac) {
      raise(FAULT_AC_LOSS, now);
      railSeenOk = false;
    } else {
      drop(FAULT_AC_LOSS);
      if (railOk) railSeenOk = true;
    }
    if (ac && !railOk && railSeenOk) raise(FAULT_RAIL, now);
    else drop(FAULT_RAIL);
    if (lost) {
      stableSinceMs = -1;
      reasons |= MUTE_POWER_ON;
    } else if (stableSinceMs < 0) stableSinceMs = now;
    state.powerOk = stableSinceMs >= 0 && now - stableSinceMs >= p.powerOnDelayMs;

    // ---- DC: the fast threshold on each sample, the slow window on the filtered legs ----
    let worst = 0;
    let worstLeg = 0;
    for (i = 0; i < 4; i++) {
      const v = r.legV[i];
      if (v > p.dcFastV || v < -p.dcFastV) dcFast(i, v, now);
      let f = filtered[i] + (v - filtered[i]) * k;
      if (f !== f) f = v !== v ? 1 : v; // a NaN reading counts as out of the window
      filtered[i] = f;
      const a = f < 0 ? -f : f;
      if (a > worst) {
        worst = a;
        worstLeg = i;
      }
    }
    if (worst > p.dcWindowV) {
      logA = worstLeg;
      logB = filtered[worstLeg] * 1000;
      raise(FAULT_DC_CREEP, now);
      dcCleanSinceMs = -1;
    } else if (worst > p.dcWindowV * DC_REARM_FRACTION) dcCleanSinceMs = -1;
    else if (dcCleanSinceMs < 0) dcCleanSinceMs = now;
    if (faults & FAULT_DC_CREEP && dcCleanSinceMs >= 0 && now - dcCleanSinceMs >= DC_RETRY_MS) drop(FAULT_DC_CREEP);

    // ---- thermal: thermistor sanity, trip / re-arm, derate ----
    logA = h;
    logB = 0;
    if (!(h >= NTC_MIN_C && h <= NTC_MAX_C)) raise(FAULT_NTC, now);
    else drop(FAULT_NTC);
    if (h >= th.tripC) raise(FAULT_THERMAL, now);
    else if (h < th.rearmC) drop(FAULT_THERMAL);
    if (h >= th.derateC) {
      if (!(faults & FAULT_DERATE)) {
        // Cap at 6 dB below what the listener hears now (pot + gain + this output's offset).
        state.derateCapDb = heardDb(state, board, state.targetDb) - THERMAL_DERATE_DB;
        raise(FAULT_DERATE, now);
      }
    } else if (h < th.derateC - DERATE_HYST_C && faults & FAULT_DERATE) {
      drop(FAULT_DERATE);
      state.derateCapDb = VOLUME_NO_LIMIT_DB;
    }

    filteredQuiet = legsIn(quietV);

    // ---- the mute reasons ----
    let out = reasons & MUTE_POWER_ON;
    if (out && state.powerOk && now - bootMs >= p.powerOnDelayMs && !(faults & DC_FAULTS) && legsIn(p.dcWindowV)) out = 0;
    if (lost) out |= MUTE_RAIL;
    if (faults & DC_FAULTS) out |= MUTE_DC;
    if (faults & OC_FAULTS) out |= MUTE_OVER_CURRENT;
    if (faults & (FAULT_THERMAL | FAULT_NTC)) out |= MUTE_THERMAL;
    reasons = out;
    return out;
  }

  function overCurrent(channel: number, tMs: number, otherLow: boolean, live: number) {
    lastOcMs[channel] = tMs;
    const pair = otherLow || tMs - lastOcMs[1 - channel] <= OC_PAIR_MS;
    logA = pair ? 3 : channel + 1;
    logB = live;
    if (pair && live >= 0 && (1 << live) & TRRS_MASK) {
      seOutput = live;
      drop(FAULT_OC_LEFT | FAULT_OC_RIGHT);
      raise(FAULT_SE_PLUG, tMs);
    } else if (!(faults & FAULT_SE_PLUG)) raise(pair ? FAULT_OC_LEFT | FAULT_OC_RIGHT : channel ? FAULT_OC_RIGHT : FAULT_OC_LEFT, tMs);
    reasons |= MUTE_OVER_CURRENT;
  }

  function acLost(tMs: number) {
    lost = true;
    stableSinceMs = -1;
    state.powerOk = false;
    logA = 0;
    logB = 0;
    raise(FAULT_AC_LOSS, tMs);
    reasons |= MUTE_RAIL | MUTE_POWER_ON;
  }

  return {
    tick: tick,
    reasons: function () {
      return reasons;
    },
    dcFast: dcFast,
    overCurrent: overCurrent,
    acLost: acLost,
    plugRemoved: function (i) {
      if (faults & FAULT_SE_PLUG && i === seOutput) drop(FAULT_SE_PLUG);
    },
    clear: function (nowMs) {
      const latched = faults & LATCHING_FAULTS;
      if ((faults & FAULT_DC_STEP && !legsIn(p.dcWindowV)) || (latched && nowMs < holdUntilMs)) return ERR_FAULT;
      if (!latched) return OK;
      if (!cameBack) retrips = 0; // the last clear held: a new episode
      cameBack = false;
      clearedMs = nowMs;
      clearedBits = latched;
      drop(latched);
      return OK;
    },
    powerLost: function () {
      return lost;
    },
  };
}

