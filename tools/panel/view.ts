// What the front panel shows, as lines of styled text: a pure function of the session and the
// panel's own state, so the terminal layer (app.ts) only paints it and tests can read it.
//
// Truth comes from the simulated amp (what the listener would hear and what the relays really
// do); the firmware's view comes from its STATUS line, shown field by field as it reports them
// (the panel knows a few keys by name and lists every other one as it comes).
import { OUTPUT_NAMES } from "../../boards/board";
import { ACTUAL_KEYS, statusNumber, TARGET_KEYS, trackingBandDb } from "../scenario/runner";
import { LEG_NAMES, LogEntry, SimSession } from "../scenario/session";
import { KEY_HELP } from "./keys";

export type Style = "normal" | "dim" | "bold" | "title" | "ok" | "warn" | "bad" | "key" | "value" | "input";

export interface Seg {
  text: string;
  style: Style;
}
export type Line = Seg[];

export interface PanelState {
  session: SimSession;
  /** Sim speed, x real time; 0 = paused. */
  speed: number;
  paused: boolean;
  /** "keys": single keys act; "console"/"action": typing a line. */
  mode: "keys" | "console" | "action";
  input: string;
  help: boolean;
  /** A one-line message (errors of typed actions, hints). */
  message: string;
  /** The firmware's answer to "cal status" while a calibration sweep is followed ("" = none). */
  cal?: string;
  /** Rows the console pane is scrolled back from its newest line (0 = following it). */
  consoleBack?: number;
}

/** Keys of the firmware's status shown in their own places rather than in the generic list. */
const KNOWN_STATUS = ["board", "t", "out", "mute", "deck5", "deck6"];
/** Below this the panel cannot lay itself out; it asks for a bigger terminal. */
export const MIN_WIDTH = 80;
export const MIN_HEIGHT = 24;

function seg(text: string, style: Style = "normal"): Seg {
  return { text, style };
}

function fmt(v: number, digits: number, width = 0, plus = false): string {
  let s: string;
  if (v !== v) s = "--";
  else if (v === -Infinity) s = "-inf";
  else s = (plus && v > 0 ? "+" : "") + v.toFixed(digits);
  return s.padStart(width);
}

/** Cuts or pads a line to exactly width characters. */
export function fit(l: Line, width: number): Line {
  const out: Line = [];
  let left = width;
  for (const s of l) {
    if (left <= 0) break;
    const chars = [...s.text];
    if (chars.length <= left) {
      out.push(s);
      left -= chars.length;
    } else {
      out.push(seg(chars.slice(0, left).join(""), s.style));
      left = 0;
    }
  }
  if (left > 0) out.push(seg(" ".repeat(left)));
  return out;
}

function rule(title: string, width: number): Line {
  const head = "─ " + title + " ";
  return [seg(head, "title"), seg("─".repeat(Math.max(0, width - [...head].length)), "dim")];
}

function side(a: Line, b: Line, wa: number, wb: number): Line {
  return fit(a, wa).concat([seg(" ")], fit(b, wb));
}

function bar(fraction: number, width: number): string {
  const f = Math.max(0, Math.min(1, fraction));
  const full = Math.round(f * width);
  return "█".repeat(full) + "░".repeat(width - full);
}

/** A band gauge: the band edges as |, the centre as ·, the value as ●, clipped at the ends. */
function gauge(value: number, band: number, width: number): string {
  const span = band * 2;
  const cells = new Array(width).fill("-");
  const pos = (v: number) => Math.round(((v + span) / (2 * span)) * (width - 1));
  cells[pos(-band)] = "|";
  cells[pos(band)] = "|";
  cells[pos(0)] = "·";
  if (value === value) cells[Math.max(0, Math.min(width - 1, pos(value)))] = "●";
  return cells.join("");
}

function logLine(e: LogEntry): Line {
  const style: Style = e.kind === "error" ? "bad" : e.kind === "device" || e.kind === "fault" ? "warn" : e.kind === "relay" ? "value" : e.kind === "power" ? "bold" : "normal";
  return [seg(fmt(e.t / 1000, 2, 7) + " ", "dim"), seg(e.kind.padEnd(6) + " ", "dim"), seg(e.text, style)];
}

function volumeColumn(st: PanelState, width: number): Line[] {
  const dp = width >= 46 ? 2 : 1; // decimals: at 80 columns the firmware's own level must fit too
  const s = st.session;
  const a = s.amp;
  const status = s.status;
  const db = a.audioDb();
  const target = statusNumber(status, TARGET_KEYS);
  const fwDb = statusNumber(status, ACTUAL_KEYS);
  const travel = a.unit.travelDeg;
  const drive = a.motorDrive();
  const err = isFinite(db.left) && isFinite(db.right) ? db.left - db.right : NaN;
  const band = trackingBandDb(s.board, (db.left + db.right) / 2);
  const inBand = !(Math.abs(err) > band);
  const d5 = status.deck5 !== undefined ? status.deck5 : a.deckRatio(5).toFixed(4);
  const d6 = status.deck6 !== undefined ? status.deck6 : a.deckRatio(6).toFixed(4);
  const driveText =
    drive === "brake" ? "brake" : drive === 0 ? "off" : (drive > 0 ? "▲ louder " : "▼ quieter ") + Math.abs(drive).toFixed(2);
  return [
    [seg("target   ", "dim"), seg(fmt(target, 1, 6) + " dB", target === target ? "value" : "dim"), seg(target === target ? "  firmware" : "  (not reported)", "dim")],
    [seg("actual   ", "dim"), seg("L " + fmt(db.left, dp, dp + 4), "value"), seg(" R " + fmt(db.right, dp, dp + 4), "value"), seg(" dB", "dim")].concat(fwDb === fwDb ? [seg(" fw " + fmt(fwDb, dp), "dim")] : []),
    [seg("shaft    ", "dim"), seg(fmt(a.shaftDeg(), 1, 5) + "° ", "value"), seg(bar(a.shaftDeg() / travel, 16), "ok"), seg(" " + fmt((a.shaftDeg() / travel) * 100, 0, 3) + "%", "dim")],
    [seg("motor    ", "dim"), seg(driveText.padEnd(15), drive === 0 ? "dim" : "warn"), seg(fmt(a.motorCurrentMa(), 0, 4) + " mA", "dim")].concat(s.world.stalled ? [seg(" STALLED", "bad")] : []),
    [seg("track    ", "dim"), seg("L-R " + fmt(err, 2, 5, true) + " ", inBand ? "value" : "bad"), seg(gauge(err, band, 11), inBand ? "ok" : "bad"), seg(" ±" + band.toFixed(0) + " dB", "dim"), seg(inBand ? "" : " OUT", "bad")],
    [seg("decks    ", "dim"), seg("5: " + d5, "value"), seg("  6: " + d6, "value"), seg(status.deck5 !== undefined ? "  fw" : "  true", "dim")],
  ];
}

/** Why the gain in use is below the one asked for: gain staging, as the firmware's last gain
 *  reply said ("ok gain 0 staged 18"); "" when the last gain reply asked for what is in use. */
export function stagedNote(log: { kind: string; text: string }[]): string {
  for (let i = log.length - 1; i >= 0; i--) {
    if (log[i].kind !== "reply" || !/^ok gain /.test(log[i].text)) continue;
    const m = / staged (\d+)$/.exec(log[i].text);
    return m ? ` (asked +${m[1]}: gain staging, until the level is up)` : "";
  }
  return "";
}

function protectionColumn(st: PanelState): Line[] {
  const s = st.session;
  const a = s.amp;
  const status = s.status;
  const w = s.world;
  const connected = a.outputConnected();
  const live = a.outputsLive();
  const mute = status.mute !== undefined ? status.mute : s.power === "on" ? "?" : "no power";
  const coils = a.relayCoils();
  const coilNames = ["44", "35", "xlr", "se", "g9", "g18"];
  const jacks: Line = [seg("jacks   ", "dim")];
  for (const o of OUTPUT_NAMES) {
    const se = (o === "bal44" || o === "bal35") && w.sePlug[o];
    jacks.push(seg(o + (se ? "◐ " : w.plugged[o] ? "● " : "· "), se ? "bad" : w.plugged[o] ? "ok" : "dim"));
  }
  const legs: Line = [seg("legs mV ", "dim")];
  const legsFw = status.legs_mv ? status.legs_mv.split(",") : [];
  for (let i = 0; i < 4; i++) {
    const v = legsFw[i] !== undefined ? Number(legsFw[i]) : w.legDcV[i] * 1000;
    legs.push(seg(LEG_NAMES[i] + " ", "dim"), seg(fmt(v, 0) + " ", Math.abs(v) > s.board.protection.dcWindowV * 1000 ? "bad" : "value"));
  }
  const heat = Number(status.heat !== undefined ? status.heat : a.thermistorC());
  const th = s.board.protection.thermal;
  return [
    [seg("output relay ", "dim"), connected ? seg("● CONNECTED", "ok") : seg("○ open (muted)", "bad")],
    [seg("muted by     ", "dim"), seg(mute, mute === "none" ? "ok" : "bad")],
    [seg("live output  ", "dim"), seg((live.join("+") || "none").padEnd(8), live.length === 1 ? "value" : live.length ? "bad" : "dim"), seg(" gain ", "dim"), seg("+" + a.gainDb() + " dB", "value"), seg(stagedNote(s.log), "dim")],
    [seg("coils ", "dim")].concat(coilNames.map((n, i) => seg(n + (coils & (1 << i) ? "▪ " : "· "), coils & (1 << i) ? "value" : "dim"))),
    jacks,
    [seg("power  ", "dim"), seg(w.acPresent ? "AC on " : "AC LOST ", w.acPresent ? "ok" : "bad"), seg(fmt(a.railV(), 1) + " V ", a.railV() < s.board.protection.railMinV ? "bad" : "value"), seg(" heat ", "dim"), seg(fmt(heat, 1) + "°C", heat >= th.tripC ? "bad" : heat >= th.derateC ? "warn" : "value")],
    legs,
  ];
}

/** Every status field the panel does not show elsewhere, "k=v" wrapped to the width. */
function statusLines(st: PanelState, width: number, maxLines: number): Line[] {
  const s = st.session;
  if (s.power !== "on" && !s.statusLine) return [[seg("(controller off: no status)", "dim")]];
  if (!s.statusLine) return [[seg("(no status yet)", "dim")]];
  const parts = Object.keys(s.status)
    .filter((k) => KNOWN_STATUS.indexOf(k) < 0)
    .map((k) => k + "=" + s.status[k]);
  const age = s.now() - s.statusAtMs;
  parts.unshift("t=" + (s.status.t || "?") + (age > 500 ? " (" + (age / 1000).toFixed(1) + " s old)" : ""));
  const lines: Line[] = [];
  let cur = "";
  for (const p of parts) {
    if (cur && cur.length + 1 + p.length > width) {
      lines.push([seg(cur, "value")]);
      cur = p;
    } else cur = cur ? cur + " " + p : p;
  }
  if (cur) lines.push([seg(cur, "value")]);
  return lines.slice(0, maxLines);
}

function helpScreen(width: number, height: number): Line[] {
  const out: Line[] = [rule("Keys (any key closes this)", width)];
  const footer: Line[] = [
    [],
    [seg("  : or Enter", "key"), seg(" type a console line: status, vol -30, out se63, gain 9, faults, clear, help ...")],
    [seg("  /", "key"), seg(" type a sim action: knob +10, hand 200, ir vol+ 5, dc L- 0.3, heat 75, power cut 2 ...")],
    [seg("  Esc cancels typing, Up/Down recall earlier lines. More in docs/simulator.md.", "dim")],
  ];
  const rows = height - 1 - footer.length;
  const cols = KEY_HELP.length > rows ? 2 : 1;
  const colW = Math.floor(width / cols);
  const perCol = Math.ceil(KEY_HELP.length / cols);
  const entry = (i: number): Line => {
    if (i >= KEY_HELP.length) return [];
    const [k, what] = KEY_HELP[i];
    return [seg(("  " + k).padEnd(18), "key"), seg(what)];
  };
  for (let r = 0; r < Math.min(rows, perCol); r++) {
    const l = fit(entry(r), colW);
    out.push(cols === 2 ? l.concat(fit(entry(r + perCol), width - colW)) : l);
  }
  while (out.length < height - footer.length) out.push([]);
  return out.concat(footer).slice(0, height);
}

/** The whole screen, exactly height lines of exactly width characters. */
export function renderPanel(st: PanelState, width: number, height: number): Line[] {
  if (width < MIN_WIDTH || height < MIN_HEIGHT) {
    const msg = `The front panel needs a ${MIN_WIDTH}x${MIN_HEIGHT} terminal; this one is ${width}x${height}. Resize it, or press q.`;
    const lines: Line[] = [[seg(msg, "warn")]];
    while (lines.length < height) lines.push([]);
    return lines.slice(0, height).map((l) => fit(l, width));
  }
  const s = st.session;
  const lines: Line[] = [];
  const power = s.power === "on" ? seg("power on", "ok") : s.power === "holdup" ? seg("MAINS LOST", "bad") : seg("CONTROLLER OFF", "bad");
  const speed = st.paused ? seg("PAUSED", "warn") : seg("x" + (st.speed >= 1 ? st.speed.toFixed(0) : st.speed.toFixed(2)), st.speed === 1 ? "dim" : "warn");
  lines.push([
    seg(" BALANCED AMP ", "title"),
    seg(` ${s.board.name}  seed ${s.seed}  `, "bold"),
    seg("t " + fmt(s.now() / 1000, 2, 7) + " s ", "value"),
    speed,
    seg("  "),
    power,
    seg(s.boots > 1 ? `  boot #${s.boots}` : "", "dim"),
    seg(s.errors.length ? `  ${s.errors.length} firmware error(s)!` : "", "bad"),
  ]);
  if (st.help) return lines.concat(helpScreen(width, height - 1)).map((l) => fit(l, width));

  const wl = Math.floor((width - 1) / 2);
  const wr = width - 1 - wl;
  lines.push(side(rule("Volume (pot)", wl), rule("Protection & outputs", wr), wl, wr));
  const vc = volumeColumn(st, wl);
  const pc = protectionColumn(st);
  for (let i = 0; i < Math.max(vc.length, pc.length); i++) lines.push(side(vc[i] || [], pc[i] || [], wl, wr));

  lines.push(rule("Firmware status", width));
  const statusRows = height >= 30 ? 3 : 2;
  const sl = statusLines(st, width - 1, statusRows);
  for (let i = 0; i < statusRows; i++) lines.push(sl[i] ? [seg(" ")].concat(sl[i]) : []);

  // Bottom: prompt + two lines of key help; the rest goes to the log and the console.
  const bottom = 3;
  const paneRows = height - lines.length - bottom - 1;
  lines.push(side(rule("Log: faults, relays, actions", wl), rule("Console", wr), wl, wr));
  const log = s.log
    .filter((e) => e.kind !== "reply")
    .slice(-paneRows)
    .map(logLine);
  const con = consoleRows(s.consoleLines, wr - 1, paneRows, st.consoleBack || 0);
  for (let i = 0; i < paneRows; i++) lines.push(side(log[i] || [], con[i] || [], wl, wr));

  const cal = st.cal ? /^running (\d+(?:\.\d+)?)/.exec(st.cal) : null;
  if (st.mode === "keys" && cal) lines.push([seg(" calibration sweep ", "bold"), seg("[" + bar(Number(cal[1]) / 100, 30) + "] ", "ok"), seg(cal[1] + " %", "value"), seg(st.message ? "  " + st.message : "", "warn")]);
  else if (st.mode === "keys" && st.cal) lines.push([seg(" calibration: ", "bold"), seg(st.cal, /^done/.test(st.cal) ? "ok" : "bad"), seg(st.message ? "  " + st.message : "", "warn")]);
  else if (st.mode === "keys") lines.push([seg(" > ", "dim"), seg(st.message || "press : to type a console line, / for a sim action, ? for all keys", st.message ? "warn" : "dim")]);
  else {
    const label = st.mode === "console" ? " console> " : " action> ";
    lines.push([seg(label, "key"), seg(st.input, "input"), seg("▏", "input"), seg(st.message ? "   " + st.message : "", "warn")]);
  }
  lines.push([
    seg(" ←/→", "key"), seg(" knob "), seg("⇧←/→", "key"), seg(" fast "), seg("space", "key"), seg(" push "), seg("↑/↓", "key"), seg(" hand "),
    seg("+/-", "key"), seg(" IR vol "), seg("m", "key"), seg(" IR mute "), seg("1-4", "key"), seg(" IR out "), seg("g", "key"), seg(" gain "), seg("5-8", "key"), seg(" plug"),
  ]);
  lines.push([
    seg(" d", "key"), seg(" DC "), seg("s", "key"), seg(" short "), seg("k", "key"), seg(" stall "), seg("o", "key"), seg(" open wiper "), seg("h", "key"), seg(" heat "),
    seg("a", "key"), seg(" AC "), seg("x", "key"), seg(" power cut "), seg("?", "key"), seg(" more "), seg("q", "key"), seg(" quit"),
  ]);
  while (lines.length < height) lines.push([]);
  return lines.slice(0, height).map((l) => fit(l, width));
}

/** The console pane: replies wrapped to the width (a long `help` or fault log is read whole),
 *  STATUS lines one row each (the status section shows them in full), the newest at the bottom
 *  unless scrolled back `back` rows (the top row then says how far). */
export function consoleRows(all: string[], width: number, rows: number, back: number): Line[] {
  const out: Line[] = [];
  for (const c of all) {
    const style = c.startsWith("> ") ? "key" : c.startsWith("err") ? "bad" : c.startsWith("STATUS") ? "dim" : "normal";
    if (style === "dim" || c.length <= width) out.push([seg(c, style)]);
    else {
      out.push([seg(c.slice(0, width), style)]);
      for (let i = width; i < c.length; i += width - 1) out.push([seg(" " + c.slice(i, i + width - 1), style)]);
    }
  }
  const maxBack = Math.max(0, out.length - rows);
  const b = Math.min(back, maxBack);
  const view = out.slice(Math.max(0, out.length - rows - b), out.length - b);
  if (b > 0 && view.length) view[0] = [seg(`(${b} rows back: > for newer)`, "warn")];
  return view;
}

/** Plain text of a rendered screen (for captures and tests). */
export function plainText(lines: Line[]): string {
  return lines.map((l) => l.map((s) => s.text).join("").replace(/\s+$/, "")).join("\n") + "\n";
}
