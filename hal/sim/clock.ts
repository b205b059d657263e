// Virtual time for the simulated amplifier: an event queue (binary heap, stable for equal times)
// plus fixed-step physics steppers interleaved with it. Before an event fires, every stepper is
// brought exactly to the event's time, so physics is always current when firmware code runs.
//
// Steppers step on a fixed grid (k * dtMs from where they were added); an event between two grid
// points splits that one step in two (the stepper gets the shorter dt), then the grid resumes.
// Physics models should integrate exactly for constant inputs so a split step changes nothing.
import { VirtualClock } from "./types";

/** Physics step: fine enough for a 30 ms motor time constant, cheap enough for hours of sim. */
export const DEFAULT_STEP_MS = 0.5;
/** Globals are slow to reach from hot code inside a vm context (jest runs tests in one): alias them. */
const INF = Number.POSITIVE_INFINITY;

export type StepFn = (dtMs: number) => void;

interface Timer {
  id: number;
  atMs: number;
  /** Tie-breaker: equal times run in scheduling order. */
  seq: number;
  fn: () => void;
  /** > 0: a drift-free periodic timer (next = previous + period). */
  periodMs: number;
  cancelled: boolean;
}

interface Stepper {
  fn: StepFn;
  dtMs: number;
  originMs: number;
  /** Grid steps completed: the next grid point is originMs + (k + 1) * dtMs. */
  k: number;
  lastMs: number;
}

function before(a: Timer, b: Timer): boolean {
  return a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
}

export class SimClock implements VirtualClock {
  private now = 0;
  private seq = 0;
  private nextId = 1;
  private readonly heap: Timer[] = [];
  private readonly live = new Map<number, Timer>();
  private readonly steppers: Stepper[] = [];
  private running = false;
  private stepping = false;
  /** Where the physics stepping in progress stops; pulled in if an earlier event is scheduled. */
  private stepTarget = 0;

  nowMs(): number {
    return this.now;
  }

  at(atMs: number, fn: () => void): number {
    return this.schedule(atMs, fn, 0);
  }

  /** Drift-free periodic timer; first call at now + periodMs. Cancel with cancel(id). */
  every(periodMs: number, fn: () => void): number {
    if (!(periodMs > 0)) throw new RangeError(`clock: every() needs a period > 0, got ${periodMs}`);
    return this.schedule(this.now + periodMs, fn, periodMs);
  }

  cancel(id: number): void {
    const t = this.live.get(id);
    if (!t) return;
    t.cancelled = true;
    this.live.delete(id);
  }

  /** Register a physics stepper called with dt <= dtMs; returns a function that removes it. */
  addStepper(dtMs: number, fn: StepFn): () => void {
    if (!(dtMs > 0)) throw new RangeError(`clock: stepper dt must be > 0, got ${dtMs}`);
    const s: Stepper = { fn, dtMs, originMs: this.now, k: 0, lastMs: this.now };
    this.steppers.push(s);
    return () => {
      const i = this.steppers.indexOf(s);
      if (i >= 0) this.steppers.splice(i, 1);
    };
  }

  /** Number of pending (not cancelled) timers. */
  pendingCount(): number {
    return this.live.size;
  }

  /** Time of the next pending event, or Infinity. */
  nextEventMs(): number {
    const t = this.peek();
    return t ? t.atMs : INF;
  }

  runUntil(tMs: number): void {
    if (this.running) throw new Error("clock: runUntil/advance called from inside an event");
    if (tMs < this.now) throw new RangeError(`clock: cannot run back to ${tMs} from ${this.now}`);
    this.running = true;
    try {
      for (;;) {
        const top = this.peek();
        if (!top || top.atMs > tMs) break;
        this.stepPhysicsTo(top.atMs);
        if (this.peek() !== top) continue; // physics scheduled something earlier
        this.pop();
        this.now = top.atMs;
        if (top.periodMs > 0) {
          top.atMs += top.periodMs;
          top.seq = this.seq++;
          this.push(top);
        } else {
          this.live.delete(top.id);
        }
        top.fn();
      }
      this.stepPhysicsTo(tMs);
      this.now = tMs;
    } finally {
      this.running = false;
    }
  }

  advance(ms: number): void {
    this.runUntil(this.now + ms);
  }

  private schedule(atMs: number, fn: () => void, periodMs: number): number {
    if (atMs !== atMs) throw new RangeError("clock: event time is NaN");
    const when = atMs < this.now ? this.now : atMs;
    const t: Timer = { id: this.nextId++, atMs: when, seq: this.seq++, fn, periodMs, cancelled: false };
    this.live.set(t.id, t);
    this.push(t);
    if (this.stepping && when < this.stepTarget) this.stepTarget = when;
    return t.id;
  }

  /** Step every stepper up to tMs in time order (ties: registration order). */
  private stepPhysicsTo(tMs: number): void {
    const list = this.steppers;
    if (list.length === 0) return;
    this.stepping = true;
    this.stepTarget = tMs;
    try {
      for (;;) {
        let best: Stepper | undefined;
        let bestEnd = INF;
        for (let i = 0; i < list.length; i++) {
          const s = list[i];
          if (s.lastMs >= this.stepTarget) continue;
          const grid = s.originMs + (s.k + 1) * s.dtMs;
          const end = grid < this.stepTarget ? grid : this.stepTarget;
          if (end < bestEnd) {
            bestEnd = end;
            best = s;
          }
        }
        if (!best) break;
        const dt = bestEnd - best.lastMs;
        if (bestEnd === best.originMs + (best.k + 1) * best.dtMs) best.k++;
        best.lastMs = bestEnd;
        if (bestEnd > this.now) this.now = bestEnd;
        best.fn(dt);
      }
    } finally {
      this.stepping = false;
    }
  }

  private peek(): Timer | undefined {
    const h = this.heap;
    while (h.length > 0 && h[0].cancelled) this.pop();
    return h[0];
  }

  private push(t: Timer): void {
    const h = this.heap;
    let i = h.length;
    h.push(t);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(t, h[p])) break;
      h[i] = h[p];
      i = p;
    }
    h[i] = t;
  }

  private pop(): Timer | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      let i = 0;
      const n = h.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && before(h[r], h[l]) ? r : l;
        if (!before(h[c], last)) break;
        h[i] = h[c];
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}

export function createClock(): SimClock {
  return new SimClock();
}
