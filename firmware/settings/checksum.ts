// A Fletcher-style checksum (Adler's variant: two running sums modulo the largest prime below
// 2^16) over the character codes of a string. Basic arithmetic only; cheap enough to check every
// stored copy at boot. Any change of one character, and every truncation, changes it.
/** A record is ~25 tokens a character on the interpreter (~60 ms of a Pico for a settings one):
 *  poll (the DC fast path) is called every POLL_CHARS characters. */
const POLL_CHARS = 8;

export function checksum(s: string, poll?: () => void): number {
  const MOD = 65521;
  let a = 1;
  let b = 0;
  for (let i = 0; i < s.length; i++) {
    a = (a + s.charCodeAt(i)) % MOD;
    b = (b + a) % MOD;
    if (poll && (i & (POLL_CHARS - 1)) === 0) poll();
  }
  return b * 65536 + a;
}
