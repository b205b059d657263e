// Tracking-aware gain staging (optional: state.gainStaging, default board.volume.gainStaging).
// The pot's left/right tracking is worst at the bottom of its travel. When a request would put
// the pot below LOW_DB and the gain relays are above 0 dB, switch the gain down 9 or 18 dB and
// ask for the pot that much higher: the listener hears the same level, with better balance. When
// the level comes back up far enough, the gain returns towards the user's own choice.
// The gain change goes through o.requestGain (the outputs unit: relays switched under mute, the
// pot target moved by the opposite amount, which comes back here as a new target). While a swap
// is under way, busy() asks for the output to stay muted until the pot has arrived. The user's own
// choice is state.userGainDb (absolute level requests mean the pot at that gain: main.ts).
import { AmpState } from "../ampState";

/** Pot levels below this track poorly. */
const LOW_DB = -50;
/** Raise the gain again only if the pot then stays this far above LOW_DB. */
const HYST_DB = 3;
const STEP_DB = 9;
/** A swap that has not settled within this long (ms) stops holding the mute. */
const SWAP_MAX_MS = 3000;

export interface GainStaging {
  /** For a new (already limited) pot target: true when a gain swap was asked for instead. */
  apply(potDb: number, t: number): boolean;
  /** Swap in progress: keep muted until the pot has arrived (moving = the pot still moving). */
  busy(t: number, moving: boolean): boolean;
}

export function startGainStaging(o: { state: AmpState; requestGain: (db: number) => number }): GainStaging {
  const st = o.state;
  st.userGainDb = st.gainDb;
  let expect = st.gainDb;
  let swapT = -1;
  let inside = false;

  return {
    apply: function (potDb, t) {
      if (inside) return false;
      const g = st.gainDb;
      if (g !== expect) st.userGainDb = g; // the user (or settings) set the gain: that is their choice
      expect = g;
      if (!st.gainStaging) return false; // (the user's choice followed all the same: staging may come on)
      let want = g;
      if (potDb < LOW_DB) {
        // lowest gain step that is still needed, never above what the user chose
        while (want > 0 && potDb + (g - want) < LOW_DB) want -= STEP_DB;
      } else {
        // back towards the user's choice, as far as the pot then stays clear of the bottom
        while (want < st.userGainDb && potDb - (want + STEP_DB - g) >= LOW_DB + HYST_DB) want += STEP_DB;
      }
      if (want === g || want < 0) return false;
      inside = true;
      expect = want;
      const ok = o.requestGain(want) === 0;
      inside = false;
      if (!ok) {
        expect = g;
        return false;
      }
      swapT = t;
      return true;
    },
    busy: function (t, moving) {
      if (swapT < 0) return false;
      if ((!moving && t - swapT > 50) || t - swapT > SWAP_MAX_MS) swapT = -1;
      return swapT >= 0;
    },
  };
}
