// The panel's screen as a pure function of the session (no terminal): exact size, the truth and
// the firmware's status side by side, unknown status fields shown as they come, every key bound
// to a valid sim action.
import { BOARDS } from "../../boards/index";
import { parseAction } from "../../tools/scenario/actions";
import { SimSession } from "../../tools/scenario/session";
import { BINDINGS, findBinding, KEY_HELP } from "../../tools/panel/keys";
import { consoleRows, PanelState, plainText, renderPanel, stagedNote } from "../../tools/panel/view";
import { readBundle } from "../helpers/device";

function session(): SimSession {
  const s = new SimSession({ board: BOARDS.pico, code: readBundle("pico"), seed: 1, plugged: ["bal35"] });
  s.setStatusPolling(100);
  return s;
}

function state(s: SimSession, over: Partial<PanelState> = {}): PanelState {
  return { session: s, speed: 1, paused: false, mode: "keys", input: "", help: false, message: "", ...over };
}

function screenText(st: PanelState, w: number, h: number): string {
  const lines = renderPanel(st, w, h);
  expect(lines.length).toBe(h);
  for (const l of lines) expect([...l.map((x) => x.text).join("")].length).toBe(w);
  return plainText(lines);
}

describe("panel view", () => {
  test("fills the terminal exactly, at the smallest and a large size", () => {
    const s = session();
    s.advance(1500);
    for (const [w, h] of [
      [80, 24],
      [100, 32],
      [160, 50],
    ]) {
      const text = screenText(state(s), w, h);
      expect(text).toMatch(/BALANCED AMP\s+pico\s+seed 1/);
      expect(text).toMatch(/shaft\s+[\d.]+°/);
      expect(text).toMatch(/output relay/);
      expect(text).toMatch(/q quit/);
    }
  });

  test("shows the sim's truth: the shaft angle and the true attenuation follow a hand turn", () => {
    const s = session();
    s.advance(1500);
    const before = screenText(state(s), 100, 32);
    s.handTurn(250, 200);
    s.advance(2000);
    const after = screenText(state(s), 100, 32);
    const deg = (t: string) => Number(/shaft\s+([\d.]+)°/.exec(t)![1]);
    expect(deg(before)).toBeLessThan(200);
    expect(deg(after)).toBeCloseTo(s.amp.shaftDeg(), 0);
    expect(after).toMatch(new RegExp("actual\\s+L\\s+" + s.amp.audioDb().left.toFixed(2).replace(".", "\\.") + "\\s+R\\s+" + s.amp.audioDb().right.toFixed(2).replace(".", "\\.")));
  });

  test("lists status fields it does not know, as the firmware reports them", () => {
    const s = session();
    s.advance(1500);
    s.status = { ...s.status, brandnew: "42", another_key: "x,y" };
    s.statusLine = "STATUS " + Object.keys(s.status).map((k) => k + "=" + s.status[k]).join(" ");
    const text = screenText(state(s), 100, 32);
    expect(text).toContain("brandnew=42");
    expect(text).toContain("another_key=x,y");
  });

  test("a power cut shows on the header; the status goes away while the controller is off", () => {
    const s = session();
    s.advance(1500);
    s.powerCut(2000);
    s.advance(50);
    expect(screenText(state(s), 100, 32)).toContain("MAINS LOST");
    s.advance(500);
    const off = screenText(state(s), 100, 32);
    expect(off).toContain("CONTROLLER OFF");
    expect(off).toContain("(controller off: no status)");
    s.advance(3000);
    const back = screenText(state(s), 100, 32);
    expect(back).toContain("power on");
    expect(back).toContain("boot #2");
  });

  test("too small a terminal gets a message instead of a layout", () => {
    const text = screenText(state(session()), 60, 20);
    expect(text).toContain("needs a 80x24 terminal; this one is 60x20");
  });

  test("help lists every bound key and fits the smallest terminal", () => {
    const text = screenText(state(session(), { help: true }), 80, 24);
    for (const [label] of KEY_HELP) expect(text).toContain(label);
  });

  test("the typing prompt shows what is typed", () => {
    const text = screenText(state(session(), { mode: "console", input: "vol -30" }), 100, 32);
    expect(text).toMatch(/console> vol -30/);
  });
});

describe("the console pane", () => {
  const text = (rows: ReturnType<typeof consoleRows>) => rows.map((r) => r.map((g) => g.text).join(""));
  test("a long reply is wrapped, not cut: every character of it is on the pane", () => {
    const help = "ok status vol mute out gain ab faults clear cal set get unlock help; keys: step maxvol startcap";
    const rows = text(consoleRows(["> help", help], 30, 10, 0));
    expect(rows.length).toBeGreaterThan(3);
    expect(rows.slice(1).map((r, i) => (i ? r.slice(1) : r)).join("")).toBe(help);
  });
  test("scrolled back, older rows show, the first row says so; scrolling past the top stops there", () => {
    const lines = Array.from({ length: 30 }, (_, i) => "ok line " + i);
    expect(text(consoleRows(lines, 40, 5, 0))).toEqual(["ok line 25", "ok line 26", "ok line 27", "ok line 28", "ok line 29"]);
    expect(text(consoleRows(lines, 40, 5, 10))).toEqual(["(10 rows back: > for newer)", "ok line 16", "ok line 17", "ok line 18", "ok line 19"]);
    expect(text(consoleRows(lines, 40, 5, 999))[4]).toBe("ok line 4");
  });
});

describe("gain staging on the panel", () => {
  test("the gain in use is shown with why it is below the one asked for, until a gain reply says otherwise", () => {
    const r = (text: string) => ({ kind: "reply", text });
    expect(stagedNote([r("ok gain 0 staged 18"), r("ok vol -40")])).toBe(" (asked +18: gain staging, until the level is up)");
    expect(stagedNote([r("ok gain 0 staged 18"), r("ok gain 9")])).toBe("");
    expect(stagedNote([])).toBe("");
  });
});

describe("panel keys", () => {
  test("every key that names an action names a valid one, whatever the world's state", () => {
    const s = session();
    const check = () => {
      for (const b of BINDINGS) {
        const r = b.run(s);
        if (typeof r === "string") expect(() => parseAction(r)).not.toThrow();
      }
    };
    check();
    // Toggle everything once (second press of a toggle must be valid too).
    s.setLegDc(0, 1);
    s.setLegDc(3, 0.15);
    s.setShort("left", true);
    s.setMotorStalled(true);
    s.setDeckFault(5, "open");
    s.setDeckFault(6, "dirty");
    s.setAcPresent(false);
    s.plug("se63", true);
    s.plugSingleEndedIntoTrrs("bal35", true);
    s.setHeatsinkC(80);
    check();
  });

  test("toggles undo themselves", () => {
    const s = session();
    const press = (k: string) => {
      const r = findBinding(k)!.run(s);
      if (typeof r !== "string") throw new Error("not an action");
      return r;
    };
    expect(press("d")).toBe("dc L+ 1");
    s.setLegDc(0, 1);
    expect(press("d")).toBe("dc L+ 0");
    expect(press("8")).toBe("plug se63");
    s.plug("se63", true);
    expect(press("8")).toBe("unplug se63");
    expect(press("a")).toBe("ac off");
    expect(press("RIGHT")).toBe("knob +1");
    expect(press("SHIFT_LEFT")).toMatch(/^knob -5 \d+$/);
  });

  test("no key is bound twice", () => {
    const all = BINDINGS.flatMap((b) => b.keys);
    expect(new Set(all).size).toBe(all.length);
  });
});
