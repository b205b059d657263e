// The oracle for the volume bench, and the measurement of one move on the simulated amplifier.
//
// Oracle: the fastest move the unit's own motor allows, computed in the same simulation: the sim's
// motor model (hal/sim/motorPot.ts, the unit's exact parameters) run directly from the true start
// angle at rest, full drive, then the brake at the last possible instant so that the shaft comes to
// rest exactly on the angle where the unit's true left/right mean attenuation equals the target
// (found by bisection). A target at the top end stop (0 dB) is reached by full drive into the stop.
// Its time runs to the instant the shaft stops (the same criterion as the measured move).
import { angleToAudioDb } from "../../hal/sim/decks";
import { MotorPot } from "../../hal/sim/motorPot";
import { SimAmp, UnitParams } from "../../hal/sim/types";

/** The sim's physics step (the shaft stops on this grid). */
const STEP_MS = 0.5;

export function meanDbAt(unit: UnitParams, deg: number): number {
  return (angleToAudioDb(unit, "left", deg) + angleToAudioDb(unit, "right", deg)) / 2;
}

/** Angle where the true mean attenuation is db (the top end stop for 0 dB, the bottom one for
 *  -Infinity). */
export function angleForDb(unit: UnitParams, db: number): number {
  if (db >= 0) return unit.travelDeg;
  if (db === -Infinity) return 0;
  let lo = 0;
  let hi = unit.travelDeg;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (meanDbAt(unit, mid) < db) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

function motorOf(unit: UnitParams, startDeg: number): MotorPot {
  return new MotorPot(
    {
      travelDeg: unit.travelDeg,
      fullTravelS: unit.fullTravelS,
      deadZone: unit.deadZone,
      spinUpMs: unit.spinUpMs,
      coastMs: unit.coastMs,
      brakeMs: unit.brakeMs,
      runMa: unit.motorRunMa,
      slipMa: unit.motorSlipMa,
      stallMa: unit.motorStallMa,
    },
    startDeg,
    STEP_MS,
  );
}

/** Drive full for driveMs, then brake until the shaft stops: final angle and total time (ms). */
function driveThenBrake(unit: UnitParams, startDeg: number, dir: number, driveMs: number): { deg: number; ms: number } {
  const m = motorOf(unit, startDeg);
  m.setDuty(dir > 0 ? "A" : "B", 1);
  m.step(driveMs); // exact for a constant input
  m.setDuty(dir > 0 ? "B" : "A", 1); // both inputs high: brake
  let ms = driveMs;
  // stop on the sim's grid: the remainder of the current step, then whole steps
  const rem = STEP_MS - (driveMs % STEP_MS);
  if (rem > 1e-9 && rem < STEP_MS) {
    m.step(rem);
    ms += rem;
  }
  for (let i = 0; i < 100000 && m.speedDegS() !== 0; i++) {
    m.step(STEP_MS);
    ms += STEP_MS;
  }
  return { deg: m.angleDeg(), ms };
}

/** Oracle move time in ms from rest at startDeg to rest on targetDeg. */
export function oracleMs(unit: UnitParams, startDeg: number, targetDeg: number): number {
  const dir = targetDeg > startDeg ? 1 : -1;
  if (targetDeg >= unit.travelDeg || targetDeg <= 0) {
    // into an end stop: the time the shaft gets there at full drive
    let lo = 0;
    let hi = 60000;
    for (let i = 0; i < 60; i++) {
      const mid = (lo + hi) / 2;
      const m = motorOf(unit, startDeg);
      m.setDuty(dir > 0 ? "A" : "B", 1);
      m.step(mid);
      if (dir > 0 ? m.angleDeg() >= unit.travelDeg : m.angleDeg() <= 0) hi = mid;
      else lo = mid;
    }
    return hi;
  }
  let lo = 0;
  let hi = 60000;
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2;
    const r = driveThenBrake(unit, startDeg, dir, mid);
    if (dir * (r.deg - targetDeg) < 0) lo = mid;
    else hi = mid;
  }
  return driveThenBrake(unit, startDeg, dir, hi).ms;
}

export interface MoveResult {
  timeS: number;
  oracleTimeS: number;
  timeRatio: number;
  overshootDb: number;
  finalErrorDb: number;
  reversals: number;
  settled: boolean;
}

/**
 * One move on a running amp: `issue()` sends the request (now); the truth is sampled every
 * physics step until the shaft has been still, with the bridge released, for quietMs (a late
 * correction inside that window still counts), or maxMs. The move's time runs from the request to
 * the last instant the shaft moved. Overshoot: how far the true mean level went past the target in
 * the direction of travel. Final error: true mean level at rest minus the target.
 */
export function measureMove(amp: SimAmp, targetDb: number, issue: () => void, opts: { quietMs?: number; maxMs?: number; floorDb?: number } = {}): MoveResult {
  const unit = amp.unit;
  const quietMs = opts.quietMs ?? 600;
  const startDeg = amp.shaftDeg();
  const startDb = meanDbAt(unit, startDeg);
  const targetDeg = angleForDb(unit, targetDb);
  const dir = targetDeg > startDeg ? 1 : -1;
  const oMs = Math.abs(targetDeg - startDeg) < 1e-9 ? 0 : oracleMs(unit, startDeg, targetDeg);
  const maxMs = opts.maxMs ?? 3 * oMs + 4000;
  const t0 = amp.clock.nowMs();
  let lastMove = t0;
  let extreme = startDb;
  let reversals = 0;
  let lastSign = 0;
  let quietSince = -1;
  let settled = false;
  const stop = amp.trace(STEP_MS, (s) => {
    const db = (s.leftDb + s.rightDb) / 2;
    if (s.shaftSpeed !== 0) lastMove = s.timeMs;
    if (dir > 0 ? db > extreme : db < extreme) extreme = db;
    const sign = s.brake ? 0 : s.drive > 0 ? 1 : s.drive < 0 ? -1 : 0;
    if (sign !== 0) {
      if (lastSign !== 0 && sign !== lastSign) reversals++;
      lastSign = sign;
    }
    const still = s.shaftSpeed === 0 && !s.brake && s.drive === 0;
    if (!still) quietSince = -1;
    else if (quietSince < 0) quietSince = s.timeMs;
  });
  issue();
  while (amp.clock.nowMs() - t0 < maxMs) {
    amp.clock.advance(20);
    if (quietSince >= 0 && amp.clock.nowMs() - quietSince >= quietMs && amp.clock.nowMs() - t0 > 30) {
      settled = true;
      break;
    }
  }
  stop();
  const finalDb = meanDbAt(unit, amp.shaftDeg());
  const timeMs = lastMove - t0;
  // an end stop as the target: nothing lies past it; at the bottom one, "as quiet or quieter
  // than the floor" is on target
  const past = targetDb === -Infinity || targetDb >= 0 ? 0 : dir > 0 ? extreme - targetDb : targetDb - extreme;
  return {
    timeS: timeMs / 1000,
    oracleTimeS: oMs / 1000,
    timeRatio: oMs > 0 ? timeMs / oMs : 1,
    overshootDb: past > 0 ? past : 0,
    finalErrorDb: targetDb === -Infinity ? (finalDb > opts.floorDb! ? finalDb - opts.floorDb! : 0) : finalDb - targetDb,
    reversals,
    settled,
  };
}
