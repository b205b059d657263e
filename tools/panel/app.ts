// The live terminal front panel (terminal-kit): runs the session in real time (or faster, or
// paused), paints view.ts's lines into a screen buffer that only redraws what changed, and turns
// keys into sim actions or panel commands (keys.ts). It takes the alternate screen and raw input
// on start and gives both back on every way out (q, Ctrl-C, a signal, an exception).
import * as termkit from "terminal-kit";
import { BOARDS } from "../../boards/index";
import { applyAction, parseAction } from "../scenario/actions";
import { SimSession } from "../scenario/session";
import { findBinding } from "./keys";
import { PanelState, renderPanel, Style } from "./view";

/** Repaint period, ms of real time. */
const FRAME_MS = 40;
/** The sim never jumps more than this in one frame (a stalled host does not skip physics). */
const MAX_STEP_MS = 250;
/** How often the panel asks the firmware for its status line, ms of sim time. */
const STATUS_POLL_MS = 100;
const SPEEDS = [0.25, 0.5, 1, 2, 4, 8];
const MESSAGE_MS = 5000;
/** While a calibration sweep runs, ask the firmware how far it is this often (real ms). */
const CAL_POLL_MS = 400;
/** A finished or failed calibration stays on the prompt line this long. */
const CAL_SHOW_MS = 8000;

const STYLES: { [K in Style]: termkit.ScreenBuffer.Attributes } = {
  normal: {},
  dim: { dim: true },
  bold: { bold: true },
  title: { color: "cyan", bold: true },
  ok: { color: "green" },
  warn: { color: "yellow" },
  bad: { color: "red", bold: true },
  key: { color: "cyan" },
  value: { color: "brightWhite" },
  input: { color: "brightYellow" },
};

/** Rows the console pane scrolls per < or >. */
const CONSOLE_SCROLL_ROWS = 5;

export interface PanelOptions {
  board: string;
  seed: number;
  code: string;
}

export function runPanel(o: PanelOptions): Promise<number> {
  const board = BOARDS[o.board];
  const session = new SimSession({ board, code: o.code, seed: o.seed, plugged: [board.outputs.defaultOutput] });
  session.setStatusPolling(STATUS_POLL_MS);
  const st: PanelState = { session, speed: 1, paused: false, mode: "keys", input: "", help: false, message: "", consoleBack: 0 };
  let messageAt = 0;
  let calFollow = false;
  let calPolledAt = 0;
  let calEndedAt = 0;
  const histories: { [mode: string]: string[] } = { console: [], action: [] };
  let historyAt = 0;

  const term = termkit.terminal;
  let screen = new termkit.ScreenBuffer({ dst: term, width: term.width, height: term.height });
  let restored = false;
  let timer: NodeJS.Timeout | null = null;

  const restore = () => {
    if (restored) return;
    restored = true;
    if (timer) clearInterval(timer);
    term.grabInput(false);
    term.styleReset();
    term.hideCursor(false);
    term.fullscreen(false);
  };

  const say = (m: string) => {
    st.message = m;
    messageAt = Date.now();
  };

  const paint = (full: boolean) => {
    const lines = renderPanel(st, screen.width, screen.height);
    screen.fill();
    for (let y = 0; y < lines.length; y++) {
      let x = 0;
      for (const s of lines[y]) {
        screen.put({ x, y, attr: STYLES[s.style], wrap: false, dx: 1, dy: 0 }, s.text);
        x += [...s.text].length;
      }
    }
    screen.draw({ delta: !full });
  };

  const doAction = (text: string) => {
    try {
      applyAction(session, parseAction(text));
    } catch (e) {
      say((e as Error).message);
    }
  };

  return new Promise<number>((resolve) => {
    const quit = (code: number) => {
      restore();
      resolve(code);
    };
    const onSignal = () => quit(0);
    process.once("SIGTERM", onSignal);
    process.once("SIGHUP", onSignal);
    process.once("exit", restore);
    process.once("uncaughtException", (e) => {
      restore();
      console.error(e);
      resolve(1);
    });

    term.fullscreen(true);
    term.hideCursor(true);
    term.grabInput({ mouse: false } as unknown as boolean);
    term.on("resize", (w: number, h: number) => {
      screen = new termkit.ScreenBuffer({ dst: term, width: w, height: h });
      term.clear();
      paint(true);
    });

    term.on("key", (name: string) => {
      if (name === "CTRL_C") return quit(0);
      if (st.mode !== "keys") return typing(name);
      if (st.help && name !== "q") {
        st.help = false;
        return;
      }
      const b = findBinding(name);
      if (!b) return;
      const r = b.run(session);
      if (typeof r === "string") return doAction(r);
      switch (r.panel) {
        case "quit":
          return quit(0);
        case "help":
          st.help = !st.help;
          return;
        case "console":
        case "action":
          st.mode = r.panel;
          st.input = "";
          st.message = "";
          historyAt = histories[r.panel].length;
          return;
        case "pause":
          st.paused = !st.paused;
          return;
        case "scrollBack":
        case "scrollOn":
          st.consoleBack = Math.max(0, (st.consoleBack || 0) + (r.panel === "scrollBack" ? CONSOLE_SCROLL_ROWS : -CONSOLE_SCROLL_ROWS));
          return;
        case "slower":
        case "faster": {
          const i = SPEEDS.indexOf(st.speed) + (r.panel === "faster" ? 1 : -1);
          st.speed = SPEEDS[Math.max(0, Math.min(SPEEDS.length - 1, i))];
          return;
        }
      }
    });

    function typing(name: string) {
      if (name === "ESCAPE") {
        st.mode = "keys";
        st.input = "";
        return;
      }
      if (name === "BACKSPACE") {
        st.input = st.input.slice(0, -1);
        return;
      }
      const history = histories[st.mode];
      if (name === "UP" || name === "DOWN") {
        historyAt = Math.max(0, Math.min(history.length, historyAt + (name === "UP" ? -1 : 1)));
        st.input = history[historyAt] || "";
        return;
      }
      if (name === "ENTER" || name === "KP_ENTER") {
        const line = st.input.trim();
        const mode = st.mode;
        st.mode = "keys";
        st.input = "";
        if (!line) return;
        history.push(line);
        if (mode === "console") session.command(line);
        else doAction(line);
        if (/^(console\s+)?cal start\b/.test(line)) {
          calFollow = true;
          st.cal = "running 0";
        }
        return;
      }
      if (name.length === 1 && name >= " ") st.input += name;
    }

    let last = Date.now();
    paint(true);
    timer = setInterval(() => {
      const now = Date.now();
      const dt = Math.min(MAX_STEP_MS, (now - last) * st.speed);
      last = now;
      if (!st.paused) session.advance(dt);
      if (st.message && now - messageAt > MESSAGE_MS && st.mode === "keys") st.message = "";
      if (calFollow && now - calPolledAt > CAL_POLL_MS) {
        calPolledAt = now;
        session.query("cal status", "ok cal ", (reply) => {
          st.cal = reply.slice("ok cal ".length);
          if (!/^running/.test(st.cal)) {
            calFollow = false;
            calEndedAt = Date.now();
          }
        });
      }
      if (!calFollow && st.cal && now - calEndedAt > CAL_SHOW_MS) st.cal = "";
      paint(false);
    }, FRAME_MS);
  });
}
