// The closed loop on the pot: the unit around the observer (observer.ts: where the shaft is), the
// brake planner (brakePlanner.ts: when to brake) and the motor's time constants (timeConstants.ts,
// learned move by move). It owns the motor and the one-shot timer and runs a small mode machine:
// full drive (few looks while the brake is far off: cruiseMs); the brake on a one-shot timer (not
// rounded to the tick, and looked at between a tick's parts) so that the shaft coasts to rest a
// little short of the target; once stopped, a check and at most MAX_CORRECTIONS short corrections,
// and one more once the estimate at rest is sharper. Direction changes wait reverseRestMs. The end
// stops (0 dB, the floor) are reached by driving into them and braking just after the arrival.
// Surprise stops the motor at once and follows the shaft (free mode) until it is still; then
// driveJudge.ts tells a hand (its place becomes the target), a stall, reversed wiring, the model.
import { brakeIn, END_EPS } from "./brakePlanner";
import { MODE_FREE, MODE_IDLE, MODE_MOVE, MODE_SETTLE, MODE_STOP, MODE_WAIT_REV, Observer, PotLoop, PotLoopOptions } from "./loopContracts";
import { driveTravel, JUDGED_MODEL, judgeDrive, tooSlow } from "./driveJudge";
import { startObserver, TAU_C } from "./observer";
import { learnBrake, learnSpinUp } from "./timeConstants";
import { VF_ENDSTOP, VF_TIMEOUT } from "../faults";

const BRAKE = 2;
/** Surprise: the CUSUM level that means motion the model did not make. */
const SURPRISE = 8;
/** Schedule the brake once it is due within this many ticks (re-planned every tick), a tick
 *  being the time between the last two (on a busy interpreter far more than tickMs). */
const PLAN_TICKS = 2;
/** Looks at a cruising shaft before its brake is scheduled (the ticks may be that far apart: cruiseMs). */
const CRUISE_LOOKS = 5;
const GAP_MAX_MS = 500;
/** The brake is held this many brake time constants before the bridge is released (a shaft still creeping would coast on). */
const STOP_TAUS = 10;
/** Settling: decide at once when sure, else average the readings up to this long (ms). */
const SETTLE_MAX_MS = 300;
const MAX_CORRECTIONS = 2;
/** After a move the estimate sharpens on averaged readings (an ADC code is ~0.1 dB at -35 dB): one
 *  more correction per request when it shows the shaft LATE_SD sd out of tolerance. */
const LATE_SD = 3;
/** Then a miss of over MISS_TOLS tolerances is move-timeout, above MISS_FLOOR_DB (below: the ADC's). */
const MISS_TOLS = 4;
const MISS_FLOOR_DB = -50;
/** Move timeout: predicted time * factor + slack (ms) + this many ticks (up to GAP_MAX_MS each on a Pico). */
const TIMEOUT_FACTOR = 1.6;
const TIMEOUT_SLACK_MS = 800;
const TIMEOUT_GAPS = 4;
/** Free mode: still (the estimate within STILL_DX for STILL_MS) = let go. A motor runs on for at
 *  most QUICK_MS after it is cut. */
const STILL_DX = 0.004;
const STILL_MS = 250;
const QUICK_MS = 200;
/** Surprises per request the motor's own motion explains (the model wrong) before it is a fault. */
const MAX_MISSES = 3;

export function startPotLoop(o: PotLoopOptions): PotLoop {
  const tab = o.tables;
  const motor = o.motor;
  const tick = o.tickMs;
  let brakeAt = 0; // when the scheduled brake is due
  let xDb = 0; // the target's level and tolerance (aim)
  let xTol = 0;
  let lastT = 0; // the last tick, and the time from the one before (ms)
  let gap = tick;
  /** Between the parts of a tick: the DC fast path, and the brake if it is due (its timer
   *  cannot fire while a tick runs, and a tick on the interpreter is tens of ms). */
  function attend() {
    o.poll();
    if (timer >= 0 && o.now() >= brakeAt) brakeNow();
  }
  const O: Observer = startObserver(tab, tick, o.speed, attend);
  let seated = false;
  let dir = 0;
  let endT = -1e9; // when the last drive ended
  let timer = -1;
  let atEnd = false;
  let moveT0 = 0;
  let limit = 0;
  let segT0 = 0;
  let learned = false;
  let segU = 0;
  const segZ = [0, 0]; // the decks' readings when this drive started, or last at rest
  let segP0 = 0;
  let segPP0 = 0;
  let stopT = 0;
  let brakeP = 0;
  let brakeV = 0;
  let brakePP = 0;
  let settleT = 0;
  let corr = 0;
  let late = 0; // late corrections left for this request
  let freeT = 0;
  let stillT = 0;
  let stillP = 0;
  let movedT = 0;
  let judge = 0;
  let judgeP0 = 0;
  let judgeExp = 0;
  let asked = false; // a request came while following a hand: go there when it lets go
  let misses = 0; // surprises this request that were the model's, not a hand's

  const L: PotLoop = {
    // (the observer's estimate and per-deck arrays, shared)
    shaftX: O.shaftX, shaftVar: O.shaftVar, mode: MODE_IDLE, goalX: NaN, reversals: 0,
    predicted: O.predicted, innovation: O.innovation, fused: O.fused, usable: O.usable, gainDiff: 0,
    moving: function () { return L.mode >= MODE_MOVE && L.mode <= MODE_WAIT_REV; },
    cruiseMs: tick,
    tick: onTick,
    attend: attend,
    set: set,
    halt: function () {
      late = 0; // (protection stopped it: nothing moves again until the next request)
      off();
      if (O.free) O.exitFree();
      L.mode = MODE_IDLE;
    },
    place: function (t, at, speed, ts) {
      O.at(t);
      O.shaftX = at;
      O.shaftVar = 1e-7; // (the sweep left it there, to within its own resolution)
      O.u = speed;
      O.pu = O.phi = O.cmd = 0;
      O.taus(ts, O.tauB);
      O.sigS = 2.5;
      seated = true;
      O.newTables();
    },
    lost: function () {
      seated = false;
      O.newTables();
    },
  };

  // ---- control ----
  function cancelTimer() {
    if (timer >= 0) o.cancel(timer);
    timer = -1;
  }

  /** Bridge released (coasting), no timer. At the instant of the command, not the tick's: on the
   *  interpreter a tick's readings are tens of ms old by the time it decides. */
  function off() {
    cancelTimer();
    const t = o.now();
    if (O.cmd === 1 || O.cmd === -1) endT = t;
    O.setCmd(t, 0);
    motor.stop();
  }

  function brakeNow() {
    cancelTimer(); // (the timer's own call, or ahead of it from attend)
    const t = o.now();
    O.setCmd(t, BRAKE);
    motor.brake();
    endT = stopT = t;
    brakeP = O.shaftX;
    brakeV = O.u * O.phi;
    brakePP = O.shaftVar;
    L.mode = MODE_STOP;
  }

  /** (Every caller has just attended: a brake already due comes out of the plan as tau 0.) */
  function plan(t: number) {
    const tau = brakeIn(O, dir, L.goalX, atEnd, (PLAN_TICKS + 1) * gap);
    cancelTimer();
    if (tau <= 0.05) brakeNow();
    else if (tau < PLAN_TICKS * gap) {
      brakeAt = t + tau;
      timer = o.after(brakeNow, brakeAt - o.now());
    } else L.cruiseMs = tau / CRUISE_LOOKS; // (the scheduler never waits less than a tick)
  }

  function drive(s: number) {
    attend();
    const t = o.now(); // (the motor starts now, not when the tick's readings were taken)
    if (s !== dir && t < endT + o.reverseRestMs) {
      L.mode = MODE_WAIT_REV;
      return;
    }
    if (dir && s !== dir) L.reversals++;
    dir = s;
    segT0 = t;
    segU = O.u;
    segZ[0] = O.reading[0];
    segZ[1] = O.reading[1];
    learned = false;
    segP0 = O.shaftX;
    segPP0 = O.shaftVar;
    O.setCmd(t, s);
    motor.drive(s);
    L.mode = MODE_MOVE;
    plan(t);
  }

  function there(): boolean {
    return atEnd ? (L.goalX > 0 ? O.shaftX >= 1 - END_EPS : O.shaftX <= END_EPS) : missDb() <= xTol;
  }

  /** How far (dB) the estimate is from the target. */
  function missDb(): number {
    const e = xDb - tab.dbAt(2, O.shaftX);
    return e < 0 ? -e : e;
  }

  /** The target x, its level and tolerance (looked up once: each is a table lookup). */
  function aim(x: number) {
    L.goalX = x;
    xDb = tab.dbAt(2, x);
    xTol = o.tolDb(x);
  }

  function set(t: number, x: number) {
    O.advance(t);
    attend();
    aim(x);
    atEnd = x >= 1 || x <= 0;
    if (L.mode === MODE_FREE || !seated) {
      // a hand on the knob: the request is carried out once it lets go; boot: once seated
      asked = true;
      return;
    }
    if (!asked) misses = 0; // (a new request, not the resumption of one)
    asked = false;
    const p = O.shaftX;
    const s = x > p ? 1 : -1;
    moveT0 = t;
    limit = (TIMEOUT_FACTOR * (x > p ? x - p : p - x)) / O.u + TIMEOUT_SLACK_MS + TIMEOUT_GAPS * gap;
    corr = 0;
    late = 1;
    attend();
    if (L.mode === MODE_MOVE) {
      if (s === dir) plan(t);
      else brakeNow();
    } else if (L.mode !== MODE_STOP) {
      // (braking: the settling check decides once the shaft has stopped)
      L.reversals = 0;
      if (there()) L.mode = MODE_IDLE;
      else drive(s);
    }
  }

  function onTick(t: number, r5: number, r6: number, n: number) {
    if (!seated) {
      O.at(t);
      O.reading[0] = r5;
      O.reading[1] = r6;
      O.seat();
      seated = true;
      if (L.goalX === L.goalX) set(t, L.goalX);
    }
    const g = t - lastT;
    lastT = t;
    gap = g > tick ? (g < GAP_MAX_MS ? g : GAP_MAX_MS) : tick;
    O.observe(t, r5, r6, n);
    attend();
    L.cruiseMs = tick; // (plan says otherwise while the brake is far off)
    control(t);
    L.shaftX = O.shaftX;
    L.shaftVar = O.shaftVar;
    L.gainDiff = O.gainDiff;
  }

  function control(t: number) {
    const m = L.mode;
    if (m === MODE_FREE) return freeTick(t);
    const dt = t - segT0;
    if (O.gp > SURPRISE || O.gn > SURPRISE || (m === MODE_MOVE && tooSlow(O, dir * (O.shaftX - segP0), segPP0, segU, dt))) return surprised(t, m, dt);
    // (not within the limit, rather than past it: a limit that is not a number times out too)
    if (m !== MODE_IDLE && !(t - moveT0 <= limit)) return fail(VF_TIMEOUT);
    if ((m === MODE_IDLE || m === MODE_SETTLE) && O.gp === 0 && O.gn === 0) {
      segZ[0] = O.reading[0]; // (at rest, the readings as the model has them: what a surprise's motion is measured from)
      segZ[1] = O.reading[1];
    }
    if (m === MODE_MOVE) {
      // at an end stop that is not the target: the estimate or the wiring is wrong
      if (!atEnd && ((dir > 0 && O.shaftX >= 1) || (dir < 0 && O.shaftX <= 0))) return fail(VF_ENDSTOP);
      if (!learned && dt >= 6 * O.tauS) {
        learned = true; // (the spin-up, once the drive is at speed)
        learnSpinUp(O, dt, dir * (O.shaftX - segP0), segPP0);
      }
      plan(t);
    } else if (m === MODE_STOP) {
      if (O.phi === 0 && t - stopT >= STOP_TAUS * O.tauB) {
        O.setCmd(o.now(), 0);
        motor.stop();
        L.mode = MODE_SETTLE;
        settleT = t;
      }
    } else if (m === MODE_SETTLE) settle(t);
    else if (m === MODE_IDLE && late) recheck(t);
    else if (m === MODE_WAIT_REV && t >= endT + o.reverseRestMs) drive(L.goalX > O.shaftX ? 1 : -1);
  }

  function surprised(t: number, m: number, dt: number) {
    // judged once still; a drive against how far it went (to the brake, if braking) and coasts on
    const braking = m === MODE_STOP;
    judge = m === MODE_MOVE || braking ? dir : 0;
    judgeP0 = segP0;
    judgeExp = driveTravel(segU, O.tauS, braking ? stopT - segT0 : dt, braking ? O.tauB : TAU_C);
    off();
    O.u = segU; // the motor's speed as it was known before this drive
    O.enterFree();
    L.mode = MODE_FREE;
    freeT = stillT = movedT = t;
    stillP = O.shaftX;
  }

  function settle(t: number) {
    const e = L.goalX - O.shaftX;
    const ae = e < 0 ? -e : e;
    const sd = Math.sqrt(O.shaftVar);
    const ok = there(); // (once: each look is two table lookups)
    attend();
    if (ok || ae > 2 * sd || t - settleT >= SETTLE_MAX_MS) {
      if (brakeV > 1e-9 || brakeV < -1e-9) learnBrake(O, brakeV, brakeP, brakePP); // (once a brake)
      brakeV = 0;
      // out of corrections, well off (MISS_TOLS tolerances) and surely (2 sd): said, not left silently
      if (!ok && corr >= MAX_CORRECTIONS && !atEnd && missDb() > MISS_TOLS * xTol && ae > 2 * sd && xDb > MISS_FLOOR_DB) fail(VF_TIMEOUT);
      else if (ok || corr >= MAX_CORRECTIONS || ae <= sd) L.mode = MODE_IDLE;
      else {
        corr++;
        moveT0 = t; // (a correction has a time limit of its own)
        limit = (TIMEOUT_FACTOR * ae) / O.u + TIMEOUT_SLACK_MS + TIMEOUT_GAPS * gap;
        drive(e > 0 ? 1 : -1);
      }
    }
  }

  /** At rest: the sharper estimate, on readings both decks agreed on (a deck going bad is deck
   *  health's), says the shaft is surely off: one short correction more (not below MISS_FLOOR_DB). */
  function recheck(t: number) {
    const e = L.goalX - O.shaftX;
    if (atEnd || xDb <= MISS_FLOOR_DB || !(O.fused[0] && O.fused[1]) || there() || (e < 0 ? -e : e) <= LATE_SD * Math.sqrt(O.shaftVar)) return;
    late = 0;
    corr = MAX_CORRECTIONS - 1; // (the settling check corrects once; a miss past it is a fault)
    settleT = 0; // (decided at once)
    settle(t);
  }

  function fail(code: number) {
    late = 0;
    off();
    L.mode = MODE_IDLE;
    o.fault(code);
    o.adopt(O.shaftX);
  }

  function freeTick(t: number) {
    const dp = O.shaftX - stillP;
    if (dp > STILL_DX || dp < -STILL_DX) {
      stillP = O.shaftX;
      stillT = movedT = t;
    }
    if (t - stillT < STILL_MS) return;
    // (nothing driven: judge, rel and ez 0, and quick then says nothing. quick: as the ticks came,
    // one gap late; ez: how far the drive should have moved deck 5's reading)
    const ez = judge ? tab.ratioAt(0, judgeP0 + judge * judgeExp) - tab.ratioAt(0, judgeP0) : 0;
    let f = judgeDrive(O, segZ, (judge * (O.shaftX - judgeP0)) / judgeExp, movedT - freeT < QUICK_MS + gap, ez);
    if (f === JUDGED_MODEL) {
      // go on to the target (a model that keeps failing is a fault, said, then the place adopted)
      f = ++misses > MAX_MISSES ? VF_TIMEOUT : 0;
      if (!f) asked = true;
    }
    if (f) {
      o.fault(f);
      asked = false; // a motor fault: nothing more is driven until the next request
    }
    judge = 0;
    O.exitFree();
    L.mode = MODE_IDLE;
    if (asked && L.goalX === L.goalX) set(t, L.goalX);
    else {
      late = 0;
      aim(O.shaftX);
      o.adopt(O.shaftX);
    }
  }

  return L;
}
