// Relay sequencing for the output and gain relays, pure: given the wanted relay word, the time and
// whether the output (mute) relay is connected, it says which word to drive now. A change runs
//   mute -> (mute contact open: coil released releaseMs + RELEASE_MARGIN_MS ago)
//        -> release the relays that must go -> breakGapMs -> operate the new ones
//        -> settleMs (bounce, DC settling) -> done (the shell may unmute)
// and holds the mute (busy()) from the request to the end. A request in the middle of a sequence
// only changes the wanted word: the running sequence converges on it, still muted, breaking
// before making, so two outputs (or two gain relays) are never closed together and no contact
// moves while the output is connected. Should the output connect mid-sequence anyway, relays
// freeze until it is open again.
import { Board } from "../../boards/board";

export interface OutputSequencer {
  /** The relay word wanted (bit order bal44, bal35, xlr, se63, gain9, gain18). */
  want(bits: number): void;
  /** Mute, let settleMs pass, unmute, without moving a relay (a plug went into the live jack). */
  resettle(): void;
  /** Advances the sequence; returns the relay word to drive now. */
  tick(nowMs: number, connected: boolean, mutedAtMs: number): number;
  /** A sequence is pending or running: the output must stay muted. */
  busy(): boolean;
  /** The word last returned by tick. */
  applied(): number;
}

export function startOutputSequencer(t: Board["relayTiming"], initialBits: number): OutputSequencer {
  /** Relay release times vary; wait a little longer than the board's (datasheet maximum) figure. */
  const RELEASE_MARGIN_MS = 1;
  const IDLE = 0;
  const MUTING = 1;
  const BREAKING = 2;
  const SETTLING = 3;

  let wanted = initialBits;
  let applied = 0;
  let phase = IDLE;
  let resettle = false;
  let sinceMs = 0;

  function tick(now: number, connected: boolean, mutedAtMs: number): number {
    if (phase === IDLE) {
      if (applied === wanted && !resettle) return applied;
      phase = MUTING;
      sinceMs = now - t.breakGapMs; // nothing released yet: no gap to wait for
    }
    if (connected || now - mutedAtMs < t.releaseMs + RELEASE_MARGIN_MS) {
      phase = MUTING;
      return applied;
    }
    if (phase === MUTING) {
      resettle = false;
      phase = BREAKING; // the gap still counts from the last release, if one was cut short
    }
    if (phase === SETTLING) {
      if (resettle) {
        resettle = false;
        sinceMs = now;
      }
      if (applied === wanted) {
        if (now - sinceMs >= t.settleMs) phase = IDLE;
        return applied;
      }
      phase = BREAKING;
      sinceMs = now - t.breakGapMs;
    }
    // BREAKING: release what must go, wait the gap, then operate what must come.
    const off = applied & ~wanted;
    if (off) {
      applied &= ~off;
      sinceMs = now;
      return applied;
    }
    if (now - sinceMs < t.breakGapMs) return applied;
    applied = wanted;
    sinceMs = now;
    phase = SETTLING;
    return applied;
  }

  return {
    want: function (bits) {
      wanted = bits;
    },
    resettle: function () {
      resettle = true;
    },
    tick: tick,
    busy: function () {
      return phase !== IDLE || applied !== wanted || resettle;
    },
    applied: function () {
      return applied;
    },
  };
}
