// NEC infrared decoder: pure, fed the IR receiver's edges (level after the edge, timestamp in ms).
// The receiver output is active low: low = carrier present ("mark"), high = "space".
//
// Frame: 9 ms mark, 4.5 ms space, 32 bits LSB first (address, ~address, command, ~command; an
// extended address sends its high byte instead of ~address), each bit a 562.5 us mark and a
// 562.5 us (0) or 1687.5 us (1) space, then a 562.5 us stop mark. The frame is decoded at the end
// of the stop mark. Repeat code while a key is held: 9 ms mark, 2.25 ms space, stop mark, every
// 108 ms (leader start to leader start).
//
// Robustness: every mark and space is measured and must fall in its window, or the frame is
// dropped; a 9 ms mark restarts decoding whatever came before (self-synchronising after noise or
// a partial frame). The command must match its inverse byte. A standard address must match its
// inverse; anything else is an extended 16-bit address, except a high byte of 0, which would be
// indistinguishable from a standard address (so a corrupted standard frame can never alias one).
// A repeat code counts only when it follows a good frame (or repeat) of the same key press by at
// most NEC_REPEAT_TIMEOUT_MS, leader to leader; a new frame start cancels the pending key.
// No allocation per edge.

/** Repeat codes come every 108 ms while a key is held; one later than this (leader to leader)
 *  means the key was released in between (or a repeat was lost): it is ignored. */
export const NEC_REPEAT_TIMEOUT_MS = 116;

/** edge() result: nothing decoded. */
export const NEC_NONE = -1;
/** Added to the code of the held key when a repeat code arrives. */
export const NEC_REPEAT = 0x1000000;

/** Decoded code: address * 256 + command (address 0..0xFFFF). */
export function necCode(address: number, command: number): number {
  return address * 256 + command;
}
export function necAddress(code: number): number {
  return (code % NEC_REPEAT) >> 8;
}
export function necCommand(code: number): number {
  return code & 0xff;
}

export interface NecDecoder {
  /** Feed one edge; returns NEC_NONE, a frame's code, or NEC_REPEAT + the held key's code. */
  edge(high: boolean, tMs: number): number;
}

// edge() is one flat function: it runs for every edge (~68 per frame, about one per ms) in
// Espruino's main loop, where each function call and statement costs interpreter time.
export function startNecDecoder(): NecDecoder {
  /** Windows (ms) around the nominal timings: wide enough for receivers that stretch marks by a
   *  few hundred microseconds, narrow enough that a glitch (< 0.25 ms) never fits a mark or space. */
  const LEADER_MARK_MIN = 7.5;
  const LEADER_MARK_MAX = 10.5;
  const FRAME_SPACE_MIN = 3.6;
  const FRAME_SPACE_MAX = 5.4;
  const REPEAT_SPACE_MIN = 1.75;
  const REPEAT_SPACE_MAX = 2.8;
  const BIT_MARK_MIN = 0.25;
  const BIT_MARK_MAX = 0.95;
  const ZERO_SPACE_MIN = 0.25;
  const ZERO_SPACE_MAX = 1.0;
  const ONE_SPACE_MIN = 1.2;
  const ONE_SPACE_MAX = 2.2;
  const IDLE = 0;
  const LEADER = 1; // leader mark seen, its space running
  const DATA = 2; // collecting bits
  const STOP = 3; // 32 bits in, stop mark running
  const REPEAT_STOP = 4; // repeat space seen, stop mark running
  let level = true;
  let fallMs = -1e9;
  let riseMs = -1e9;
  let phase = IDLE;
  let leaderMs = 0;
  let word = 0; // the 32 bits, LSB first: address, ~address (or high byte), command, ~command
  let mask = 0; // the next bit's place; 0 once 32 bits are in
  let heldCode = NEC_NONE;
  let heldMs = 0;

  function frameCode(): number {
    const command = (word >> 16) & 0xff;
    if ((word >>> 24) !== (command ^ 0xff)) return NEC_NONE;
    const a0 = word & 0xff;
    const a1 = (word >> 8) & 0xff;
    if ((a0 ^ a1) === 0xff) return a0 * 256 + command; // necCode(a0, command)
    if (a1 === 0) return NEC_NONE;
    return (word & 0xffff) * 256 + command;
  }

  return {
    edge: function (high, tMs) {
      if (high === level) {
        // Two edges of the same sense: one was lost, the timings around it are meaningless.
        phase = IDLE;
        return NEC_NONE;
      }
      level = high;
      let d: number;
      if (!high) {
        // A space ended.
        d = tMs - riseMs;
        fallMs = tMs;
        if (phase === DATA) {
          if (d >= ONE_SPACE_MIN && d <= ONE_SPACE_MAX) word |= mask;
          else if (!(d >= ZERO_SPACE_MIN && d <= ZERO_SPACE_MAX)) phase = IDLE;
          mask <<= 1;
          if (mask === 0 && phase === DATA) phase = STOP;
        } else if (phase === LEADER) {
          if (d >= FRAME_SPACE_MIN && d <= FRAME_SPACE_MAX) {
            phase = DATA;
            word = 0;
            mask = 1;
            heldCode = NEC_NONE; // a new key press: repeats of the old one no longer count
          } else phase = d >= REPEAT_SPACE_MIN && d <= REPEAT_SPACE_MAX ? REPEAT_STOP : IDLE;
        }
        return NEC_NONE;
      }
      // A mark ended.
      d = tMs - fallMs;
      riseMs = tMs;
      if (d >= BIT_MARK_MIN && d <= BIT_MARK_MAX) {
        if (phase === DATA || phase === IDLE) return NEC_NONE;
        const was = phase;
        phase = IDLE;
        if (was === STOP) {
          heldCode = frameCode();
          heldMs = leaderMs;
          return heldCode;
        }
        if (was !== REPEAT_STOP) return NEC_NONE;
        if (heldCode === NEC_NONE || leaderMs - heldMs > NEC_REPEAT_TIMEOUT_MS) {
          heldCode = NEC_NONE;
          return NEC_NONE;
        }
        heldMs = leaderMs;
        return heldCode + NEC_REPEAT;
      }
      if (d >= LEADER_MARK_MIN && d <= LEADER_MARK_MAX) {
        phase = LEADER;
        leaderMs = fallMs;
      } else phase = IDLE;
      return NEC_NONE;
    },
  };
}
