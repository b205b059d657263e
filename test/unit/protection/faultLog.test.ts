// The fault log in flash: bounded, written only while power is OK, rate-limited, and readable
// after a write that a power cut interrupted.
import { newAmpState } from "../../../firmware/ampState";
import { FAULT_LOG_FILE, MAX_ENTRIES, startFaultLog } from "../../../firmware/faultLog";
import { createSimFlash } from "../../../hal/sim/flash";

function rig() {
  const flash = createSimFlash();
  const state = newAmpState();
  state.powerOk = true;
  const log = startFaultLog(flash, state);
  return { flash, state, log, lines: () => (flash.read(FAULT_LOG_FILE) || "").split("\n").filter(Boolean) };
}

describe("fault log", () => {
  test("an entry is written after a short delay, preceded by this boot's marker", () => {
    const t = rig();
    t.log.record(2, 1234.5, 1, 1012.4);
    t.log.flush(1300);
    expect(t.flash.writes).toBe(0); // waits for a burst to finish
    t.log.flush(1600);
    expect(t.lines()).toEqual(["0,0.000,0,0", "2,1.234,1,1012"]);
    expect(t.log.waiting()).toBe(0);
  });

  test("a fault back straight after each clear counts on its entry: one line with how many times, kept across writes and reloads", () => {
    const t = rig();
    t.log.record(3, 1000, 1, 0);
    for (let i = 0; i < 3; i++) t.log.record(3, 1100 + i * 100, 1, 0, true);
    expect(t.log.text()).toBe("oc-left@1.000:1,0*4");
    t.log.flush(2000);
    expect(t.lines()).toEqual(["0,0.000,0,0", "3,1.000,1,0,4"]);
    t.log.record(3, 5000, 1, 0, true);
    t.log.flush(20000);
    expect(t.lines()).toEqual(["0,0.000,0,0", "3,1.000,1,0,5"]);
    // after a reboot the line is still whole; a repeat of a fault not logged this boot is new
    const next = startFaultLog(t.flash, t.state);
    expect(next.text()).toBe("boot@0.000:0,0 oc-left@1.000:1,0*5");
    next.record(3, 900, 1, 0, true);
    expect(next.text()).toBe("boot@0.000:0,0 oc-left@1.000:1,0*5 oc-left@0.900:1,0");
  });

  test("never writes while power is not OK; writes once it is", () => {
    const t = rig();
    t.state.powerOk = false;
    t.log.record(8, 100, 0, 0);
    for (let ms = 500; ms < 30000; ms += 10) t.log.flush(ms);
    expect(t.flash.writes).toBe(0);
    expect(t.log.text()).toBe("ac-loss@0.100:0,0");
    t.state.powerOk = true;
    t.log.flush(30010);
    expect(t.lines()).toEqual(["0,0.000,0,0", "8,0.100,0,0"]);
  });

  test("at most one write per 10 s; a storm of faults is kept bounded in RAM and flash", () => {
    const t = rig();
    t.log.record(3, 0, 1, -1);
    t.log.flush(400);
    expect(t.lines()).toEqual(["0,0.000,0,0", "3,0.000,1,-1"]);
    for (let i = 1; i < 200; i++) {
      const now = i * 100;
      t.log.record(3, now, 1, i);
      t.log.flush(now + 50);
    }
    for (let ms = 20000; ms < 120000; ms += 10) t.log.flush(ms);
    expect(t.flash.writes).toBeLessThanOrEqual(Math.ceil(120000 / 10000) + 1);
    const lines = t.lines();
    expect(lines.length).toBe(MAX_ENTRIES);
    // The first fault (the root cause) went to flash at once; then batches of the first 8 faults
    // waiting, one write per 10 s: entries 1-8 at 10.45 s, 105-112 at 20 s (the rest dropped).
    expect(t.flash.writes).toBe(3);
    expect(lines[0]).toBe("3,0.100,1,1");
    expect(lines.slice(-2)).toEqual(["3,11.100,1,111", "3,11.200,1,112"]);
  });

  test("later boots append after a new marker; the file never grows past MAX_ENTRIES", () => {
    const t = rig();
    t.log.record(5, 100, 0, 0);
    t.log.flush(1000);
    const next = startFaultLog(t.flash, t.state);
    next.record(6, 200, 71, 0);
    next.flush(1000);
    expect(t.lines()).toEqual(["0,0.000,0,0", "5,0.100,0,0", "0,0.000,0,0", "6,0.200,71,0"]);
    expect(next.text()).toBe("boot@0.000:0,0 se-plug@0.100:0,0 boot@0.000:0,0 thermal@0.200:71,0");
  });

  test("a write cut by a power loss leaves whole lines only; the next write goes on from there", () => {
    const t = rig();
    t.log.record(1, 100, 0, 90);
    t.log.flush(1000);
    const before = t.flash.read(FAULT_LOG_FILE)!;
    const next = startFaultLog(t.flash, t.state);
    next.record(2, 300, 3, -1000);
    t.flash.cutPowerAfterBytes(before.length + 5);
    next.flush(1000);
    t.flash.powerRestored();
    expect(next.waiting()).toBe(1); // the write failed: kept for later
    expect(next.text()).toBe("boot@0.000:0,0 dc-creep@0.100:0,90 dc-step@0.300:3,-1000");
    next.flush(12000);
    expect(t.lines()).toEqual(["0,0.000,0,0", "1,0.100,0,90", "0,0.000,0,0", "2,0.300,3,-1000"]);
  });

  test("garbage in the file is ignored", () => {
    const t = rig();
    t.flash.write(FAULT_LOG_FILE, "junk\n7,1.0,2\n3,1.500,1,2\n\u0000\u0001");
    expect(t.log.text()).toBe("oc-left@1.500:1,2");
  });
});
