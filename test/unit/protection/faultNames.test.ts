// The fault registry (firmware/faults.ts): every bit has one owner and one name.
import * as faults from "../../../firmware/faults";
import { faultCode, faultCodeName, faultNames, FAULT_NAMES, PROTECTION_FAULTS, VOLUME_FAULTS } from "../../../firmware/faults";

const BITS = Object.entries(faults).filter(([k, v]) => /^(FAULT|VF)_[A-Z0-9_]+$/.test(k) && k !== "FAULT_NAMES" && typeof v === "number" && v > 0 && (v & (v - 1)) === 0);

test("every fault bit is named once, in bit order, and owned by exactly one unit", () => {
  const names = FAULT_NAMES.split(" ");
  expect(BITS.length).toBe(names.length);
  expect(new Set(BITS.map(([, v]) => v)).size).toBe(BITS.length);
  for (const [, bit] of BITS) {
    expect(faultCodeName(faultCode(bit as number))).toBe(names[Math.log2(bit as number)]);
    expect(((PROTECTION_FAULTS & (bit as number)) !== 0) !== ((VOLUME_FAULTS & (bit as number)) !== 0)).toBe(true);
  }
  expect(PROTECTION_FAULTS & VOLUME_FAULTS).toBe(0);
  expect(PROTECTION_FAULTS | VOLUME_FAULTS).toBe((1 << names.length) - 1);
});

test("status and the faults reply name a set of bits, protection's and the volume unit's", () => {
  expect(faultNames(faults.FAULT_OC_LEFT | faults.VF_STALL)).toBe("oc-left+motor-stall");
  expect(faultNames(faults.VF_DECK6)).toBe("deck6");
  expect(faultNames(0)).toBe("none");
});
