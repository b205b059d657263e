import { createSimFlash } from "../../hal/sim/flash";

describe("SimFlash", () => {
  it("write replaces the file; counts writes and bytes; erase and list", () => {
    const f = createSimFlash();
    expect(f.read("cfg")).toBeUndefined();
    expect(f.write("cfg", "hello")).toBe(true);
    expect(f.write("cfg", "hi")).toBe(true);
    expect(f.write("b", "x")).toBe(true);
    expect(f.read("cfg")).toBe("hi");
    expect(f.list()).toEqual(["b", "cfg"]);
    expect(f.writes).toBe(3);
    expect(f.bytesWritten).toBe(8);
    f.erase("b");
    expect(f.list()).toEqual(["cfg"]);
  });

  it("a power cut mid-write leaves the old content erased and the new one partial", () => {
    const f = createSimFlash();
    f.write("cfg", '{"vol":10}');
    f.cutPowerAfterBytes(12);
    expect(f.write("log", "12345678")).toBe(true); // fits: 4 bytes left
    expect(f.write("cfg", '{"vol":42}')).toBe(false); // cut after 4 bytes
    expect(f.read("cfg")).toBe('{"vo');
    expect(f.read("log")).toBe("12345678");
    expect(f.bytesWritten).toBe(10 + 8 + 4);
    expect(f.writes).toBe(3);
    // power is off: nothing changes any more
    expect(f.write("cfg", "again")).toBe(false);
    f.erase("log");
    expect(f.read("log")).toBe("12345678");
    expect(f.writes).toBe(3);
    f.powerRestored();
    expect(f.write("cfg", '{"vol":42}')).toBe(true);
    expect(f.read("cfg")).toBe('{"vol":42}');
  });

  it("cut at 0 bytes leaves an empty file; fill 'erased' pads with 0xFF like Espruino", () => {
    const f = createSimFlash();
    f.write("a", "old");
    f.cutPowerAfterBytes(0);
    expect(f.write("a", "new!")).toBe(false);
    expect(f.read("a")).toBe("");
    const g = createSimFlash("erased");
    g.cutPowerAfterBytes(2);
    g.write("a", "abcd");
    expect(g.read("a")).toBe("ab\xff\xff");
  });
});
