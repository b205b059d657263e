import { faultNames } from "../../../firmware/faults";
import { VF_NAMES } from "../../../firmware/volume/volumeFaults";

test("volume fault bits are named in status and the faults reply, in volumeFaults' order", () => {
  VF_NAMES.split(" ").forEach((name, i) => expect(faultNames(1 << (10 + i))).toBe(name));
  expect(faultNames((1 << 2) | (1 << 10))).toBe("oc-left+motor-stall");
});
