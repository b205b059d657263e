// The fixed-rate control loop: one drift-free interval calls the tick and kicks the watchdog.
// Kicking from the tick (not a separate timer) means a hung tick resets the MCU.
import { Clock, Watchdog } from "../hal/hal";

export interface SchedulerStats {
  ticks: number;
  /** Ticks that started more than one period late (the loop could not keep up). */
  overruns: number;
  worstLateMs: number;
}

export interface SchedulerOptions {
  clock: Clock;
  watchdog: Watchdog;
  periodMs: number;
  watchdogS: number;
  tick: (nowMs: number) => void;
}

export function startScheduler(o: SchedulerOptions): SchedulerStats {
  const stats: SchedulerStats = { ticks: 0, overruns: 0, worstLateMs: 0 };
  let due = o.clock.nowMs() + o.periodMs;
  o.watchdog.start(o.watchdogS);
  o.clock.every(o.periodMs, function () {
    const now = o.clock.nowMs();
    const late = now - due;
    if (late > stats.worstLateMs) stats.worstLateMs = late;
    if (late > o.periodMs) stats.overruns++;
    due += o.periodMs;
    if (now - due > o.periodMs) due = now + o.periodMs; // resynchronise after a long stall
    stats.ticks++;
    o.tick(now);
    o.watchdog.kick();
  });
  return stats;
}
