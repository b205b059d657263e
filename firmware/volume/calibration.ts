// Factory calibration: sweep the pot end to end at full drive and record both monitoring decks.
//   1. up to the top (the decks see it: both read full scale);
//   2. down from the top, noting when the decks cross a few levels, then on into the bottom end
//      stop (the bottom cannot be seen: it is reached by time, bounded by the slowest unit);
//   3. up from the end stop to the top: the crossings again and the time to the top. The two
//      crossing times of a level add up to a constant that gives the motor's spin-up lag, and the
//      time to the top then its speed;
//   4. down again from the top, then EXTRA_PASSES times up from the bottom end stop to PASS_TOP
//      (the bottom is where the decks read least): the position of every reading is known from
//      the time since the shaft left an end stop, and each reading (OVERSAMPLE ADC readings)
//      goes into a least-squares fit of each deck's deviation from the nominal taper every 5 %
//      of travel (calibrationFit.ts). A fit outside the pots of this type fails "taper".
// The result is a CalRecord (v, deck5[21], deck6[21]). The caller mutes the output, drives
// nothing else while this runs, then stores the record and loads the tables.
import { Board } from "../../boards/board";
import { exp } from "../fastMath";
import { addReading, FIT_SIZE, solveFit } from "./calibrationFit";
import { MotorDrive } from "../motorDrive";
import { CalRecord, Tables } from "./position";
import { LSB } from "../sensors";

/** Both decks below this (mean, LSB) for BLIND_TICKS: the wiper is in the part no ADC sees; then
 *  on for this share of the slowest unit's full-travel time (nominal * SLOW_FACTOR). */
const BLIND_LSB = 1;
const BLIND_TICKS = 5;
const EXTRA_SHARE = 0.13;
const SLOW_FACTOR = 1.25;
/** The top: both decks at full scale (within TOP_LSB); the sweep down starts after TOP_TICKS
 *  more there. */
const TOP_LSB = 1.5;
const TOP_TICKS = 4;
/** Rest between sweeps, braked for the first BRAKE_MS. */
const REST_MS = 200;
const BRAKE_MS = 60;
/** No change of the readings (by CHANGE_LSB) while driving for this long: the pot is not moving. */
const NO_MOTION_MS = 2500;
const CHANGE_LSB = 8;
/** Below this (fraction of travel) the decks see nothing: no "not moving" check. */
const BLIND_X = 0.12;
/** Levels (mean ratio of both decks) whose crossing times give the spin-up lag. */
const CROSS = new Float64Array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.15, 0.1]); // (typed: ~8 JsVars, not ~21)
/** Passes up from the bottom end stop to PASS_TOP after the sweep down; END_PUSH: how far into the
 *  end stop to drive (by time). */
const EXTRA_PASSES = 2;
const PASS_TOP = 0.35;
const END_PUSH = 0.005;
/** Readings of each deck per tick in the measured sweeps (ADC noise averages down). */
const OVERSAMPLE = 4;
/** Brake travel after the last pass (ms at full speed), for where the shaft is left. */
const BRAKE_GUESS_MS = 6;
const P_IDLE = 0;
const P_TOP = 1;
const P_DOWN = 2;
const P_UP = 3;
const P_MEAS = 4;
const P_RETURN = 5;
const P_REST = 6;
const P_DONE = 7;
const P_FAILED = 8;
/** Status percent at the start of each phase. */
const PERCENT = new Int8Array([0, 0, 15, 40, 70, 70]);
const NC = CROSS.length;

export interface Calibration {
  running(): boolean;
  /** "idle" | "running <percent>" | "done" | "failed <reason>" */
  status(): string;
  start(t: number): void;
  abort(): void;
  /** One tick while running (drives the motor); returns the record once, when it succeeds. */
  tick(t: number, r5: number, r6: number): CalRecord | null;
  /** Learned: full-drive speed (per ms), spin-up time constant (ms), where the shaft was left. */
  speed: number;
  tauS: number;
  endX: number;
}

export function startCalibration(o: {
  board: Board;
  tables: Tables;
  motor: MotorDrive;
  /** One more ADC reading of a deck (0 = deck 5). */
  readDeck?: (deck: number) => number;
}): Calibration {
  const tab = o.tables;
  const motor = o.motor;
  const slowMs = o.board.pot.fullTravelS * 1000 * SLOW_FACTOR;
  // the fit's normal equations (made when the first measured reading comes, ~40 % into the
  // sweep: its ~65 JsVars are not also taken at the start, when memory is tightest)
  let A: Float64Array | null = null;
  const tUp = new Float64Array(NC);
  const tDn = new Float64Array(NC);
  let phase = P_IDLE;
  let next = P_IDLE; // phase after the rest in progress
  let pending: CalRecord | null = null;
  let why = "";
  let t0 = 0; // phase start
  let until = 0;
  let blindN = 0;
  let cross = 0;
  let mPrev = 0;
  let tPrev = 0; // (readings are not a tick apart on a busy interpreter: interpolate by time)
  let lowT = 0; // last two readings below the top, for the arrival time
  let lowM = 0;
  let lowT0 = -1;
  let lowM0 = 0;
  let mRef = 0;
  let changedT = 0;
  let tDn0 = 0;
  let tUp0 = 0;
  let spin = 1; // exp(-(t - t0) / tauS): the spin-up transient of a measured sweep
  let mDir = -1; // measured sweep: direction, start (an end stop), passes made
  let mX0 = 1;
  let passes = 0;
  let lastX = 1;

  const c: Calibration = {
    speed: 0,
    tauS: 45,
    endX: 0,
    running: function () {
      return phase > P_IDLE && phase < P_DONE;
    },
    status: function () {
      if (phase === P_DONE) return "done";
      if (phase === P_FAILED) return "failed " + why;
      if (phase === P_IDLE) return "idle";
      const ph = phase === P_REST ? next : phase;
      return "running " + (ph === P_DONE ? 99 : Math.floor(PERCENT[ph] + (ph >= P_MEAS ? (29 * passes) / (EXTRA_PASSES + 1) : 0)));
    },
    start: function (t) {
      A = null;
      tab.load(null); // fit against the nominal taper
      phase = P_TOP;
      t0 = changedT = t;
      until = blindN = 0;
      mRef = -1;
      pending = null;
      lastX = 1;
      motor.drive(1);
    },
    abort: function () {
      if (c.running()) fail("aborted");
    },
    tick: function (t, r5, r6) {
      const m = (r5 + r6) / 2;
      const top = r5 >= 1 - TOP_LSB * LSB && r6 >= 1 - TOP_LSB * LSB;
      let j: number;
      if (!c.running()) return null;
      if (phase !== P_REST && phase !== P_RETURN && !top && lastX > BLIND_X) {
        if (mRef < 0 || m - mRef > CHANGE_LSB * LSB || mRef - m > CHANGE_LSB * LSB) {
          mRef = m;
          changedT = t;
        } else if (t - changedT > NO_MOTION_MS && !(phase === P_DOWN && until > 0)) {
          fail("no-motion");
          return null;
        }
      }
      if (phase === P_TOP) {
        // on into the end stop a little: the decks can read "top" a hair before it
        blindN = top ? blindN + 1 : 0;
        if (blindN > TOP_TICKS) rest(t, P_DOWN);
        else if (t - t0 > 1.3 * slowMs) fail("no-top");
      } else if (phase === P_DOWN) {
        for (; cross < NC && m <= CROSS[cross]; cross++) tDn[cross] = t - ((t - tPrev) * (CROSS[cross] - m)) / (mPrev - m > LSB ? mPrev - m : LSB);
        if (until === 0) {
          blindN = m < BLIND_LSB * LSB ? blindN + 1 : 0;
          if (blindN >= BLIND_TICKS) until = t + EXTRA_SHARE * slowMs;
          if (t - t0 > 1.3 * slowMs) fail("no-bottom");
        } else if (t >= until) rest(t, P_UP);
      } else if (phase === P_REST) {
        if (t - t0 >= BRAKE_MS) motor.stop();
        if (t >= until) {
          phase = next;
          if (next === P_DONE) return pending;
          if (next === P_DOWN) tDn0 = t;
          blindN = 0;
          if (next === P_UP) tUp0 = t;
          t0 = changedT = t;
          until = next === P_RETURN ? t + (lastX + END_PUSH) / c.speed + c.tauS : 0;
          mRef = -1;
          cross = 0;
          spin = 1;
          motor.drive(next === P_UP || (next === P_MEAS && mDir > 0) ? 1 : -1);
        }
      } else if (phase === P_UP) {
        for (; cross < NC && m >= CROSS[NC - 1 - cross]; cross++) {
          j = NC - 1 - cross;
          tUp[j] = t - ((t - tPrev) * (m - CROSS[j])) / (m - mPrev > LSB ? m - mPrev : LSB);
        }
        if (top) {
          // arrival: where the last two readings below the top were heading (the top may be seen
          // a tick or two late: a reading at the stop can come out a little low)
          const rate = (lowM - lowM0) / (lowT - lowT0);
          let tArr = rate > 0 ? lowT + (1 - lowM) / rate : t - (t - tPrev) / 2;
          tArr = tArr < lowT ? lowT : tArr > t ? t : tArr;
          let sum = 0;
          for (j = 0; j < NC; j++) sum += tDn[j] - tDn0 + tUp[j] - tArr;
          c.tauS = sum / NC;
          c.speed = 1 / (tArr - tUp0 - c.tauS);
          if (cross < NC || !(c.tauS > 5 && c.tauS < 200) || tArr - tUp0 < (0.4 * slowMs) / SLOW_FACTOR) fail("speed");
          else {
            mDir = -1;
            mX0 = 1;
            passes = 0;
            rest(t, P_MEAS);
          }
        } else if (t - t0 > 1.3 * slowMs) fail("no-top");
      } else if (phase === P_RETURN) {
        if (t >= until) up(t);
      } else if (phase === P_MEAS) {
        // where the shaft is, from the time since it left an end stop at full speed
        spin = exp((t0 - t) / c.tauS);
        const x = mX0 + mDir * c.speed * (t - t0 - c.tauS * (1 - spin));
        lastX = x;
        if (mDir < 0 && x <= -END_PUSH) up(t);
        else if (mDir > 0 && x >= PASS_TOP) {
          if (++passes < EXTRA_PASSES) rest(t, P_RETURN);
          else {
            c.endX = x + c.speed * BRAKE_GUESS_MS;
            pending = finish();
            if (pending) rest(t, P_DONE);
          }
          return null;
        } else if (x > 0 && x < 1) {
          if (o.readDeck) {
            for (j = 1; j < OVERSAMPLE; j++) {
              r5 += o.readDeck(0);
              r6 += o.readDeck(1);
            }
            r5 /= OVERSAMPLE;
            r6 /= OVERSAMPLE;
          }
          if (!A) A = new Float64Array(FIT_SIZE);
          addReading(A, tab, x, r5, r6);
        }
      }
      if (m < 1 - 3 * TOP_LSB * LSB) {
        lowT0 = lowT;
        lowM0 = lowM;
        lowT = t;
        lowM = m;
      }
      mPrev = m;
      tPrev = t;
      return null;
    },
  };

  function fail(reason: string) {
    motor.stop();
    phase = P_FAILED;
    why = reason;
  }

  /** Next measured pass: up from the bottom end stop. */
  function up(t: number) {
    mDir = 1;
    mX0 = 0;
    rest(t, P_MEAS);
  }

  function rest(t: number, after: number) {
    motor.brake();
    phase = P_REST;
    next = after;
    t0 = t;
    until = t + REST_MS;
  }

  /** The record, or null (failed "fit", or "taper": a pot outside what this type can be). */
  function finish(): CalRecord | null {
    const r = solveFit(A || new Float64Array(FIT_SIZE));
    if (typeof r !== "number") return r;
    fail(r === 2 ? "taper" : "fit");
    return null;
  }

  return c;
}
