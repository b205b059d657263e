// Character-level checks for text that arrives from the console or from flash. Espruino 2v29's
// regular expressions are not V8's ({n,m} is unsupported, `?` after a group or class misbehaves)
// and its multi-character String.indexOf can report false hits, so nothing here uses either:
// plain loops over char codes, which behave the same on every interpreter.

const CODE_0 = 48;
const CODE_9 = 57;

/** True when s[from..to) is one or more decimal digits. */
export function isDigits(s: string, from: number, to: number): boolean {
  if (to <= from) return false;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < CODE_0 || c > CODE_9) return false;
  }
  return true;
}

/** True when every character of s is a letter or a digit (ASCII). */
export function isAlnum(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const lower = c | 32; // folds A-Z onto a-z
    if (!((lower >= 97 && lower <= 122) || (c >= CODE_0 && c <= CODE_9))) return false;
  }
  return true;
}

/** True when every character of s is one of the single characters in `allowed` or alphanumeric. */
export function isAlnumOr(s: string, allowed: string): boolean {
  // (the test inline, not a call of isAlnum per character: every console line passes here)
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const lower = c | 32;
    if (!((lower >= 97 && lower <= 122) || (c >= CODE_0 && c <= CODE_9)) && allowed.indexOf(s.charAt(i)) < 0) return false;
  }
  return true;
}

/**
 * A strict decimal: an optional sign (when `signs`), 1..maxInt digits, then optionally "." and
 * 1..maxFrac digits. No exponent, hex or spaces. Its value, or NaN.
 */
export function parseDecimal(s: string, signs: boolean, maxInt: number, maxFrac: number): number {
  let start = 0;
  const c0 = s.charAt(0);
  if (signs && (c0 === "+" || c0 === "-")) start = 1;
  let dot = s.length;
  for (let i = start; i < s.length; i++) if (s.charAt(i) === ".") { dot = i; break; }
  const intLen = dot - start;
  const fracLen = s.length - dot - 1;
  if (intLen < 1 || intLen > maxInt || !isDigits(s, start, dot)) return NaN;
  if (dot < s.length && (fracLen < 1 || fracLen > maxFrac || !isDigits(s, dot + 1, s.length))) return NaN;
  return parseFloat(s);
}

/** Word i of list (words separated by the one character sep; "" beyond the last), allocating only the word: tables
 *  kept as one string (a string costs a JsVar per ~12 characters, an array of strings ~2-3 JsVars
 *  a word) are read with it. A single-character indexOf is exact on the interpreter. */
export function word(list: string, i: number, sep: string): string {
  let a = 0;
  while (i-- > 0) {
    a = list.indexOf(sep, a) + 1;
    if (!a) return ""; // fewer words than that
  }
  const b = list.indexOf(sep, a);
  return list.substring(a, b < 0 ? list.length : b);
}
