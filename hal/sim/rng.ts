// Seeded randomness for the simulated amplifier. Every random choice in hal/sim draws from an Rng
// derived from the amp's one seed, so a failing case replays exactly. Each concern takes its own
// stream with fork(label): drawing more numbers in one place never shifts the numbers of another.

/** mulberry32 state increment (an odd constant: the state walks all 2^32 values). */
const STATE_INC = 0x6d2b79f5;
/** Scales a uint32 into [0, 1). */
const UINT32_RANGE = 4294967296;
/** FNV-1a 32-bit offset basis and prime, to hash a fork label into a seed. */
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** Globals are slow to reach from hot code inside a vm context (jest runs tests in one): alias them. */
const { imul, sqrt, log, cos, sin, floor, PI } = Math;
/** "No spare normal" marker (a normal is never this). */
const NO_SPARE = Number.NaN;

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** Normal distribution (Box-Muller). */
  gaussian(mean?: number, sd?: number): number;
  /** Normal, clamped to mean ± limit: for noise with a datasheet bound. */
  boundedGaussian(sd: number, limit: number): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** An independent stream for one concern; depends only on (seed, label), not on draws so far. */
  fork(label: string): Rng;
}

/** Mixes a label into a seed (FNV-1a over the seed bytes, then the label's UTF-16 units). */
export function deriveSeed(seed: number, label: string): number {
  let h = FNV_OFFSET;
  let s = seed >>> 0;
  for (let i = 0; i < 4; i++) {
    h = imul(h ^ (s & 0xff), FNV_PRIME);
    s >>>= 8;
  }
  for (let i = 0; i < label.length; i++) h = imul(h ^ label.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

class Mulberry32 implements Rng {
  private state: number;
  /** Box-Muller makes normals in pairs; the second waits here (NO_SPARE = none). */
  private spare = NO_SPARE;

  constructor(private readonly seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + STATE_INC) | 0;
    let t = this.state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / UINT32_RANGE;
  }

  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  gaussian(mean = 0, sd = 1): number {
    let z = this.spare;
    if (z === z) {
      this.spare = NO_SPARE;
    } else {
      const r = sqrt(-2 * log(1 - this.next())); // 1 - u: never log(0)
      const a = 2 * PI * this.next();
      z = r * cos(a);
      this.spare = r * sin(a);
    }
    return mean + sd * z;
  }

  boundedGaussian(sd: number, limit: number): number {
    const v = this.gaussian(0, sd);
    return v > limit ? limit : v < -limit ? -limit : v;
  }

  int(n: number): number {
    return floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  fork(label: string): Rng {
    return new Mulberry32(deriveSeed(this.seed, label));
  }
}

export function createRng(seed: number): Rng {
  return new Mulberry32(seed);
}
