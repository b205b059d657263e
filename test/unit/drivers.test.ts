import { startMotorDrive } from "../../firmware/motorDrive";
import { startRelayBank } from "../../firmware/relayBank";
import { decodeJackLadder, LADDER_STEPS, ntcCelsius } from "../../firmware/sensors";
import { startLineAssembler, MAX_LINE } from "../../firmware/consoleLines";
import { fakeGpio } from "../helpers/fakeGpio";

describe("motorDrive", () => {
  test("starts coasting with both bridge inputs low", () => {
    const g = fakeGpio();
    startMotorDrive({ gpio: g, pinA: "A", pinB: "B", pwmHz: 2000 });
    expect(g.levels).toEqual({ A: false, B: false });
  });

  test("drives one side at the commanded duty, the other low; brake drives both high", () => {
    const g = fakeGpio();
    const m = startMotorDrive({ gpio: g, pinA: "A", pinB: "B", pwmHz: 2000 });
    m.drive(0.6);
    expect(g.duties).toEqual({ A: 0.6, B: 0 });
    m.drive(-0.3);
    expect(g.duties).toEqual({ A: 0, B: 0.3 });
    m.brake();
    expect(g.levels).toEqual({ A: true, B: true });
    m.stop();
    expect(g.levels).toEqual({ A: false, B: false });
  });

  test("holding a command writes nothing; NaN coasts; duty is clamped", () => {
    const g = fakeGpio();
    const m = startMotorDrive({ gpio: g, pinA: "A", pinB: "B", pwmHz: 2000 });
    m.drive(0.5);
    const n = g.log.length;
    m.drive(0.5);
    expect(g.log.length).toBe(n);
    m.drive(NaN);
    expect(g.duties).toEqual({ A: 0, B: 0 });
    m.drive(7);
    expect(g.duties.A).toBe(1);
  });
});

describe("relayBank", () => {
  test("direct drive writes one pin per relay in the documented order", () => {
    const g = fakeGpio();
    const r = startRelayBank(g, { kind: "direct", pins: ["p0", "p1", "p2", "p3", "p4", "p5"] });
    r.drive(0b100010); // bal35 + gain18
    expect(g.levels).toMatchObject({ p0: false, p1: true, p2: false, p3: false, p4: false, p5: true });
  });

  test("74HC595: eight bits MSB first on clock rising edges, then one latch pulse", () => {
    const g = fakeGpio();
    const r = startRelayBank(g, { kind: "shift595", data: "D", clock: "C", latch: "L" });
    g.log = [];
    r.drive(0b000101);
    const shifted: number[] = [];
    let data = 0;
    for (const e of g.log) {
      if (e.startsWith("D=")) data = Number(e[2]);
      if (e === "C=1") shifted.push(data);
    }
    expect(shifted).toEqual([0, 0, 0, 0, 0, 1, 0, 1]);
    expect(g.log.filter((e) => e === "L=1").length).toBe(1);
    expect(g.log[g.log.length - 1]).toBe("L=0");
  });

  test("applying the same word again writes nothing", () => {
    const g = fakeGpio();
    const r = startRelayBank(g, { kind: "shift595", data: "D", clock: "C", latch: "L" });
    r.drive(3);
    const n = g.log.length;
    r.drive(3);
    expect(g.log.length).toBe(n);
  });
});

describe("sensor conversions", () => {
  test("jack ladder: every mask decodes from its nominal reading and within ±0.4 step", () => {
    for (let m = 0; m < 16; m++) {
      for (const off of [-0.4, 0, 0.4]) expect(decodeJackLadder((1 + m + off) / LADDER_STEPS)).toBe(m);
    }
    expect(decodeJackLadder(0)).toBe(0);
  });

  test("jack ladder: a reading off the ladder (open, shorted to the reference, garbage) is no plug, never all four", () => {
    for (const bad of [1, 1.2, Infinity, NaN, 16.6 / LADDER_STEPS]) expect(decodeJackLadder(bad)).toBe(0);
    expect(decodeJackLadder(16.4 / LADDER_STEPS)).toBe(15);
    expect(decodeJackLadder(-0.1)).toBe(0);
  });

  test("NTC: 25 °C at r25, hotter reads lower resistance, open/short are extreme", () => {
    const ntc = { r25: 10000, beta: 3950, rSeries: 10000 };
    expect(ntcCelsius(0.5, ntc)).toBeCloseTo(25, 6);
    const r70 = 10000 * Math.exp(3950 * (1 / 343.15 - 1 / 298.15));
    expect(ntcCelsius(r70 / (r70 + 10000), ntc)).toBeCloseTo(70, 6);
    expect(ntcCelsius(1, ntc)).toBeLessThan(-200);
    expect(ntcCelsius(0, ntc)).toBe(Infinity);
  });
});

describe("console line assembly", () => {
  test("splits on CR or LF, across chunks, dropping empty lines", () => {
    const got: (string | null)[] = [];
    const a = startLineAssembler((l) => got.push(l));
    a.push("sta");
    a.push("tus\r\n\nvol -3");
    a.push("0\n");
    expect(got).toEqual(["status", "vol -30"]);
  });

  test("an over-long line is reported once and dropped whole; the next line is fine", () => {
    const got: (string | null)[] = [];
    const a = startLineAssembler((l) => got.push(l));
    a.push("x".repeat(MAX_LINE * 50));
    a.push("y".repeat(10) + "\nstatus\n");
    expect(got).toEqual([null, "status"]);
  });
});
