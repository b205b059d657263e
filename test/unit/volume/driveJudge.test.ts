// What a surprise was, told from the decks' own readings once the shaft is still (issue 13: a wrong
// model was taken for a hand). A stall only where the decks would have shown the motor's travel; a
// hand only where they read motion; the rest is the model's, which the loop answers by going on
// to its target.
import { JUDGED_MODEL, judgeDrive } from "../../../firmware/volume/driveJudge";
import { Observer } from "../../../firmware/volume/loopContracts";
import { VF_REVERSED, VF_STALL } from "../../../firmware/faults";
import { LSB } from "../../../firmware/sensors";

/** The decks as the judge sees them: both usable, reading r (0..1). */
function decks(r5: number, r6: number, usable = [true, true]): Observer {
  return { reading: [r5, r6], usable } as unknown as Observer;
}

const AT_30DB = 129 * LSB; // a deck's reading near -30 dB on the nominal taper (an ADC code)

describe("a drive cut short by a surprise", () => {
  it("the decks did not move where the motor's travel would have shown (ten codes): a stall", () => {
    expect(judgeDrive(decks(AT_30DB + LSB, AT_30DB), [AT_30DB, AT_30DB], 0.9, true, 10 * LSB)).toBe(VF_STALL);
  });

  it("a short drive the decks could not have told (one code's worth): the model's, not a stall", () => {
    expect(judgeDrive(decks(AT_30DB, AT_30DB), [AT_30DB, AT_30DB], 0.9, true, LSB)).toBe(JUDGED_MODEL);
  });

  it("at the bottom of travel, where the decks are blind, no motion read is never a stall", () => {
    expect(judgeDrive(decks(LSB, LSB), [LSB, LSB], 0.9, true, 20 * LSB)).toBe(JUDGED_MODEL);
  });

  it("the decks moved the motor's way and the shaft stopped with the motor: the model's error", () => {
    expect(judgeDrive(decks(AT_30DB + 12 * LSB, AT_30DB + 12 * LSB), [AT_30DB, AT_30DB], 0.8, true, 10 * LSB)).toBe(JUDGED_MODEL);
  });

  it("the decks moved and the shaft went on after the motor was cut: a hand", () => {
    expect(judgeDrive(decks(AT_30DB + 40 * LSB, AT_30DB + 40 * LSB), [AT_30DB, AT_30DB], 3, false, 10 * LSB)).toBe(0);
  });

  it("the other way about as far as the motor would go, stopped when it was cut: reversed wiring", () => {
    expect(judgeDrive(decks(AT_30DB - 10 * LSB, AT_30DB - 10 * LSB), [AT_30DB, AT_30DB], -1, true, 10 * LSB)).toBe(VF_REVERSED);
  });

  it("the estimate went back but the decks read no motion (it was still settling from the last brake): not reversed wiring", () => {
    expect(judgeDrive(decks(AT_30DB + LSB, AT_30DB), [AT_30DB, AT_30DB], -1, true, 2 * LSB)).toBe(JUDGED_MODEL);
  });

  it("the estimate went back but the decks read the motor's way: the model's, and the move goes on", () => {
    expect(judgeDrive(decks(AT_30DB + 10 * LSB, AT_30DB + 10 * LSB), [AT_30DB, AT_30DB], -1, true, 10 * LSB)).toBe(JUDGED_MODEL);
  });

  it("driven down, the decks read it going up: reversed wiring, whichever way the drive went", () => {
    expect(judgeDrive(decks(AT_30DB + 10 * LSB, AT_30DB + 10 * LSB), [AT_30DB, AT_30DB], -1, true, -10 * LSB)).toBe(VF_REVERSED);
  });

  it("a deck that is not usable has no say: the other one's motion decides", () => {
    expect(judgeDrive(decks(0.9, AT_30DB, [false, true]), [AT_30DB, AT_30DB], 0.9, true, 10 * LSB)).toBe(VF_STALL);
  });
});

describe("a surprise with nothing driving (rel and ez 0, not quick)", () => {
  it("the decks read two codes of motion: a hand, whose place the loop adopts", () => {
    expect(judgeDrive(decks(AT_30DB + 2 * LSB, AT_30DB), [AT_30DB, AT_30DB], 0, false, 0)).toBe(0);
  });

  it("the decks read no more than a code: the model's, and the target stays", () => {
    expect(judgeDrive(decks(AT_30DB + LSB, AT_30DB - LSB), [AT_30DB, AT_30DB], 0, false, 0)).toBe(JUDGED_MODEL);
  });
});
