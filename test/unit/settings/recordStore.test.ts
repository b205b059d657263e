// Two alternating copies with a sequence number and a checksum: load takes the newest intact copy
// the caller accepts, else the older; save never touches the copy in use.
import fc from "fast-check";
import { createSimFlash } from "../../../hal/sim/flash";
import { FROM_NEWEST, FROM_NONE, FROM_OLDER, frameRecord, startRecordStore, unframeRecord } from "../../../firmware/settings/recordStore";

const NAMES = ["t.0", "t.1"];
const any = () => true;

describe("record framing", () => {
  test("a framed record reads back whole", () => {
    const text = frameRecord("S", 2, 41, "bal35;0;-30.5;on;bal44,se63");
    expect(unframeRecord("S", text)).toEqual({ ver: 2, seq: 41, payload: "bal35;0;-30.5;on;bal44,se63" });
  });

  test("the wrong tag, a missing file or garbage is not a record", () => {
    const text = frameRecord("S", 1, 1, "x");
    expect(unframeRecord("C", text)).toBeNull();
    expect(unframeRecord("S", undefined)).toBeNull();
    expect(unframeRecord("S", "")).toBeNull();
    expect(unframeRecord("S", "S1 1 x 1")).toBeNull();
    expect(unframeRecord("S", "Sx 1 x " + 0)).toBeNull();
  });

  test("no truncation and no erased tail of an intact record is ever valid", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999 }), fc.nat({ max: 1e9 }), fc.array(fc.constantFrom(..."abz019;,.-"), { maxLength: 120 }).map((a) => a.join("")), (ver, seq, payload) => {
        const text = frameRecord("S", ver, seq, payload);
        for (let n = 0; n < text.length; n++) {
          expect(unframeRecord("S", text.slice(0, n))).toBeNull();
          expect(unframeRecord("S", text.slice(0, n) + "\xff".repeat(text.length - n))).toBeNull();
        }
      }),
      { numRuns: 100, seed: 52 }
    );
  });
});

describe("two-slot store", () => {
  test("an empty flash loads nothing; the first save goes to slot 0, the next to slot 1", () => {
    const flash = createSimFlash();
    const st = startRecordStore(flash, "S", NAMES);
    expect(st.load(any)).toBeNull();
    expect(st.loadedFrom).toBe(FROM_NONE);
    expect(st.save(1, "a")).toBe(true);
    expect(unframeRecord("S", flash.read(NAMES[0]))!.payload).toBe("a");
    expect(st.save(1, "b")).toBe(true);
    expect(unframeRecord("S", flash.read(NAMES[1]))).toEqual({ ver: 1, seq: 2, payload: "b" });
    expect(unframeRecord("S", flash.read(NAMES[0]))!.payload).toBe("a");
  });

  test("loads the copy with the higher sequence, and writes over the other one next", () => {
    const flash = createSimFlash();
    flash.write(NAMES[0], frameRecord("S", 1, 8, "new"));
    flash.write(NAMES[1], frameRecord("S", 1, 7, "old"));
    const st = startRecordStore(flash, "S", NAMES);
    expect(st.load(any)!.payload).toBe("new");
    expect(st.loadedFrom).toBe(FROM_NEWEST);
    st.save(1, "newer");
    expect(unframeRecord("S", flash.read(NAMES[1]))).toEqual({ ver: 1, seq: 9, payload: "newer" });
    expect(unframeRecord("S", flash.read(NAMES[0]))!.payload).toBe("new");
  });

  test("the sequence counts round after 999,999,999: the copy after it is still readable and newest", () => {
    const flash = createSimFlash();
    flash.write(NAMES[0], frameRecord("S", 1, 999_999_999, "last"));
    flash.write(NAMES[1], frameRecord("S", 1, 999_999_998, "older"));
    const st = startRecordStore(flash, "S", NAMES);
    expect(st.load(any)!.payload).toBe("last");
    expect(st.save(1, "wrapped")).toBe(true);
    expect(unframeRecord("S", flash.read(NAMES[1]))).toEqual({ ver: 1, seq: 0, payload: "wrapped" });
    const again = startRecordStore(flash, "S", NAMES);
    expect(again.load(any)!.payload).toBe("wrapped");
    expect(again.save(1, "next")).toBe(true);
    expect(startRecordStore(flash, "S", NAMES).load(any)!.payload).toBe("next");
  });

  test("a damaged copy is ignored and counted; a rejected newest copy falls back to the older one", () => {
    const flash = createSimFlash();
    flash.write(NAMES[0], frameRecord("S", 1, 3, "old"));
    flash.write(NAMES[1], frameRecord("S", 1, 4, "new").slice(0, -2));
    const st = startRecordStore(flash, "S", NAMES);
    expect(st.load(any)!.payload).toBe("old");
    expect([st.loadedFrom, st.bad]).toEqual([FROM_NEWEST, 1]); // the newest intact copy; one damaged

    flash.write(NAMES[1], frameRecord("S", 9, 4, "future"));
    const st2 = startRecordStore(flash, "S", NAMES);
    expect(st2.load((r) => r.ver <= 1)!.payload).toBe("old");
    expect([st2.loadedFrom, st2.bad]).toEqual([FROM_OLDER, 1]);
    // the next save goes over the rejected copy, with a sequence above both
    st2.save(1, "next");
    expect(unframeRecord("S", flash.read(NAMES[1]))).toEqual({ ver: 1, seq: 5, payload: "next" });
  });

  test("a failed write leaves the copy in use alone, and the retry goes to the same slot", () => {
    const flash = createSimFlash();
    const st = startRecordStore(flash, "S", NAMES);
    st.load(any);
    st.save(1, "one"); // slot 0
    flash.cutPowerAfterBytes(5);
    expect(st.save(1, "two")).toBe(false); // slot 1, cut
    flash.powerRestored();
    expect(startRecordStore(flash, "S", NAMES).load(any)!.payload).toBe("one");
    expect(st.save(1, "two")).toBe(true);
    expect(unframeRecord("S", flash.read(NAMES[1]))!.payload).toBe("two");
    expect(unframeRecord("S", flash.read(NAMES[0]))!.payload).toBe("one");
  });
});
