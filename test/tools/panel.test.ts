// The live front panel, driven as a person would: in a pseudo-terminal (tools/panel/pty.ts), keys
// in, the screen read back through a headless xterm. The panel runs the built bundle in real time,
// so these tests wait for what the screen shows (with generous limits), never for fixed times.
import * as path from "path";
import { KEYS, ptyMethod, runInPty, PtySession } from "../../tools/panel/pty";

const ROOT = path.resolve(__dirname, "../..");
const PANEL = ["node", path.join(ROOT, "tools/ts.js"), path.join(ROOT, "tools/simulate.ts"), "--no-build", "--seed", "1"];
const SCREEN_MS = 20_000;

function shaftDeg(screen: string): number {
  const m = /shaft\s+([\d.]+)°/.exec(screen);
  if (!m) throw new Error("no shaft angle on the screen:\n" + screen);
  return Number(m[1]);
}

function simTime(screen: string): number {
  return Number(/\bt\s+([\d.]+) s\b/.exec(screen)![1]);
}

describe("terminal front panel", () => {
  let pty: PtySession | null = null;
  afterEach(() => {
    if (pty) pty.kill();
    pty = null;
  });

  test("a pseudo-terminal is available (python3 pty or util-linux script)", () => {
    expect(ptyMethod()).not.toBeNull();
  });

  test("shows the amp, a knob turn moves the simulated pot, a hand turn moves it too, q quits and restores the terminal", async () => {
    pty = runInPty(PANEL, { cols: 100, rows: 32, cwd: ROOT });
    // Boot: the power-on mute ends and the output relay closes.
    let screen = await pty.waitFor((s) => /output relay\s+● CONNECTED/.test(s), SCREEN_MS, "the output relay to close after the power-on delay");
    expect(screen).toMatch(/BALANCED AMP\s+pico\s+seed 1/);
    expect(screen).toMatch(/muted by\s+none/);
    expect(screen).toMatch(/BOOT amp-controller/);
    const before = shaftDeg(screen);

    // Knob: a fast turn clockwise (louder). The firmware drives the motor; the pot turns.
    pty.type(KEYS.shiftRight + KEYS.shiftRight);
    screen = await pty.waitFor((s) => shaftDeg(s) > before + 3, SCREEN_MS, "the pot to turn louder after the knob turn");
    expect(screen).toMatch(/knob \+5/); // the log names the action
    // ... and it stops again (the loop settles, nothing left driven).
    screen = await pty.waitFor((s) => /motor\s+off/.test(s) && shaftDeg(s) > before + 3, SCREEN_MS, "the motor to stop at the new position");
    const afterKnob = shaftDeg(screen);

    // A hand on the shaft: 10 degrees per arrow-up, the clutch slips.
    pty.type(KEYS.up + KEYS.up);
    screen = await pty.waitFor((s) => shaftDeg(s) >= afterKnob + 15, SCREEN_MS, "the hand turn to move the shaft");
    expect(screen).toMatch(/hand turns the pot to/);

    // Console line through the prompt: the reply comes back on the console pane.
    pty.type(":");
    await pty.waitFor((s) => /console> /.test(s), SCREEN_MS, "the console prompt");
    pty.type("status" + KEYS.enter);
    await pty.waitFor((s) => /> status/.test(s) && /\bSTATUS board=pico/.test(s), SCREEN_MS, "the status reply on the console pane");

    // Time runs: the clock on the header advances.
    const t1 = simTime(await pty.waitFor(() => true, SCREEN_MS));
    await pty.waitFor((s) => simTime(s) > t1 + 0.2, SCREEN_MS, "the sim clock to advance");

    pty.type("q");
    const { code } = await pty.exited();
    expect(code).toBe(0);
    const raw = pty.raw();
    // It took the alternate screen and gave it back, and showed the cursor again.
    expect(raw).toContain("\x1b[?1049h");
    expect(raw.lastIndexOf("\x1b[?1049l")).toBeGreaterThan(raw.lastIndexOf("\x1b[?1049h"));
    expect(raw.slice(raw.lastIndexOf("\x1b[?1049h"))).toContain("\x1b[?25h");
  }, 90_000);

  test("fault keys: DC on a leg opens the output relay and the log says so; Ctrl-C quits cleanly", async () => {
    pty = runInPty(PANEL, { cols: 100, rows: 32, cwd: ROOT });
    await pty.waitFor((s) => /output relay\s+● CONNECTED/.test(s), SCREEN_MS, "the output relay to close");
    pty.type("d");
    const screen = await pty.waitFor((s) => /output relay\s+○ open/.test(s), SCREEN_MS, "the relay to open on DC");
    expect(screen).toMatch(/DC on L\+: 1\.000 V/);
    expect(screen).toMatch(/output relay open \(muted\)/);
    expect(screen).toMatch(/muted by\s+\S*dc/);
    pty.type(KEYS.ctrlC);
    const { code } = await pty.exited();
    expect(code).toBe(0);
    expect(pty.raw().lastIndexOf("\x1b[?1049l")).toBeGreaterThan(pty.raw().lastIndexOf("\x1b[?1049h"));
  }, 60_000);

  test("a terminal too small for the panel gets a clear message, not a garbled screen", async () => {
    pty = runInPty(PANEL, { cols: 60, rows: 20, cwd: ROOT });
    await pty.waitFor((s) => /needs a 80x24 terminal; this one is 60x20/.test(s), SCREEN_MS, "the too-small message");
    pty.type("q");
    expect((await pty.exited()).code).toBe(0);
  }, 60_000);
});
