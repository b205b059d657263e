// dB maths on the interpreter's natives. Math.exp and Math.log are exact on Espruino 2v29 for both
// boards (pinned in test/device/interpreterQuirks.test.ts); only the trigonometric functions are
// approximate on SAVE_ON_FLASH_MATH builds. A native call costs one token where a series in
// JavaScript cost ~600 (shared/ESPRUINO.md), so these are thin names, not algorithms.

/** 20 / ln 10 and its inverse. */
const DB_PER_NEPER = 8.685889638065035;
const NEPER_PER_DB = 0.11512925464970229;

export function ln(x: number): number {
  return Math.log(x);
}

export function exp(x: number): number {
  return Math.exp(x);
}

/** 20·log10(ratio): amplitude ratio to dB. */
export function ratioToDb(ratio: number): number {
  return DB_PER_NEPER * Math.log(ratio);
}

/** Inverse of ratioToDb. */
export function dbToRatio(db: number): number {
  return Math.exp(db * NEPER_PER_DB);
}
