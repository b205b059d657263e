// The fixed-rate control loop: one drift-free interval calls the tick and kicks the watchdog.
// Kicking from the tick (not a separate timer) means a hung tick resets the MCU.
import { Clock, Watchdog } from "../hal/hal";

export interface SchedulerStats {
  ticks: number;
  /** Ticks that started more than one period late (the loop could not keep up). */
  overruns: number;
}

/** Calls tick(now) every periodMs and kicks a watchdog of watchdogS seconds after each tick. */
export function startScheduler(clock: Clock, watchdog: Watchdog, periodMs: number, watchdogS: number, tick: (nowMs: number) => void): SchedulerStats {
  const stats: SchedulerStats = { ticks: 0, overruns: 0 };
  let due = clock.nowMs() + periodMs;
  watchdog.start(watchdogS);
  clock.every(periodMs, function () {
    const now = clock.nowMs();
    if (now - due > periodMs) stats.overruns++;
    due += periodMs;
    if (now - due > periodMs) due = now + periodMs; // resynchronise after a long stall
    stats.ticks++;
    tick(now);
    watchdog.kick();
  });
  return stats;
}
