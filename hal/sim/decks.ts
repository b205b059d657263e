// The pot's decks as curves, and the 12-bit ADC that reads the two monitoring decks.
//
// Taper (15A audio, as attenuation vs x = angle / travel, 0..1):
//   x >= TAPER_KNEE_X:  dB(x) = -TAPER_SLOPE_DB * (1 - x) - TAPER_TOE_DB * ((1 - x) / (1 - knee))^16
//                       (0 dB at full CW, -34 dB = 2 % of the ADC range at 20 % travel,
//                        -75 dB at 10 % travel; smooth and strictly monotonic)
//   x <  TAPER_KNEE_X:  the end section, linear in ratio down to 0 (-inf dB) at x = 0.
// Each deck adds its own deviation (dB, linear between DEV_KNOTS evenly spaced knots), drawn from
// the seed: a part common to both decks plus a per-deck part, so that the L/R difference stays
// inside the ALPS gang band (2 dB from 0 to -60 dB, 3 dB below) at every angle. The audio decks
// track their monitoring deck exactly (deck 5 = left audio, deck 6 = right audio): the monitoring
// decks are the truth the firmware measures. A deck's ±20 % resistance tolerance is not modelled:
// a wiper fed from the ADC reference reads a ratio, which the track's total resistance cancels out.
import { Rng } from "./rng";
import { UnitParams } from "./types";

/** Globals are slow to reach from hot code inside a vm context (jest runs tests in one): alias them. */
const { pow, log10, floor, round, min } = Math;
const NEG_INF = Number.NEGATIVE_INFINITY;

/** Where the log curve hands over to the end section, fraction of travel, and its level there. */
export const TAPER_KNEE_X = 0.1;
export const TAPER_KNEE_DB = -75;
/** 15A: the bottom 20 % of travel spans ~2 % of the range. */
const TAPER_X20 = 0.2;
const TAPER_X20_RATIO = 0.02;
/** Exponent of the toe term: steep near the knee, gone by mid travel. */
const TAPER_TOE_POWER = 16;
const TOE_Q = pow((1 - TAPER_X20) / (1 - TAPER_KNEE_X), TAPER_TOE_POWER);
const X20_DB = 20 * log10(TAPER_X20_RATIO);
/** Solved so the curve passes through (knee, KNEE_DB) and (0.2, X20_DB); ~34.05 and ~44.35 dB. */
export const TAPER_SLOPE_DB =
  (-X20_DB + TAPER_KNEE_DB * TOE_Q) / (1 - TAPER_X20 - (1 - TAPER_KNEE_X) * TOE_Q);
export const TAPER_TOE_DB = -TAPER_KNEE_DB - (1 - TAPER_KNEE_X) * TAPER_SLOPE_DB;
const KNEE_RATIO = pow(10, TAPER_KNEE_DB / 20);

/** ALPS RK271 gang error band: 2 dB from 0 to -60 dB, 3 dB from -60 to -70 dB (and below). */
export const GANG_BAND_DB = 2;
export const GANG_BAND_LOW_DB = 3;
export const GANG_LOW_BELOW_DB = -60;
/** Deviation knots over travel: 0.1 apart, so deviations can never make the curve non-monotonic
 *  (the curve falls >= 34 dB per unit of travel; a deviation changes < 28 dB per unit). */
export const DEV_KNOTS = 11;
/** Common deviation (both decks alike: the taper's own error), ± dB. */
const DEV_COMMON_DB = 0.5;
/** Per-deck deviation as a fraction of the band: two decks differ by at most 90 % of the band. */
const DEV_DIFF_FRACTION = 0.45;

/** 12-bit ADC. */
export const ADC_MAX_CODE = 4095;
/** ADC noise: normal with this sd, clamped to the unit's adcNoiseLsb (±2 LSB). */
const ADC_NOISE_SD_LSB = 0.8;
/** A moving wiper adds contact noise (LSB, normal, clamped); a still wiper adds none. */
const WIPER_NOISE_SD_LSB = 0.5;
const WIPER_NOISE_MAX_LSB = 2;
/** Dirty track: chance per read that the wiper loses the track, and how far the reading jumps. */
const DIRTY_JUMP_CHANCE = 0.2;
const DIRTY_JUMP_MAX = 0.25;

export type DeckFault = "none" | "open" | "shorted" | "dirty";

/** Nominal attenuation at fraction of travel x (0..1), dB; -Infinity at 0. */
export function nominalDb(x: number): number {
  if (x >= 1) return 0;
  if (x >= TAPER_KNEE_X) {
    const u = 1 - x;
    return -TAPER_SLOPE_DB * u - TAPER_TOE_DB * pow(u / (1 - TAPER_KNEE_X), TAPER_TOE_POWER);
  }
  if (x <= 0) return NEG_INF;
  return TAPER_KNEE_DB + 20 * log10(x / TAPER_KNEE_X);
}

/** Nominal wiper ratio (0..1 of the deck's reference) at fraction of travel x. */
export function nominalRatio(x: number): number {
  if (x <= 0) return 0;
  if (x < TAPER_KNEE_X) return (KNEE_RATIO * x) / TAPER_KNEE_X;
  return pow(10, nominalDb(x) / 20);
}

/** Inverse of nominalRatio (bisection): fraction of travel for a ratio. */
export function nominalX(ratio: number): number {
  if (ratio <= 0) return 0;
  if (ratio >= 1) return 1;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 48; i++) {
    const mid = (lo + hi) / 2;
    if (nominalRatio(mid) < ratio) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Allowed L/R difference at a nominal level. */
export function gangBandDb(levelDb: number): number {
  return levelDb >= GANG_LOW_BELOW_DB ? GANG_BAND_DB : GANG_BAND_LOW_DB;
}

/** A deck's deviation at x, dB (linear between knots). */
export function deviationDb(devDb: readonly number[], x: number): number {
  const n = devDb.length - 1;
  if (n <= 0) return n === 0 ? devDb[0] : 0;
  const f = (x <= 0 ? 0 : x >= 1 ? 1 : x) * n;
  const i = f >= n ? n - 1 : floor(f);
  const t = f - i;
  return devDb[i] + (devDb[i + 1] - devDb[i]) * t;
}

/** A deck's true attenuation at x, dB. */
export function deckDb(devDb: readonly number[], x: number): number {
  return nominalDb(x) + deviationDb(devDb, x);
}

/** A deck's true wiper ratio at x (0..1). */
export function deckRatio(devDb: readonly number[], x: number): number {
  const r = nominalRatio(x) * pow(10, deviationDb(devDb, x) / 20);
  return r > 1 ? 1 : r;
}

/** Draw both monitoring decks' deviations (dB at DEV_KNOTS knots) inside the gang band. */
export function drawDeckDeviations(rng: Rng): { deck5Dev: number[]; deck6Dev: number[] } {
  const deck5Dev: number[] = [];
  const deck6Dev: number[] = [];
  const last = DEV_KNOTS - 1;
  for (let k = 0; k <= last; k++) {
    // the band must hold over both intervals touching this knot: take the tightest
    let band = gangBandDb(nominalDb(k / last));
    if (k > 0) band = min(band, gangBandDb(nominalDb((k - 1) / last)));
    if (k < last) band = min(band, gangBandDb(nominalDb((k + 1) / last)));
    const common = rng.uniform(-DEV_COMMON_DB, DEV_COMMON_DB);
    const d5 = common + rng.uniform(-DEV_DIFF_FRACTION, DEV_DIFF_FRACTION) * band;
    const d6 = common + rng.uniform(-DEV_DIFF_FRACTION, DEV_DIFF_FRACTION) * band;
    // full CW the wiper sits on the top terminal: exactly 0 dB on both decks
    deck5Dev.push(k === last ? 0 : d5);
    deck6Dev.push(k === last ? 0 : d6);
  }
  return { deck5Dev, deck6Dev };
}

// ---- truth by angle, for the firmware's tests and the bench ----

export function angleToDeckRatio(unit: UnitParams, deck: 5 | 6, deg: number): number {
  return deckRatio(deck === 5 ? unit.deck5Dev : unit.deck6Dev, deg / unit.travelDeg);
}

/** Attenuation of the left (deck 5's gang) or right (deck 6's gang) audio decks, dB (<= 0). */
export function angleToAudioDb(unit: UnitParams, side: "left" | "right", deg: number): number {
  const db = deckDb(side === "left" ? unit.deck5Dev : unit.deck6Dev, deg / unit.travelDeg);
  return db > 0 ? 0 : db;
}

// ---- the ADC ----

/** One 12-bit conversion of a 0..1 input: ±noiseLsb noise, quantised, clamped; returns code/4095. */
export function adcSample(ratio: number, rng: Rng, noiseLsb: number): number {
  const noise = noiseLsb > 0 ? rng.boundedGaussian(ADC_NOISE_SD_LSB, noiseLsb) : 0;
  const code = round(ratio * ADC_MAX_CODE + noise);
  return (code <= 0 ? 0 : code > ADC_MAX_CODE ? ADC_MAX_CODE : code) / ADC_MAX_CODE; // <= 0: no -0
}

/** A monitoring deck's wiper as the ADC reads it, with faults. */
export class MonitoringDeck {
  private fault: DeckFault = "none";
  private openRail = 1;

  constructor(
    readonly devDb: readonly number[],
    private readonly rng: Rng,
    private readonly noiseLsb: number,
  ) {}

  /** Open wiper: floats to a rail, which one drawn from the seed when the fault is set. */
  setFault(fault: DeckFault): void {
    this.fault = fault;
    if (fault === "open") this.openRail = this.rng.chance(0.5) ? 1 : 0;
  }

  getFault(): DeckFault {
    return this.fault;
  }

  /** ADC reading at fraction of travel x; moving adds wiper contact noise. */
  read(x: number, moving: boolean): number {
    const fault = this.fault;
    if (fault === "open") return this.openRail;
    if (fault === "shorted") return 0;
    const rng = this.rng;
    let r = deckRatio(this.devDb, x);
    if (moving) r += rng.boundedGaussian(WIPER_NOISE_SD_LSB, WIPER_NOISE_MAX_LSB) / ADC_MAX_CODE;
    if (fault === "dirty" && rng.chance(DIRTY_JUMP_CHANCE)) r += rng.uniform(-DIRTY_JUMP_MAX, DIRTY_JUMP_MAX);
    return adcSample(r, rng, this.noiseLsb);
  }
}
