// Logarithms from + - * / only. Pico-class Espruino builds use approximate transcendental
// functions (shared/ESPRUINO.md: Math.atan(1) = 0.7729), which is not good enough for dB, so the
// firmware never calls Math.log/exp/pow; these are exact to ~1e-12 with basic arithmetic.

const LN2 = 0.6931471805599453;
const LN10 = 2.302585092994046;
const SERIES_TERMS = 14;

/** Natural log; -Infinity for 0, NaN for negatives and NaN. */
export function ln(x: number): number {
  if (!(x > 0)) return x === 0 ? -Infinity : NaN;
  if (x === Infinity) return Infinity;
  let k = 0;
  while (x >= 1.5) {
    x *= 0.5;
    k++;
  }
  while (x < 0.75) {
    x *= 2;
    k--;
  }
  // ln(x) = 2 atanh(z), z = (x-1)/(x+1), |z| <= 0.2: the odd series converges fast.
  const z = (x - 1) / (x + 1);
  const z2 = z * z;
  let term = z;
  let sum = 0;
  for (let n = 1; n < 2 * SERIES_TERMS; n += 2) {
    sum += term / n;
    term *= z2;
  }
  return 2 * sum + k * LN2;
}

/** e^x by halving into range and a Taylor series. */
export function exp(x: number): number {
  if (x !== x) return NaN;
  if (x > 709) return Infinity;
  if (x < -745) return 0;
  let halvings = 0;
  while (x > 0.125 || x < -0.125) {
    x *= 0.5;
    halvings++;
  }
  let term = 1;
  let sum = 1;
  for (let n = 1; n < SERIES_TERMS; n++) {
    term *= x / n;
    sum += term;
  }
  while (halvings-- > 0) sum *= sum;
  return sum;
}

/** 20·log10(ratio): amplitude ratio to dB. */
export function ratioToDb(ratio: number): number {
  return (20 * ln(ratio)) / LN10;
}

/** Inverse of ratioToDb. */
export function dbToRatio(db: number): number {
  return exp((db * LN10) / 20);
}
