// The control loop: one drift-free interval calls the tick and kicks the watchdog. Kicking from
// the tick (not a separate timer) means a hung tick resets the MCU.
// Two periods: fastMs while the tick says something is in motion (it returns true), restMs when
// nothing is; wake() brings the fast period back at once (a command arrived between ticks), so a
// move never waits for a rest tick. At rest the interpreter then sleeps ~90 % of the time.
import { Clock, Watchdog } from "../hal/hal";

export interface SchedulerStats {
  ticks: number;
  /** Ticks that started more than one period late (the loop could not keep up). */
  overruns: number;
  /** The period in force, ms. */
  periodMs: number;
}

export interface Scheduler extends SchedulerStats {
  /** Fast ticks from now on (the next one fastMs from now), until a tick returns false. */
  wake(): void;
  /** Rest ticks from the next one on come at atMs (a tick that finds nothing due for a while),
   *  no sooner than restMs from now and no later than a quarter of the watchdog's timeout. */
  sleepUntil(atMs: number): void;
}

export interface SchedulerOptions {
  clock: Clock;
  watchdog: Watchdog;
  /** The periods (ms) while anything moves and at rest; the watchdog's timeout (s). */
  fastMs: number;
  restMs: number;
  watchdogS: number;
  /** One control tick; returns whether anything is in motion (the fast period). */
  tick: (nowMs: number) => boolean;
}

/** Calls tick(now) every fastMs while it returns true, every restMs while it returns false, and
 *  kicks a watchdog of watchdogS seconds after each tick. */
export function startScheduler(o: SchedulerOptions): Scheduler {
  const clock = o.clock;
  const watchdog = o.watchdog;
  const fastMs = o.fastMs;
  const restMs = o.restMs;
  const watchdogS = o.watchdogS;
  const tick = o.tick;
  let due = clock.nowMs() + fastMs;
  let rest = restMs;
  const maxRestMs = (watchdogS * 1000) / 4;
  const s: Scheduler = {
    ticks: 0,
    overruns: 0,
    periodMs: fastMs,
    sleepUntil: function (atMs) {
      const ms = atMs - clock.nowMs();
      rest = ms < restMs ? restMs : ms > maxRestMs ? maxRestMs : ms;
    },
    wake: function () {
      if (s.periodMs !== fastMs) period(fastMs);
    },
  };
  function period(ms: number) {
    s.periodMs = ms;
    clock.retime(id, ms);
    due = clock.nowMs() + ms;
  }
  watchdog.start(watchdogS);
  const id = clock.every(function () {
    // (every rest tick runs this: kept short, ~50 tokens)
    const now = clock.nowMs();
    const p = s.periodMs;
    if (now - due > p) {
      s.overruns++;
      due = now; // resynchronise after a stall
    }
    due += p;
    s.ticks++;
    const q = tick(now) ? fastMs : rest;
    watchdog.kick();
    if (q !== p) period(q);
  }, fastMs);
  return s;
}
