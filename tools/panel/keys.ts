// The front panel's keys. Each key either names a sim action in the scenario language
// (tools/scenario/actions.ts: so a key does exactly what the same line in a scenario does) or a
// panel command (quit, help, typing, speed). One table gives both the behaviour and the help.
import { OUTPUT_NAMES } from "../../boards/board";
import { SimSession } from "../scenario/session";

export type PanelCommand = "quit" | "help" | "console" | "action" | "pause" | "slower" | "faster" | "scrollBack" | "scrollOn";

export interface Binding {
  /** terminal-kit key names (printable keys are the character itself). */
  keys: string[];
  label: string;
  help: string;
  /** An action line, or a panel command. */
  run: (s: SimSession) => string | { panel: PanelCommand };
}

/** Detents per fast turn, and their spacing (a quick spin of the knob). */
const FAST_DETENTS = 5;
const FAST_PERIOD_MS = 15;
const HAND_STEP_DEG = 10;
const HAND_BIG_STEP_DEG = 60;
const DC_FAULT_V = 1.0;
const DC_CREEP_V = 0.15;
const GAINS = [0, 9, 18];

const panel = (p: PanelCommand) => () => ({ panel: p });
const onOff = (b: boolean) => (b ? "on" : "off");

export const BINDINGS: Binding[] = [
  { keys: ["RIGHT"], label: "→", help: "knob one detent louder", run: () => "knob +1" },
  { keys: ["LEFT"], label: "←", help: "knob one detent quieter", run: () => "knob -1" },
  { keys: ["SHIFT_RIGHT", "PAGE_UP"], label: "Shift+→ / PgUp", help: `fast turn: ${FAST_DETENTS} detents louder`, run: () => `knob +${FAST_DETENTS} ${FAST_PERIOD_MS}` },
  { keys: ["SHIFT_LEFT", "PAGE_DOWN"], label: "Shift+← / PgDn", help: `fast turn: ${FAST_DETENTS} detents quieter`, run: () => `knob -${FAST_DETENTS} ${FAST_PERIOD_MS}` },
  { keys: [" "], label: "Space", help: "press the knob (mute)", run: () => "press" },
  { keys: ["UP"], label: "↑ / ↓", help: `hand turns the shaft ${HAND_STEP_DEG}° (clutch slips)`, run: () => `hand +${HAND_STEP_DEG}` },
  { keys: ["DOWN"], label: "", help: "", run: () => `hand -${HAND_STEP_DEG}` },
  { keys: ["SHIFT_UP"], label: "Shift+↑ / ↓", help: `hand turn ${HAND_BIG_STEP_DEG}°`, run: () => `hand +${HAND_BIG_STEP_DEG} 180` },
  { keys: ["SHIFT_DOWN"], label: "", help: "", run: () => `hand -${HAND_BIG_STEP_DEG} 180` },
  { keys: ["+", "="], label: "+ / -", help: "remote: volume up / down", run: () => "ir vol+" },
  { keys: ["-", "_"], label: "", help: "", run: () => "ir vol-" },
  { keys: ["m"], label: "m", help: "remote: mute", run: () => "ir mute" },
  { keys: ["1"], label: "1 2 3 4", help: "remote: output " + OUTPUT_NAMES.join(" "), run: () => "ir " + OUTPUT_NAMES[0] },
  { keys: ["2"], label: "", help: "", run: () => "ir " + OUTPUT_NAMES[1] },
  { keys: ["3"], label: "", help: "", run: () => "ir " + OUTPUT_NAMES[2] },
  { keys: ["4"], label: "", help: "", run: () => "ir " + OUTPUT_NAMES[3] },
  { keys: ["b"], label: "b", help: "remote: level-matched A/B", run: () => "ir ab" },
  { keys: ["g"], label: "g", help: "gain 0 → 9 → 18 dB (console)", run: (s) => "console gain " + GAINS[(GAINS.indexOf(s.amp.gainDb()) + 1) % GAINS.length] },
  { keys: ["5"], label: "5 6 7 8", help: "plug / unplug " + OUTPUT_NAMES.join(" "), run: (s) => jack(s, 0) },
  { keys: ["6"], label: "", help: "", run: (s) => jack(s, 1) },
  { keys: ["7"], label: "", help: "", run: (s) => jack(s, 2) },
  { keys: ["8"], label: "", help: "", run: (s) => jack(s, 3) },
  { keys: ["t"], label: "t", help: "TRS plug in the bal35 TRRS jack", run: (s) => (s.world.sePlug.bal35 ? "se-unplug bal35" : "se-plug bal35") },
  { keys: ["d"], label: "d", help: `${DC_FAULT_V} V DC on leg L+ (on/off)`, run: (s) => `dc L+ ${s.world.legDcV[0] ? 0 : DC_FAULT_V}` },
  { keys: ["c"], label: "c", help: `${DC_CREEP_V} V DC on leg R- (on/off)`, run: (s) => `dc R- ${s.world.legDcV[3] ? 0 : DC_CREEP_V}` },
  { keys: ["s"], label: "s", help: "short on left cold leg (on/off)", run: (s) => `short left ${onOff(!s.world.short.left)}` },
  { keys: ["k"], label: "k", help: "motor stalled (on/off)", run: (s) => `stall ${onOff(!s.world.stalled)}` },
  { keys: ["r"], label: "r", help: "motor wired reversed (on/off)", run: (s) => `reversed ${onOff(!s.world.reversed)}` },
  { keys: ["o"], label: "o", help: "deck 5 wiper open (on/off)", run: (s) => `deck 5 ${s.world.deckFault[5] === "open" ? "none" : "open"}` },
  { keys: ["w"], label: "w", help: "deck 6 dirty track (on/off)", run: (s) => `deck 6 ${s.world.deckFault[6] === "dirty" ? "none" : "dirty"}` },
  { keys: ["h"], label: "h", help: "heat sink: derate → trip → normal (the thermistor there at once)", run: (s) => `heat ${nextHeat(s)} now` },
  { keys: ["a"], label: "a", help: "mains (AC sense) lost / back", run: (s) => `ac ${onOff(!s.world.acPresent)}` },
  { keys: ["x"], label: "x", help: "power cut: mains off 1 s, reboot", run: () => "power cut 1" },
  { keys: ["f"], label: "f", help: "console: faults (fault log)", run: () => "console faults" },
  { keys: ["C"], label: "C", help: "console: clear latched faults", run: () => "console clear" },
  { keys: ["i"], label: "i", help: "console: status", run: () => "console status" },
  { keys: [":", "ENTER", "KP_ENTER"], label: ": / Enter", help: "type a console line", run: panel("console") },
  { keys: ["/"], label: "/", help: "type a sim action", run: panel("action") },
  { keys: ["p"], label: "p", help: "pause / run the sim", run: panel("pause") },
  { keys: ["["], label: "[ / ]", help: "sim slower / faster (x1/4..x8)", run: panel("slower") },
  { keys: ["]"], label: "", help: "", run: panel("faster") },
  { keys: ["<", ","], label: "< / >", help: "scroll the console pane back / on (long replies: help, faults)", run: panel("scrollBack") },
  { keys: [">", "."], label: "", help: "", run: panel("scrollOn") },
  { keys: ["?"], label: "?", help: "this help", run: panel("help") },
  { keys: ["q", "CTRL_C"], label: "q / Ctrl-C", help: "quit", run: panel("quit") },
];

function jack(s: SimSession, i: number): string {
  const o = OUTPUT_NAMES[i];
  return (s.world.plugged[o] ? "unplug " : "plug ") + o;
}

function nextHeat(s: SimSession): number {
  const th = s.board.protection.thermal;
  const c = s.world.heatsinkC;
  if (c < th.derateC) return th.derateC + 2;
  if (c < th.tripC) return th.tripC + 5;
  return 25;
}

/** [key label, what it does] for the help screen and the docs. */
export const KEY_HELP: [string, string][] = BINDINGS.filter((b) => b.label).map((b) => [b.label, b.help]);

export function findBinding(key: string): Binding | undefined {
  return BINDINGS.find((b) => b.keys.indexOf(key) >= 0);
}
