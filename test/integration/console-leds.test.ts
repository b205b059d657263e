// The front-panel LEDs on the built bundle, watched the way a person would: a trace of both LEDs
// every 10 ms while the amp powers up, plays, is muted, and meets faults.
import { boot, BOARD_NAMES, Rig } from "../helpers/device";

/** Green and red over ms: strings of "G"/"R" (lit) and "." (dark), one character per 10 ms. */
function watch(rig: Rig, ms: number) {
  let g = "";
  let r = "";
  for (let t = 0; t < ms; t += 10) {
    rig.run(10);
    g += rig.amp.pinLevel(rig.board.pins.ledGreen) ? "G" : ".";
    r += rig.amp.pinLevel(rig.board.pins.ledRed) ? "R" : ".";
  }
  return { g, r };
}

/** Flashes that start inside the trace (dark -> lit); over a whole number of blink periods this
 *  counts each flash once whatever the phase. */
const flashes = (s: string) => (s.match(/\.[GR]/g) || []).length;

describe.each(BOARD_NAMES)("%s front-panel LEDs", (boardName) => {
  test("power-on delay blinks green; then steady green while playing; red stays dark", () => {
    const rig = boot(boardName);
    const start = watch(rig, rig.board.protection.powerOnDelayMs - 50);
    expect(start.g).toMatch(/^G{45,50}\.{40,50}$/); // half a second on, half off
    rig.run(20_000); // the pot has reached its start-up level
    const playing = watch(rig, 2000);
    expect(playing.g).toBe("G".repeat(200));
    expect(playing.r).not.toContain("R");
  });

  test("muted: a short green flash each second", () => {
    const rig = boot(boardName);
    rig.run(20_000);
    rig.command("mute on");
    const { g } = watch(rig, 3000);
    expect(flashes(g)).toBe(3);
  });

  test("a DC fault blinks red once per code; over-current twice; green is dark meanwhile", () => {
    const dc = boot(boardName);
    dc.run(20_000);
    dc.amp.setLegDc(2, 1.0);
    dc.run(100);
    const one = watch(dc, 4000);
    expect(one.g).not.toContain("G");
    expect(flashes(one.r)).toBe(2); // one flash per 2 s cycle

    const oc = boot(boardName);
    oc.run(20_000);
    oc.amp.setShort("left", true);
    oc.run(100);
    const two = watch(oc, 5000);
    expect(two.g).not.toContain("G");
    expect(flashes(two.r)).toBe(4); // two flashes, then the 1.5 s gap: a 2.5 s cycle
  });
});
