// Front-panel LEDs: one look tells power-on delay, playing, muted, moving, degraded, and which
// fault class (a red blink code). Driven from AmpState each tick; pins written only on change.
import { BOARDS } from "../../../boards/index";
import { newAmpState } from "../../../firmware/ampState";
import { FAULT_AC_LOSS, FAULT_DC_CREEP, FAULT_DC_STEP, FAULT_DERATE, FAULT_NTC, FAULT_OC_LEFT, FAULT_OC_RIGHT, FAULT_RAIL, FAULT_SE_PLUG, FAULT_THERMAL, VF_DECK5, VF_DECK6 } from "../../../firmware/faults";
import { MUTE_FAULT, MUTE_NO_OUTPUT, MUTE_POWER_ON, MUTE_USER } from "../../../firmware/muteReasons";
import { blinkCode, faultClass, startStatusLeds } from "../../../firmware/statusLeds";
import { Gpio } from "../../../hal/hal";

const board = BOARDS.pico;

function rig() {
  const level: Record<string, boolean> = {};
  let writes = 0;
  const gpio = {
    pin: (n: string) => n,
    write: (p: string, v: boolean) => {
      level[p] = v;
      writes++;
    },
  } as unknown as Gpio;
  const state = newAmpState();
  state.muteReasons = 0; // playing (a new state starts muted for power-on)
  const leds = startStatusLeds(gpio, board, state);
  let t = 0;
  /** Green and red as seen every 10 ms over ms: a string like "GGG.." per LED. */
  function watch(ms: number) {
    let g = "";
    let r = "";
    for (const end = t + ms; t < end; t += board.tickMs) {
      leds.tick(t);
      g += level[board.pins.ledGreen] ? "G" : ".";
      r += level[board.pins.ledRed] ? "R" : ".";
    }
    return { g, r };
  }
  return { state, watch, writes: () => writes };
}

/** Number of separate lit runs in a trace. */
const flashes = (s: string) => (s.match(/[GR]+/g) || []).length;

describe("LED codes", () => {
  test("each fault class has its own number of red flashes, most urgent first", () => {
    expect(faultClass(FAULT_DC_CREEP, 0)).toBe(1);
    expect(faultClass(FAULT_DC_STEP, 0)).toBe(1);
    expect(faultClass(FAULT_OC_LEFT, 0)).toBe(2);
    expect(faultClass(FAULT_OC_RIGHT | FAULT_AC_LOSS, 0)).toBe(2);
    expect(faultClass(FAULT_SE_PLUG, 0)).toBe(3);
    expect(faultClass(FAULT_THERMAL, 0)).toBe(4);
    expect(faultClass(FAULT_NTC, 0)).toBe(4);
    expect(faultClass(FAULT_AC_LOSS, 0)).toBe(5);
    expect(faultClass(FAULT_RAIL, 0)).toBe(5);
    expect(faultClass(1 << 12, 0)).toBe(6);
    expect(faultClass(0, MUTE_FAULT)).toBe(6);
    expect(faultClass(FAULT_DERATE, 0)).toBe(0);
    expect(faultClass(0, MUTE_USER | MUTE_POWER_ON)).toBe(0);
  });

  test.each([1, 2, 3, 4, 5, 6])("class %i: that many 200 ms flashes, then a 1.5 s gap", (n) => {
    const cycle = n * 500 + 1500;
    let lit = "";
    for (let t = 0; t < cycle; t += 10) lit += blinkCode(n, t) ? "R" : ".";
    expect(flashes(lit)).toBe(n);
    expect(lit.match(/R+/g)!.every((run) => run.length === 20)).toBe(true);
    expect(lit.endsWith(".".repeat(150))).toBe(true);
  });
});

describe("driven from the state", () => {
  test("power-on delay: green blinks once a second, red off", () => {
    const { state, watch } = rig();
    state.muteReasons = MUTE_POWER_ON;
    const { g, r } = watch(3000);
    expect(flashes(g)).toBe(3);
    expect(r).not.toContain("R");
  });

  test("playing: green steady", () => {
    const { watch } = rig();
    const { g, r } = watch(2000);
    expect(g).toBe("G".repeat(200));
    expect(r).toBe(".".repeat(200));
  });

  test("muted (by the user, or no plug): a short green flash each second", () => {
    for (const set of [(s: ReturnType<typeof newAmpState>) => (s.userMute = true), (s: ReturnType<typeof newAmpState>) => (s.muteReasons = MUTE_NO_OUTPUT), (s: ReturnType<typeof newAmpState>) => (s.levelMute = true)]) {
      const { state, watch } = rig();
      set(state);
      const { g } = watch(3000);
      expect(flashes(g)).toBe(3);
      expect(g.match(/G+/g)!.every((run) => run.length === 10)).toBe(true);
    }
  });

  test("pot moving: green blinks fast", () => {
    const { state, watch } = rig();
    state.moving = true;
    expect(flashes(watch(1000).g)).toBe(5);
  });

  test("degraded or derating: red steady beside the green state", () => {
    const { state, watch } = rig();
    state.degraded = true;
    expect(watch(1000)).toEqual({ g: "G".repeat(100), r: "R".repeat(100) });
    state.degraded = false;
    state.faults = FAULT_DERATE;
    expect(watch(1000).r).toBe("R".repeat(100));
  });

  test("one failed deck while the other carries on is degraded, not a fault; both failed is code 6", () => {
    const { state, watch } = rig();
    state.degraded = true;
    state.faults = VF_DECK6;
    expect(watch(2000)).toEqual({ g: "G".repeat(200), r: "R".repeat(200) });
    state.degraded = false;
    state.faults = VF_DECK5 | VF_DECK6;
    watch(5600); // now 7.6 s: inside the dark gap of the 4.5 s cycle
    const { g, r } = watch(4500);
    expect(g).not.toContain("G");
    expect(flashes(r)).toBe(6);
  });

  test("a fault: green off, red blinks its code", () => {
    const { state, watch } = rig();
    state.faults = FAULT_SE_PLUG;
    state.muteReasons = MUTE_USER;
    const { g, r } = watch(3000);
    expect(g).not.toContain("G");
    expect(flashes(r)).toBe(3);
  });

  test("pins are written only when a level changes", () => {
    const { watch, writes } = rig();
    const w0 = writes();
    watch(10_000);
    expect(writes() - w0).toBe(1); // green on once
  });
});
