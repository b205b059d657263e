// Gain staging: at low levels the gain relays go down and the pot up by as much (the listener
// hears the same level), back up towards the user's own gain when the level rises; never above
// the user's gain; off when the setting is off.
import { newAmpState } from "../../../firmware/ampState";
import { startGainStaging } from "../../../firmware/volume/gainStaging";

function setup(gain: number, on = true) {
  const st = newAmpState();
  st.gainDb = gain;
  st.gainStaging = on;
  const asked: number[] = [];
  const g = startGainStaging({
    state: st,
    requestGain: (db) => {
      asked.push(db);
      st.targetDb -= db - st.gainDb; // what the outputs unit does: pot moved by the opposite amount
      st.gainDb = db;
      return 0;
    },
  });
  // the volume unit sets the target before asking
  const request = (pot: number, t = 0) => {
    st.targetDb = pot;
    return g.apply(pot, t);
  };
  return { st, g, asked, request };
}

describe("gain staging", () => {
  it("a request into the poorly tracking bottom swaps gain for pot, the level heard unchanged", () => {
    const { st, asked, request } = setup(18);
    expect(request(-45)).toBe(false);
    expect(request(-55)).toBe(true);
    expect(asked).toEqual([9]);
    expect(st.gainDb).toBe(9);
    expect(st.targetDb + st.gainDb).toBe(-55 + 18);
    expect(request(-70)).toBe(true); // at gain 9: listener -61 -> pot -61 at gain 0
    expect(st.gainDb).toBe(0);
    expect(st.targetDb + st.gainDb).toBe(-70 + 9);
  });

  it("goes straight down two steps when one is not enough", () => {
    const { st, asked, request } = setup(18);
    request(-70);
    expect(asked).toEqual([0]);
    expect(st.targetDb).toBe(-52);
  });

  it("returns towards the user's gain with hysteresis, never above it", () => {
    const { st, asked, request } = setup(9);
    request(-60);
    expect(st.gainDb).toBe(0);
    expect(request(-43)).toBe(false); // pot would be -52 at gain 9: stays
    expect(request(-37)).toBe(true); // pot -46 at gain 9 (>= -50 + 3)
    expect(st.gainDb).toBe(9);
    expect(request(-10)).toBe(false); // already at the user's gain
    expect(asked).toEqual([0, 9]);
  });

  it("takes a gain set by the user (not asked for) as the new choice", () => {
    const { st, request } = setup(0);
    expect(request(-60)).toBe(false); // nothing to take down
    st.gainDb = 18; // the user
    expect(request(-58)).toBe(true);
    expect(st.gainDb).toBe(9);
  });

  it("does nothing when switched off, or when the outputs unit refuses", () => {
    const off = setup(18, false);
    expect(off.request(-70)).toBe(false);
    expect(off.asked).toEqual([]);
    const st = newAmpState();
    st.gainDb = 18;
    st.gainStaging = true;
    const g = startGainStaging({ state: st, requestGain: () => 4 });
    expect(g.apply(-70, 0)).toBe(false);
    expect(st.gainDb).toBe(18);
  });

  it("asks to stay muted while a swap's pot move is under way, at most a few seconds", () => {
    const { g, request } = setup(18);
    expect(request(-55, 1000)).toBe(true); // to gain 9
    expect(g.busy(1010, true)).toBe(true);
    expect(g.busy(1500, false)).toBe(false);
    expect(request(-62, 2000)).toBe(true); // to gain 0
    expect(g.busy(2100, true)).toBe(true);
    expect(g.busy(6000, true)).toBe(false);
  });
});
