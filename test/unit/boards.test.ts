// Boards are a controller's wiring fitted into an amplifier (boards/board.ts fitBoard).
import BALANCED_HEADPHONE_AMP from "../../boards/amps/balancedHeadphoneAmp";
import { Amplifier, fitBoard } from "../../boards/board";
import MDBT42Q, { MDBT42Q_WIRING } from "../../boards/mdbt42q";
import PICO, { PICO_WIRING } from "../../boards/pico";

describe("a board: wiring fitted into an amplifier", () => {
  it("takes the pins, senses, relays and PWM from the wiring and the pot, limits and outputs from the amplifier", () => {
    expect(PICO.pins).toBe(PICO_WIRING.pins);
    expect(PICO.relays).toEqual({ kind: "shift595", data: "B14", clock: "B15", latch: "A10" });
    expect(PICO.motor).toEqual({ pwmHz: 2000, minDuty: 0.18, reverseRestMs: 100 });
    expect(PICO.outputs).toBe(BALANCED_HEADPHONE_AMP.outputs);
    expect(PICO.protection).toBe(BALANCED_HEADPHONE_AMP.protection);
  });

  it("a controller may change an amplifier's volume defaults, and only those it names", () => {
    expect(MDBT42Q.volume).toEqual({ ...BALANCED_HEADPHONE_AMP.volume, gainStaging: false });
    expect(PICO.volume).toEqual(BALANCED_HEADPHONE_AMP.volume);
  });

  it("the same controller in another amplifier is one amplifier file: nothing of the wiring changes", () => {
    const quieter: Amplifier = {
      ...BALANCED_HEADPHONE_AMP,
      outputs: { ...BALANCED_HEADPHONE_AMP.outputs, capDb: { bal44: -10, bal35: -30, xlr: -10, se63: -10 } },
      volume: { ...BALANCED_HEADPHONE_AMP.volume, startCapDb: -40 },
    };
    const b = fitBoard(MDBT42Q_WIRING, quieter);
    expect(b.pins).toBe(MDBT42Q.pins);
    expect(b.dcSense).toBe(MDBT42Q.dcSense);
    expect(b.outputs.capDb.bal35).toBe(-30);
    expect(b.volume).toEqual({ minDb: -80, startCapDb: -40, stepDb: 1, gainStaging: false });
  });
});
