// Volume subsystem (docs/volume.md): the decks -> where the shaft is and how to drive it
// (potController); deck health and L/R tracking (deckMonitor), calibration, gain staging around
// them. It keeps state.targetDb/actualDb/leftDb/rightDb/trackErrDb/moving/degraded and its fault
// bits current, and says FAULT/CLEAR/INFO lines through o.report. Levels: pot attenuation in dB;
// 0 dB and the floor (board.volume.minDb) are the two end stops.
import { ERR_BUSY, ERR_FAULT, ERR_RANGE, OK } from "../controls";
import { MUTE_LEVEL, MUTE_SWITCHING } from "../muteReasons";
import { Readings } from "../sensors";
import { MODE_FREE, MODE_IDLE, MODE_MOVE, VolumeOptions, VolumeUnit } from "./loopContracts";
import { Calibration, startCalibration } from "./calibration";
import { DECK_FROZEN, DECK_OK, DECK_RAIL, startDeckMonitor } from "./deckMonitor";
import { startGainStaging } from "./gainStaging";
import { CalRecord, startTables } from "./position";
import { SEAT_PP } from "./observer";
import { startPotLoop } from "./potController";
import { tooLoudToConnect } from "./volumeLimits";
import { faultCode, faultCodeName, VF_DECK5, VF_REVERSED, VF_SOFT, VF_TRACKING, VOLUME_FAULTS } from "../faults";

/** Close enough to stop correcting, dB, at levels down to TOL_AT_DB[i] (and below the last). */
const TOL_AT_DB = [-30, -42, -60];
const TOL_DB = [0.05, 0.07, 0.15, 0.4];
/** The level gate lifts the estimate by this many sd, when that is above UNSURE_FROM_DB (lower,
 *  the decks read a few LSB: every possibility is far below hearing). */
const UNSURE_SD = 2;
const UNSURE_FROM_DB = -50;
/** At rest, readings within this of the last full update's (ratio, 5 LSB: two readings of a still
 *  wiper differ by up to twice the ADC's ±2 LSB) are no news; a full update every FULL_EVERY_MS. */
const QUIET = 5 / 4095;
const FULL_EVERY_MS = 1000;
/** At rest for this long (ms) after the last news, the averaged updates stop: a still wiper has
 *  told the estimate all it can; a reading that moves is news again (a full update: ~50 ms of a Pico). */
const SETTLE_MS = 5000;
/** After readings that moved: full updates this long (ms) before resting again. */
const HOLD_MS = 1500;
const MON_EVERY = 3;

export function startVolume(o: VolumeOptions): VolumeUnit {
  const board = o.board;
  const st = o.state;
  const motor = o.motor;
  const floor = board.volume.minDb;
  const tab = startTables();
  let record = o.loadCalibration ? o.loadCalibration() : null;
  tab.load(record);
  let vf = 0;
  let noDeck = false;
  let calTarget = NaN;
  let calibrating = false;
  let booted = false;
  let returning = false; // after a calibration: muted until the pot is back where it was
  let fullT = -1e9; // the last full update, and the decks' readings then
  let holdT = 0;
  let settleT = 0;
  let settled = false; // at rest, well, and past settleT at the last full update
  let rested = false; // the pot has come to rest once since power-on
  let a5 = 0; // readings summed at rest since the last full update, and how many
  let a6 = 0;
  let an = 0;
  let monN = 0;
  let f5 = -1;
  let f6 = -1;
  const poll = o.poll || function () {};
  const loop = startPotLoop({
    tables: tab,
    poll: poll,
    motor: motor,
    tickMs: board.tickMs,
    reverseRestMs: board.motor.reverseRestMs,
    speed: 1 / (board.pot.fullTravelS * 1000),
    now: o.now,
    after: o.after,
    cancel: o.cancel,
    tolDb: function (x) {
      const l = tab.dbAt(2, x);
      let i = 0;
      while (i < TOL_AT_DB.length && l < TOL_AT_DB[i]) i++;
      return TOL_DB[i];
    },
    fault: function (code) {
      flag(code, true, "");
    },
    adopt: function (x) {
      st.targetDb = shown(tab.dbAt(2, x));
    },
  });
  const mon = startDeckMonitor({ board: board, loop: loop, poll: loop.attend });
  // The calibration exists only while it runs (~230 JsVars); between runs, its last status line.
  let cal: Calibration | null = null;
  let calLast = "idle";
  const calRunning = (): boolean => cal !== null && cal.running();
  const staging = o.requestGain ? startGainStaging({ state: st, requestGain: o.requestGain }) : null;

  function say(line: string) {
    if (o.report) o.report(line);
  }

  function flag(bit: number, on: boolean, why: string) {
    if (!(vf & bit) === !on) return;
    vf ^= bit;
    st.faults = (st.faults & ~VOLUME_FAULTS) | vf;
    say((on ? "FAULT " : "CLEAR ") + faultCodeName(faultCode(bit)) + (on && why ? " " + why : ""));
  }

  /** MUTE_LEVEL while the output is open and the pot may be too loud to connect (a shaft left high, a
   *  cap lowered while muted, a position not known): the louder channel, or higher by the estimate's
   *  uncertainty (no deck readable: anywhere). Only while open: turning up while playing is the user's. */
  function tooLoud(): number {
    let l = st.leftDb > st.rightDb ? st.leftDb : st.rightDb;
    if (noDeck || loop.shaftVar > SEAT_PP) { // (surer than ~1 degree: within the tolerance, no lookup)
      const x = noDeck ? 1 : loop.shaftX + UNSURE_SD * Math.sqrt(loop.shaftVar);
      const up = tab.dbAt(2, x < 1 ? x : 1);
      if (up > l && up > UNSURE_FROM_DB) l = up;
    }
    return tooLoudToConnect(st, board, l, !rested) ? MUTE_LEVEL : 0;
  }

  /** A level as reported: at and below the floor the pot is at (or near) its end stop. */
  const shown = (db: number): number => (db < floor ? floor : db);

  function deckFaults() {
    noDeck = true;
    for (let d = 0; d < 2; d++) {
      const s = mon.st[d];
      if (s === DECK_OK) noDeck = false;
      let why = " jumps (dirty track)";
      if (s === DECK_FROZEN) why = " is frozen (stuck while the other deck moves)";
      else if (s === DECK_RAIL && mon.hi[d] > 1) why = " reads garbage (not a number in 0..1)";
      else if (s === DECK_RAIL) why = " reads the " + (mon.hi[d] ? "high" : "low") + " rail (open or shorted wiper)";
      flag(VF_DECK5 << d, s !== DECK_OK, "deck " + (5 + d) + why + (mon.st[1 - d] === DECK_OK ? "; running on deck " + (6 - d) : ""));
    }
    if (noDeck) {
      loop.halt();
      say("INFO volume: no deck readable, motor stopped");
    }
  }

  function setTargetDb(db: number): number {
    fullT = -1e9;
    settled = false;
    if (db !== db) return ERR_RANGE;
    if (calRunning()) return ERR_BUSY;
    if (vf & VF_REVERSED || noDeck) return ERR_FAULT;
    db = db > 0 ? 0 : db < floor ? floor : db;
    const t = o.now();
    st.targetDb = db;
    if (staging && staging.apply(db, t)) return OK;
    for (let b = VF_SOFT; b; b &= b - 1) flag(b & -b, false, "");
    loop.attend(); // (a request is tens of ms of a Pico: the DC fast path between its parts)
    loop.set(t, db >= -0.005 ? 1 : db <= floor ? 0 : tab.travelAt(2, db));
    if (o.wake) o.wake();
    return OK;
  }

  function endCalibration(t: number, rec: CalRecord | null) {
    // the sweep is dropped before the record is stored (its ~270 JsVars and the record's copies
    // would otherwise all be alive at once, the heaviest moment in memory)
    const c = cal as Calibration;
    const endX = c.endX;
    const speed = c.speed;
    const tauS = c.tauS;
    calibrating = false;
    calLast = c.status();
    cal = null;
    tab.load(rec || record);
    if (rec) {
      record = rec;
      if (o.saveCalibration && o.saveCalibration(rec) !== OK) say("INFO cal not stored");
      else if (o.loadCalibration) record = o.loadCalibration(); // one copy kept: the store's
      loop.place(t, endX, speed, tauS); // the sweep knows where it left the shaft
    } else loop.lost();
    say("INFO cal " + calLast);
    returning = true;
    if (calTarget === calTarget) setTargetDb(calTarget);
  }

  /** A full update: the loop, deck health and tracking, the levels shown. */
  function fullTick(r: Readings, t: number, z5m: number, z6m: number, n: number) {
    fullT = t;
    f5 = r.deck5;
    f6 = r.deck6;
    a5 = a6 = an = 0;
    loop.attend(); // (the tick so far, before the loop's)
    if (noDeck) motor.stop();
    else loop.tick(t, z5m, z6m, n);
    loop.attend();
    // each deck's level at the estimate, once a tick (the mean level is their mean)
    const x = loop.shaftX;
    const l5 = tab.dbAt(0, x);
    const l6 = tab.dbAt(1, x);
    loop.attend();
    // deck health and tracking every MON_EVERY-th full update while moving (each look is ~1,100
    // tokens; at rest every full update is one)
    const changed = ++monN >= MON_EVERY || !st.moving ? mon.update(t, r.deck5, r.deck6, l5, l6) : 0;
    if (monN >= MON_EVERY) monN = 0;
    loop.attend();
    if (changed & 1) deckFaults();
    const tr = mon.track;
    if (changed & 2) flag(VF_TRACKING, tr.fault, "L/R " + tr.errDb.toFixed(1) + " dB at " + st.actualDb.toFixed(0) + " dB, band " + tr.bandDb + " dB");
    st.leftDb = shown(l5);
    st.rightDb = shown(l6);
    st.actualDb = shown((l5 + l6) / 2);
    st.trackErrDb = tr.errDb;
    st.moving = loop.moving() || loop.mode === MODE_FREE;
    if (!st.moving) {
      returning = false;
      // (the start-up cap's gate ends at the first rest the loop chose, not one a fault left)
      if (booted && !noDeck && !(vf & (VF_SOFT | VF_REVERSED))) rested = true;
    }
    st.degraded = !noDeck && !(loop.usable[0] && loop.usable[1]);
    st.faults = (st.faults & ~VOLUME_FAULTS) | vf;
    settled = t >= settleT && loop.mode === MODE_IDLE && loop.usable[0] && loop.usable[1];
  }

  /** Calibrating, booting, moving, news, or a settling average to fuse. */
  function busyTick(r: Readings) {
    const t = r.nowMs;
    if (calibrating) {
      const rec = (cal as Calibration).tick(t, r.deck5, r.deck6);
      st.moving = true;
      if (rec || !(cal as Calibration).running()) endCalibration(t, rec);
      return;
    }
    if (!booted) {
      booted = true;
      settleT = t + SETTLE_MS;
      setTargetDb(st.targetDb); // the level remembered (settings), capped at start-up
    }
    // at rest with both decks reading what they read at the last full update: an averaged full
    // update every FULL_EVERY_MS until SETTLE_MS after the last news, then none (tick's fast path)
    const q5 = r.deck5 - f5;
    const q6 = r.deck6 - f6;
    const quiet = q5 <= QUIET && q5 >= -QUIET && q6 <= QUIET && q6 >= -QUIET;
    if (loop.mode === MODE_IDLE && loop.usable[0] && loop.usable[1] && quiet && t >= holdT) {
      // at rest: the readings are summed, and fused as one averaged reading each second (at
      // low levels a reading is worth little alone; averaged, the estimate still sharpens),
      // until it has settled (a full update asked for by a command or a clear still runs)
      if (t >= settleT && fullT > -1e9) {
        settled = true; // (the tick's fast path from now on)
        return;
      }
      a5 += r.deck5;
      a6 += r.deck6;
      an++;
      if (t - fullT < FULL_EVERY_MS) return;
      fullTick(r, t, a5 / an, a6 / an, an);
      return;
    }
    if (!quiet) {
      holdT = t + HOLD_MS; // news: full updates for a while (deck health counts ticks)
      settleT = t + SETTLE_MS;
    }
    fullTick(r, t, r.deck5, r.deck6, 1);
  }

  return {
    tick: function (r) {
      // settled at rest, the decks where they were at the last full update: nothing to do (the
      // rest is a function of its own: the interpreter lexes a whole body, returned from or not)
      const q5 = r.deck5 - f5;
      const q6 = r.deck6 - f6;
      if (!(settled && q5 <= QUIET && q5 >= -QUIET && q6 <= QUIET && q6 >= -QUIET)) busyTick(r);
    },
    setTargetDb: setTargetDb,
    halt: function () {
      if (cal) cal.abort();
      loop.halt();
    },
    clearFaults: function () {
      fullT = -1e9; // the state the clear leaves is reported at the next tick
      settled = false;
      mon.clear();
      deckFaults();
      flag(VF_REVERSED, false, "");
      flag(VF_TRACKING, false, "");
    },
    calStart: function () {
      if (calRunning()) return ERR_BUSY;
      if (vf & VF_REVERSED || !(loop.usable[0] && loop.usable[1])) return ERR_FAULT;
      loop.halt();
      settled = false;
      calTarget = st.targetDb;
      cal = startCalibration({ board: board, tables: tab, motor: motor, readDeck: o.readDeck });
      cal.start(o.now());
      calibrating = true;
      if (o.wake) o.wake();
      return OK;
    },
    calAbort: function () {
      if (cal) cal.abort();
      return OK;
    },
    calStatus: function () {
      return cal ? cal.status() : calLast;
    },
    busy: function (now) {
      return st.moving ? (loop.mode === MODE_MOVE ? loop.cruiseMs : board.tickMs) : now < holdT ? board.tickMs : 0; // (a sweep halts the loop)
    },
    muteReasons: function () {
      return (calibrating || returning || (staging && staging.busy(o.now(), loop.moving())) ? MUTE_SWITCHING : 0) | (st.relayClosed ? 0 : tooLoud());
    },
    track: mon.track,
  };
}
