// The control loop: one drift-free interval calls the tick and kicks the watchdog. Kicking from
// the tick (not a separate timer) means a hung tick resets the MCU.
// Two periods: fastMs while the tick says something is in motion (it returns more than 0), restMs when
// nothing is; wake() brings the fast period back at once (a command arrived between ticks), so a
// move never waits for a rest tick. At rest the interpreter then sleeps ~90 % of the time.
// In motion the tick says how long the next one may wait (a pot cruising towards a brake that is
// far off needs few looks: the brake has a timer of its own); up to that, a tick waits CRUISE_DUTY
// times its own length, so that on a slow interpreter (a moving tick is ~100 ms of a Pico) the
// control work stays near 1/CRUISE_DUTY of the CPU. Where ticks cost nothing (the host) the
// period stays fastMs.
import { Clock, Watchdog } from "../hal/hal";

const CRUISE_DUTY = 5;
/** A period within this share of the one in force is kept (changing it costs a native call). */
const KEEP_SHARE = 0.3;

export interface SchedulerStats {
  ticks: number;
  /** Ticks that started more than one period late (the loop could not keep up). */
  overruns: number;
  /** The period in force, ms. */
  periodMs: number;
}

export interface Scheduler extends SchedulerStats {
  /** Fast ticks from now on (the next one fastMs from now), until a tick returns 0. */
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
  /** One control tick; returns 0 when nothing is in motion (the rest period), else the longest
   *  wait (ms, fastMs or more) until the next tick that the motion allows. */
  tick: (nowMs: number) => number;
}

/** Calls tick(now) every fastMs or up to what it returns while it returns more than 0, every
 *  restMs while it returns 0, and kicks a watchdog of watchdogS seconds after each tick. */
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
    const slack = tick(now);
    let q = rest;
    if (slack) {
      q = CRUISE_DUTY * (clock.nowMs() - now);
      if (q > slack) q = slack;
      if (q > maxRestMs) q = maxRestMs; // (the watchdog fed in time)
      if (q < fastMs) q = fastMs;
    }
    watchdog.kick();
    if (q !== p && (q === rest || q === fastMs || q > p * (1 + KEEP_SHARE) || q < p * (1 - KEEP_SHARE))) period(q);
  }, fastMs);
  return s;
}
