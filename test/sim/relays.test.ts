import { RelayDrive } from "../../boards/board";
import { SimAmpHandle } from "../../hal/sim/amp";
import { RELAY_NAMES, Shift595 } from "../../hal/sim/relays";
import { amp, MDBT42Q, PICO } from "./helpers";

/** Bit-bang a byte into the 595, MSB first, then latch. */
function shiftOut(a: SimAmpHandle, byte: number): void {
  const rd = PICO.relays as Extract<RelayDrive, { kind: "shift595" }>;
  for (let b = 7; b >= 0; b--) {
    a.pins.digitalWrite(rd.data, ((byte >> b) & 1) === 1);
    a.pins.digitalWrite(rd.clock, true);
    a.pins.digitalWrite(rd.clock, false);
  }
  a.pins.digitalWrite(rd.latch, true);
  a.pins.digitalWrite(rd.latch, false);
}

describe("74HC595", () => {
  it("samples data on clock rising edges, updates outputs on latch rising edge; Qi = bit i (MSB first)", () => {
    const latched: number[] = [];
    const sr = new Shift595((o) => latched.push(o));
    const send = (byte: number) => {
      for (let b = 7; b >= 0; b--) {
        sr.setData(((byte >> b) & 1) === 1);
        sr.setClock(true);
        sr.setClock(false);
      }
    };
    send(0b0010_0101);
    expect(sr.outputs()).toBe(0); // not latched yet
    sr.setLatch(true);
    expect(sr.outputs()).toBe(0b0010_0101);
    sr.setLatch(true); // no new rising edge
    sr.setLatch(false);
    sr.setData(true); // data without a clock edge changes nothing
    sr.setLatch(true);
    expect(latched).toEqual([0b0010_0101, 0b0010_0101]);
    sr.setClock(true); // one more bit: Q0 = last bit shifted in, old Q7 falls out
    sr.setLatch(false);
    sr.setLatch(true);
    expect(sr.outputs()).toBe(0b0100_1011);
  });

  it("drives relay i from Q i on the pico board", () => {
    const a = amp({ seed: 1 });
    shiftOut(a, 0b0001_0010); // bal35 + gain9
    expect(a.relayCoils()).toBe(0b0001_0010);
    a.clock.advance(PICO.relayTiming.operateMs + 2);
    expect(a.outputsLive()).toEqual(["bal35"]);
    expect(a.gainDb()).toBe(9);
    shiftOut(a, 0b0010_1000); // se63 + gain18
    a.clock.advance(PICO.relayTiming.operateMs + 2);
    expect(a.outputsLive()).toEqual(["se63"]);
    expect(a.gainDb()).toBe(18);
  });
});

describe("relays", () => {
  it("operate within the board's operate time, bounce ~1 ms, release within the release time", () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const a = amp({ seed }, MDBT42Q);
      const pin = (MDBT42Q.relays as Extract<RelayDrive, { kind: "direct" }>).pins[2]; // xlr
      const changes: [number, boolean][] = [];
      const seen = () => a.outputsLive().includes("xlr");
      a.clock.advance(1);
      a.pins.digitalWrite(pin, true);
      let was = false;
      for (let t = 0; t < 20; t += 0.01) {
        a.clock.advance(0.01);
        if (seen() !== was) changes.push([a.clock.nowMs() - 1, (was = seen())]);
      }
      const op = a.unit.relayOperateMs.xlr;
      expect(op).toBeLessThanOrEqual(MDBT42Q.relayTiming.operateMs);
      expect(changes[0][0]).toBeCloseTo(op, 1);
      expect(changes.length).toBeGreaterThanOrEqual(3); // closes, bounces open, closes again
      expect(changes.length % 2).toBe(1);
      expect(changes[changes.length - 1][0] - changes[0][0]).toBeLessThanOrEqual(1.01);
      const off = a.clock.nowMs();
      a.pins.digitalWrite(pin, false);
      a.clock.advance(MDBT42Q.relayTiming.releaseMs * 0.69);
      expect(seen()).toBe(true);
      a.clock.advance(MDBT42Q.relayTiming.releaseMs * 0.32);
      expect(seen()).toBe(false);
      expect(a.clock.nowMs() - off).toBeGreaterThanOrEqual(a.unit.relayReleaseMs.xlr);
    }
  });

  it("a coil pulse shorter than the operate time never closes the contact", () => {
    const a = amp({ seed: 2 });
    a.pins.digitalWrite(PICO.pins.muteRelay, true);
    a.clock.advance(1);
    a.pins.digitalWrite(PICO.pins.muteRelay, false);
    a.clock.advance(50);
    expect(a.outputConnected()).toBe(false);
    expect(a.relayEventsWhileConnected()).toEqual([]);
  });

  it("mute relay: high = connected, after operate and bounce", () => {
    const a = amp({ seed: 3 });
    expect(a.outputConnected()).toBe(false);
    a.pins.digitalWrite(PICO.pins.muteRelay, true);
    a.clock.advance(PICO.relayTiming.operateMs + 1.01);
    expect(a.outputConnected()).toBe(true);
    a.pins.digitalWrite(PICO.pins.muteRelay, false);
    a.clock.advance(PICO.relayTiming.releaseMs + 0.01);
    expect(a.outputConnected()).toBe(false);
  });

  it("records output/gain relay contact changes that happen while the mute relay is closed", () => {
    const a = amp({ seed: 4 });
    shiftOut(a, 0b0000_0010);
    a.clock.advance(20);
    a.pins.digitalWrite(PICO.pins.muteRelay, true);
    a.clock.advance(20);
    expect(a.relayEventsWhileConnected()).toEqual([]);
    shiftOut(a, 0b0000_0001); // switching outputs while connected: a firmware bug
    a.clock.advance(20);
    const events = a.relayEventsWhileConnected();
    expect(events.map((e) => e.relay)).toContain("bal35");
    expect(events.map((e) => e.relay)).toContain("bal44");
    expect(events.every((e) => RELAY_NAMES.includes(e.relay as never))).toBe(true);
  });
});
