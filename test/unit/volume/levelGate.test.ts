// The volume unit's level gate (MUTE_LEVEL, asked for while the output is open): the output
// connects only where the level the listener might hear is within the caps. Where the position is
// not known, that is the loudest place the shaft could be, not the estimate's middle.
import { MUTE_LEVEL } from "../../../firmware/muteReasons";
import { volumeRig } from "./volumeRig";

describe("the level gate", () => {
  it.each([NaN, -1, 1.5])("with the shaft's place unknown (both decks reading %s from power-on) it holds the output open under any cap below full level", (garbage) => {
    const rig = volumeRig({ startDeg: 270, targetDb: -30 });
    rig.amp.setAnalogGarbage("deck5", garbage);
    rig.amp.setAnalogGarbage("deck6", garbage);
    rig.state.out = "se63"; // (no output offset: the level heard is the pot's)
    rig.state.levelChosen = true; // (past the start-up cap: only the listener's caps count)
    rig.state.maxDb = -10;
    rig.run(3000);
    expect(rig.trueDb()).toBeGreaterThan(-10); // where it really is
    expect(rig.vol.muteReasons() & MUTE_LEVEL).toBe(MUTE_LEVEL);
    rig.state.maxDb = 0; // a cap full level meets: nothing is too loud for it
    rig.run(100);
    expect(rig.vol.muteReasons() & MUTE_LEVEL).toBe(0);
  });

  it("both decks lost at rest: the last estimate no longer says where the shaft is, so an open output stays open", () => {
    const rig = volumeRig({ startDeg: 90, targetDb: -30 });
    rig.state.out = "se63";
    rig.state.levelChosen = true;
    rig.state.maxDb = -10;
    rig.run(8000);
    expect(rig.vol.muteReasons() & MUTE_LEVEL).toBe(0); // (known, and below the cap)
    rig.amp.setAnalogGarbage("deck5", -1);
    rig.amp.setAnalogGarbage("deck6", -1);
    rig.run(1000);
    expect(rig.lines.join("\n")).toMatch(/no deck readable/);
    expect(rig.vol.muteReasons() & MUTE_LEVEL).toBe(MUTE_LEVEL);
  });

  it("with the shaft's place known, the same cap passes a pot that is below it", () => {
    const rig = volumeRig({ startDeg: 90, targetDb: -30 });
    rig.state.out = "se63"; // (no output offset: the level heard is the pot's)
    rig.state.levelChosen = true;
    rig.state.maxDb = -10;
    rig.run(8000);
    expect(rig.trueDb()).toBeLessThan(-20);
    expect(rig.vol.muteReasons() & MUTE_LEVEL).toBe(0);
  });
});
