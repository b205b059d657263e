// Runs a scenario on the built bundle in the simulated amp, as fast as the host allows, and
// samples a trace: target attenuation (as the firmware reports it) against the true attenuation
// of the left and right audio decks, motor drive, L/R tracking error against its band, relays and
// mute, power; plus a log of every action, device message and relay event.
import { Board } from "../../boards/board";
import { applyAction } from "./actions";
import { Scenario } from "./format";
import { LogEntry, PowerState, SimSession } from "./session";

/** Status keys the firmware may use for its pot target and its own reading of the pot, in dB. */
export const TARGET_KEYS = ["target", "targetDb", "target_db", "tgt"];
export const ACTUAL_KEYS = ["vol", "actual", "actualDb", "actual_db", "pos", "db"];

export interface TraceRow {
  /** Session time, ms. */
  t: number;
  /** Pot target the firmware reports, dB (NaN when it reports none). */
  targetDb: number;
  /** Pot position as the firmware reads it from its decks, dB (NaN when not reported). */
  fwDb: number;
  /** True attenuation of the audio decks, dB (-Infinity at the quiet end stop). */
  leftDb: number;
  rightDb: number;
  shaftDeg: number;
  /** H-bridge drive -1..1 (0 while braking). */
  drive: number;
  brake: boolean;
  motorMa: number;
  /** Left minus right, dB (NaN at the end stop), and the band it must stay inside there. */
  trackErrDb: number;
  bandDb: number;
  connected: boolean;
  /** Live output relays, "+"-joined, or "none". */
  outputs: string;
  gainDb: number;
  power: PowerState;
  /** The firmware's status fields at that time (the same object until a new status arrives). */
  status: Record<string, string>;
}

export interface Trace {
  title: string;
  board: string;
  seed: number;
  durationMs: number;
  sampleMs: number;
  rows: TraceRow[];
  log: LogEntry[];
  /** Every status key seen, in first-seen order. */
  statusKeys: string[];
  /** Uncaught firmware errors. */
  errors: string[];
  boots: number;
}

export interface RunOptions {
  board: Board;
  code: string;
  seed: number;
  /** Called with the fraction of simulated time done (0..1), at most every 1 %. */
  onProgress?: (fraction: number) => void;
}

/** The first status value under any of the keys that parses as a number, else NaN. */
export function statusNumber(status: Record<string, string>, keys: string[]): number {
  for (const k of keys) {
    const v = status[k];
    if (v !== undefined && v !== "" && !isNaN(Number(v))) return Number(v);
  }
  return NaN;
}

/** The L/R tracking band at a level, from the board (wider in the poorly tracking bottom). */
export function trackingBandDb(board: Board, levelDb: number): number {
  const t = board.tracking;
  return levelDb < t.lowBelowDb ? t.bandLowDb : t.bandDb;
}

export function runScenario(sc: Scenario, o: RunOptions): Trace {
  const session = new SimSession({ board: o.board, code: o.code, seed: o.seed, startDeg: sc.startDeg, plugged: sc.plugged });
  const log: LogEntry[] = session.log.slice();
  session.onLog = (e) => log.push(e);
  session.setStatusPolling(sc.statusMs);
  for (const step of sc.steps) session.at(step.atMs, () => applyAction(session, step.action));

  const rows: TraceRow[] = [];
  const keys: string[] = [];
  const seen: { [k: string]: boolean } = {};
  let lastStatus: Record<string, string> | null = null;
  let nextReport = 0;
  for (let t = 0; t <= sc.durationMs + 1e-9; t += sc.sampleMs) {
    session.advanceTo(t);
    const a = session.amp;
    const db = a.audioDb();
    const drive = a.motorDrive();
    const level = (db.left + db.right) / 2;
    const st = session.status;
    if (st !== lastStatus) {
      lastStatus = st;
      for (const k of Object.keys(st)) {
        if (!seen[k]) {
          seen[k] = true;
          keys.push(k);
        }
      }
    }
    rows.push({
      t,
      targetDb: statusNumber(st, TARGET_KEYS),
      fwDb: statusNumber(st, ACTUAL_KEYS),
      leftDb: db.left,
      rightDb: db.right,
      shaftDeg: a.shaftDeg(),
      drive: drive === "brake" ? 0 : drive,
      brake: drive === "brake",
      motorMa: a.motorCurrentMa(),
      trackErrDb: isFinite(db.left) && isFinite(db.right) ? db.left - db.right : NaN,
      bandDb: trackingBandDb(o.board, level),
      connected: a.outputConnected(),
      outputs: a.outputsLive().join("+") || "none",
      gainDb: a.gainDb(),
      power: session.power,
      status: st,
    });
    if (o.onProgress && t >= nextReport) {
      o.onProgress(t / sc.durationMs);
      nextReport = t + sc.durationMs / 100;
    }
  }
  if (o.onProgress) o.onProgress(1);
  return {
    title: sc.title,
    board: o.board.name,
    seed: o.seed,
    durationMs: sc.durationMs,
    sampleMs: sc.sampleMs,
    rows,
    log,
    statusKeys: keys,
    errors: session.errors.slice(),
    boots: session.boots,
  };
}

// ---- CSV ----

function csvField(v: string): string {
  return /[",\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
}

function n(v: number, digits: number, nan = ""): string {
  if (v !== v) return nan;
  if (v === Infinity) return "inf";
  if (v === -Infinity) return "-inf";
  return v.toFixed(digits);
}

/** Firmware status fields go into the CSV as fw_<key> columns (all of them, as reported). */
const SKIP_STATUS_KEYS = ["board"];

export const TRACE_COLUMNS = [
  "time_s",
  "target_db",
  "fw_pos_db",
  "left_db",
  "right_db",
  "shaft_deg",
  "drive",
  "brake",
  "motor_ma",
  "track_err_db",
  "track_band_db",
  "connected",
  "outputs",
  "gain_db",
  "power",
];

export function traceCsv(tr: Trace): string {
  const extra = tr.statusKeys.filter((k) => SKIP_STATUS_KEYS.indexOf(k) < 0);
  const out: string[] = [TRACE_COLUMNS.concat(extra.map((k) => "fw_" + k)).join(",")];
  for (const r of tr.rows) {
    const cells = [
      n(r.t / 1000, 3),
      n(r.targetDb, 2),
      n(r.fwDb, 2),
      n(r.leftDb, 3),
      n(r.rightDb, 3),
      n(r.shaftDeg, 2),
      n(r.drive, 3),
      r.brake ? "1" : "0",
      n(r.motorMa, 1),
      n(r.trackErrDb, 3),
      n(r.bandDb, 1),
      r.connected ? "1" : "0",
      r.outputs,
      String(r.gainDb),
      r.power,
    ];
    for (const k of extra) cells.push(csvField(r.status[k] ?? ""));
    out.push(cells.join(","));
  }
  return out.join("\n") + "\n";
}

export function eventsCsv(tr: Trace): string {
  const out = ["time_s,kind,text"];
  for (const e of tr.log) out.push([n(e.t / 1000, 4), e.kind, csvField(e.text)].join(","));
  return out.join("\n") + "\n";
}

/** A few lines for the terminal: what happened and how the run went. */
export function traceSummary(tr: Trace): string[] {
  const rows = tr.rows;
  let maxTrack = 0;
  let maxTrackT = 0;
  let outside = 0;
  let connectedMs = 0;
  for (const r of rows) {
    if (r.trackErrDb === r.trackErrDb && Math.abs(r.trackErrDb) > maxTrack) {
      maxTrack = Math.abs(r.trackErrDb);
      maxTrackT = r.t;
    }
    if (Math.abs(r.trackErrDb) > r.bandDb) outside++;
    if (r.connected) connectedMs += tr.sampleMs;
  }
  const last = rows[rows.length - 1];
  const relayEvents = tr.log.filter((e) => e.kind === "relay").length;
  const refused = refusedLines(tr);
  return [
    `${tr.title}: ${(tr.durationMs / 1000).toFixed(1)} s simulated on ${tr.board} (seed ${tr.seed}), ${rows.length} samples, ${tr.boots} boot(s)`,
    `end: pot L ${n(last.leftDb, 1)} dB R ${n(last.rightDb, 1)} dB, target ${n(last.targetDb, 1, "(not reported)")} dB, output ${last.connected ? "connected" : "open"} (${last.outputs}), gain +${last.gainDb} dB`,
    `tracking: worst |L-R| ${maxTrack.toFixed(2)} dB at ${(maxTrackT / 1000).toFixed(2)} s, ${outside} sample(s) outside the band; connected ${(connectedMs / 1000).toFixed(1)} s; ${relayEvents} relay event(s)`,
    ...refused.map((e) => `refused at ${(e.t / 1000).toFixed(2)} s: ${e.text}`),
  ];
}

/** The firmware's err replies to the scenario's console lines (a scenario that meant them is rare:
 *  npm start -- --scenario exits non-zero when there are any). */
export function refusedLines(tr: Trace): LogEntry[] {
  return tr.log.filter((e) => e.kind === "reply" && /^err\b/.test(e.text));
}
