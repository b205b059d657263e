// A Fletcher-style checksum (Adler's variant: two running sums modulo the largest prime below
// 2^16) over the character codes of a string. Basic arithmetic only; cheap enough to check every
// stored copy at boot. Any change of one character, and every truncation, changes it.
export function checksum(s: string): number {
  const MOD = 65521;
  let a = 1;
  let b = 0;
  for (let i = 0; i < s.length; i++) {
    a = (a + s.charCodeAt(i)) % MOD;
    b = (b + a) % MOD;
  }
  return b * 65536 + a;
}
