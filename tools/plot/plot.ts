// Plots a scenario trace with Vega-Lite (rendered to SVG by Vega in Node: no canvas, no browser).
// Panels share the time axis: attenuation (firmware target vs the true left/right audio decks),
// motor drive, L/R tracking error inside its band, relay and mute timelines, and the actions and
// device messages of the run.
import { Trace, TraceRow } from "../scenario/runner";

/** Lines are thinned to about this many time buckets, keeping each bucket's extremes so that
 *  short spikes survive (the timeline uses every sample). */
const MAX_BUCKETS = 450;
const WIDTH = 900;
/** Attenuation below this is drawn at it (the quiet end stop is -Infinity dB). */
const DB_FLOOR = -100;
/** Average width of a 9 px label character, px. */
const LABEL_PX_PER_CHAR = 5.2;
const LABEL_ROWS = 5;
const LABEL_MAX_CHARS = 44;
const COLORS = { target: "#222222", firmware: "#9467bd", left: "#1f77b4", right: "#d62728" };

// Vega and Vega-Lite ship as ES modules with top-level await: load them with a real import(),
// which TypeScript's CommonJS output would otherwise turn into require().
const importEsm = new Function("m", "return import(m)") as <T>(m: string) => Promise<T>;
/** The part of Vega-Lite used here (its types resolve only through package exports). */
interface VegaLite {
  compile(spec: object, opt?: { logger?: unknown }): { spec: object };
}

export interface Interval {
  lane: string;
  start: number;
  end: number;
  value: string;
}

/** Runs of rows where label(row) is a non-null string, as [start, end) intervals in seconds. */
export function intervals(rows: TraceRow[], lane: string, label: (r: TraceRow) => string | null, sampleMs: number): Interval[] {
  const out: Interval[] = [];
  let cur: Interval | null = null;
  for (const r of rows) {
    const v = label(r);
    const t = r.t / 1000;
    if (cur && cur.value !== v) {
      cur.end = t;
      out.push(cur);
      cur = null;
    }
    if (v !== null && !cur) cur = { lane, start: t, end: t, value: v };
  }
  if (cur) {
    cur.end = rows[rows.length - 1].t / 1000 + sampleMs / 1000;
    out.push(cur);
  }
  return out;
}

/** Rows kept for one line: per time bucket the first and last row and the rows holding the
 *  value's minimum and maximum (short spikes survive), then the inside of every flat run dropped
 *  (a step function keeps only its steps). */
export function thin(rows: TraceRow[], value: (r: TraceRow) => number, buckets = MAX_BUCKETS): TraceRow[] {
  const keep: number[] = [];
  const size = Math.max(1, rows.length / buckets);
  for (let from = 0; from < rows.length; ) {
    const to = Math.min(rows.length, Math.max(from + 1, Math.floor(from + size)));
    let lo = -1;
    let hi = -1;
    for (let i = from; i < to; i++) {
      const x = value(rows[i]);
      if (x !== x) continue;
      if (lo < 0 || x < value(rows[lo])) lo = i;
      if (hi < 0 || x > value(rows[hi])) hi = i;
    }
    const inBucket = [from, to - 1, lo, hi].filter((i) => i >= 0).sort((a, b) => a - b);
    for (const i of inBucket) if (keep[keep.length - 1] !== i) keep.push(i);
    from = to;
  }
  const same = (a: number, b: number) => {
    const x = value(rows[a]);
    const y = value(rows[b]);
    return x === y || (x !== x && y !== y);
  };
  const out: TraceRow[] = [];
  for (let k = 0; k < keep.length; k++) {
    const flatInside = k > 0 && k < keep.length - 1 && same(keep[k - 1], keep[k]) && same(keep[k], keep[k + 1]);
    if (!flatInside) out.push(rows[keep[k]]);
  }
  return out;
}

function clampDb(v: number): number | null {
  if (v !== v) return null;
  return v < DB_FLOOR ? DB_FLOOR : v;
}

function round(v: number, digits: number): number {
  const k = Math.pow(10, digits);
  return Math.round(v * k) / k;
}

/** Rows for labels so that they do not overlap: a label takes the first row whose last label
 *  ends before it starts (widths estimated from the text); if none is free, the row freed first. */
function stagger(labels: { t: number; text: string }[], spanS: number, rows: number): number[] {
  const endT = new Array(rows).fill(-Infinity);
  const sPerPx = spanS / WIDTH;
  return labels.map((l) => {
    const widthS = (l.text.length * LABEL_PX_PER_CHAR + 14) * sPerPx;
    let r = endT.findIndex((e) => l.t >= e);
    if (r < 0) r = endT.indexOf(Math.min(...endT));
    endT[r] = l.t + widthS;
    return r;
  });
}

/** The Vega-Lite spec for a trace (plain JSON: it can be saved and opened in the Vega editor). */
export function plotSpec(tr: Trace): object {
  const rows = tr.rows;
  const spanS = tr.durationMs / 1000;
  const x = { field: "t", type: "quantitative", title: "time (s)", scale: { domain: [0, spanS], nice: false } };
  const xHidden = { ...x, axis: { title: null, labels: false, ticks: true } };

  const hasTarget = rows.some((r) => r.targetDb === r.targetDb);
  const hasFw = rows.some((r) => r.fwDb === r.fwDb);
  const dbData: object[] = [];
  const series: [string, (r: TraceRow) => number, boolean][] = [
    ["target (firmware)", (r) => r.targetDb, hasTarget],
    ["decks (firmware)", (r) => r.fwDb, hasFw],
    ["left (true)", (r) => r.leftDb, true],
    ["right (true)", (r) => r.rightDb, true],
  ];
  for (const [name, value, shown] of series) {
    if (!shown) continue;
    for (const r of thin(rows, (x) => clampDb(value(x)) ?? NaN)) dbData.push({ t: round(r.t / 1000, 4), series: name, v: clampDb(value(r)) });
  }
  const seriesDomain = (hasTarget ? ["target (firmware)"] : []).concat(hasFw ? ["decks (firmware)"] : [], ["left (true)", "right (true)"]);
  const seriesRange = (hasTarget ? [COLORS.target] : []).concat(hasFw ? [COLORS.firmware] : [], [COLORS.left, COLORS.right]);
  const dashRange = (hasTarget ? [[6, 3]] : []).concat(hasFw ? [[2, 2]] : [], [[1, 0], [1, 0]]);

  const attenuation = {
    title: { text: "Attenuation (dB)" + (hasTarget ? "" : "  (the firmware reports no target)"), anchor: "start", fontSize: 12 },
    width: WIDTH,
    height: 200,
    data: { values: dbData },
    mark: { type: "line", strokeWidth: 1.5, interpolate: "linear" },
    encoding: {
      x: xHidden,
      y: { field: "v", type: "quantitative", title: "dB", scale: { zero: false } },
      color: { field: "series", type: "nominal", scale: { domain: seriesDomain, range: seriesRange }, legend: { title: null, orient: "top", direction: "horizontal" } },
      strokeDash: { field: "series", type: "nominal", scale: { domain: seriesDomain, range: dashRange }, legend: null },
    },
  };

  const driveData = thin(rows, (r) => r.drive).map((r) => ({ t: round(r.t / 1000, 4), drive: round(r.drive, 3), ma: round(r.motorMa, 1) }));
  const drive = {
    title: { text: "Motor drive (H-bridge, -1 quieter .. +1 louder)", anchor: "start", fontSize: 12 },
    width: WIDTH,
    height: 80,
    data: { values: driveData },
    mark: { type: "line", interpolate: "step-after", color: "#ff7f0e", strokeWidth: 1.2 },
    encoding: { x: xHidden, y: { field: "drive", type: "quantitative", title: "drive", scale: { domain: [-1, 1] } } },
  };

  const trackData = [...new Set(thin(rows, (r) => r.trackErrDb).concat(thin(rows, (r) => r.bandDb)))]
    .sort((a, b) => a.t - b.t)
    .filter((r) => r.trackErrDb === r.trackErrDb)
    .map((r) => ({ t: round(r.t / 1000, 4), err: round(r.trackErrDb, 3), lo: -r.bandDb, hi: r.bandDb }));
  const tracking = {
    title: { text: "L/R tracking error, left minus right (dB), and the band it must stay in", anchor: "start", fontSize: 12 },
    width: WIDTH,
    height: 100,
    data: { values: trackData },
    layer: [
      {
        mark: { type: "area", color: "#2ca02c", opacity: 0.15, interpolate: "step-after" },
        encoding: { x: xHidden, y: { field: "lo", type: "quantitative", title: "dB" }, y2: { field: "hi" } },
      },
      { mark: { type: "line", color: "#2ca02c", strokeWidth: 1.2 }, encoding: { x: xHidden, y: { field: "err", type: "quantitative" } } },
    ],
  };

  const sm = tr.sampleMs;
  const lanes: Interval[] = [];
  lanes.push(...intervals(rows, "controller", (r) => (r.power === "on" ? null : r.power === "off" ? "off" : "mains lost"), sm));
  lanes.push(...intervals(rows, "output relay", (r) => (r.connected ? "connected" : null), sm));
  lanes.push(...intervals(rows, "muted by", (r) => (r.status.mute && r.status.mute !== "none" ? r.status.mute : null), sm));
  lanes.push(...intervals(rows, "faults", (r) => (r.status.faults && r.status.faults !== "none" ? r.status.faults : null), sm));
  lanes.push(...intervals(rows, "output live", (r) => (r.outputs !== "none" ? r.outputs : null), sm));
  lanes.push(...intervals(rows, "gain", (r) => (r.gainDb ? "+" + r.gainDb + " dB" : null), sm));
  lanes.push(...intervals(rows, "motor", (r) => (r.brake ? "brake" : r.drive !== 0 ? "driven" : null), sm));
  const laneOrder = ["controller", "output relay", "muted by", "faults", "output live", "gain", "motor"];
  const laneColor = (l: Interval): string =>
    l.lane === "controller" ? (l.value === "off" ? "#7f7f7f" : "#ff7f0e")
    : l.lane === "output relay" ? "#2ca02c"
    : l.lane === "muted by" ? "#d62728"
    : l.lane === "faults" ? "#e377c2"
    : l.lane === "output live" ? "#1f77b4"
    : l.lane === "gain" ? "#9467bd"
    : l.value === "brake" ? "#8c564b" : "#ff7f0e";
  const laneData = lanes.map((l) => ({
    lane: l.lane,
    start: round(l.start, 4),
    end: round(l.end, 4),
    value: l.value,
    color: laneColor(l),
    mid: round((l.start + l.end) / 2, 4),
    wide: l.end - l.start > spanS * 0.06,
  }));
  const timeline = {
    title: { text: "Relays, mute, faults and power (bars: when each holds; labels: which output, gain, reason)", anchor: "start", fontSize: 12 },
    width: WIDTH,
    height: 22 * laneOrder.length,
    data: { values: laneData },
    layer: [
      {
        mark: { type: "bar", height: 14, opacity: 0.55 },
        encoding: {
          x: { ...xHidden, field: "start" },
          x2: { field: "end" },
          y: { field: "lane", type: "nominal", title: null, scale: { domain: laneOrder } },
          color: { field: "color", type: "nominal", scale: null, legend: null },
        },
      },
      {
        transform: [{ filter: "datum.wide" }],
        mark: { type: "text", fontSize: 9, color: "#111", limit: 160 },
        encoding: {
          x: { field: "mid", type: "quantitative", scale: { domain: [0, spanS] } },
          y: { field: "lane", type: "nominal", scale: { domain: laneOrder } },
          text: { field: "value" },
        },
      },
    ],
  };

  // Relay events are the timeline's bars; replies are in events.csv (errors are shown).
  const shown = tr.log.filter((e) => e.kind !== "relay" && (e.kind !== "reply" || e.text.startsWith("err")));
  const labels = shown.map((e) => ({ t: e.t / 1000, text: e.text.length > LABEL_MAX_CHARS ? e.text.slice(0, LABEL_MAX_CHARS - 1) + "…" : e.text }));
  const rowsOf = stagger(labels, spanS, LABEL_ROWS);
  const kindColor: { [k: string]: string } = { user: "#1f77b4", device: "#555555", power: "#8c564b", error: "#d62728", reply: "#d62728" };
  const evData = shown.map((e, i) => ({
    t: round(labels[i].t, 4),
    color: kindColor[e.kind] || "#555555",
    text: labels[i].text,
    row: rowsOf[i],
  }));
  const events = {
    title: { text: "What happened: actions (blue), device messages (grey), power (brown), errors and refusals (red)", anchor: "start", fontSize: 12 },
    width: WIDTH,
    height: 18 * LABEL_ROWS,
    data: { values: evData },
    layer: [
      {
        mark: { type: "point", filled: true, size: 30 },
        encoding: {
          x,
          y: { field: "row", type: "ordinal", axis: null, scale: { domain: [...Array(LABEL_ROWS).keys()] } },
          color: { field: "color", type: "nominal", scale: null, legend: null },
        },
      },
      {
        mark: { type: "text", align: "left", dx: 5, fontSize: 9, limit: 220 },
        encoding: {
          x,
          y: { field: "row", type: "ordinal", axis: null, scale: { domain: [...Array(LABEL_ROWS).keys()] } },
          text: { field: "text" },
          color: { field: "color", type: "nominal", scale: null, legend: null },
        },
      },
    ],
  };

  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: `${tr.title} — ${tr.board}, seed ${tr.seed}`, anchor: "start", fontSize: 15 },
    background: "white",
    padding: 12,
    config: { view: { stroke: "#ddd" }, axis: { labelFontSize: 10, titleFontSize: 10 } },
    vconcat: [attenuation, drive, tracking, timeline, events],
    spacing: 14,
    // Each panel has its own colours and legends; only time is shared.
    resolve: { scale: { color: "independent", strokeDash: "independent" }, legend: { color: "independent", strokeDash: "independent" } },
  };
}

/** Renders a Vega-Lite spec to SVG text. */
export async function renderSvg(spec: object): Promise<string> {
  const vl = await importEsm<VegaLite>("vega-lite");
  const vega = await importEsm<typeof import("vega")>("vega");
  const logger = vega.logger(vega.Error);
  const compiled = vl.compile(spec, { logger }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none", logger });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
