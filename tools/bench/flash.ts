// Flash wear in a typical listening hour, on the built bundles in the simulated amp: how many
// writes (and bytes) the settings make while someone listens, turns the knob, uses the remote and
// switches outputs. The script (sim time, jittered per seed):
//   0:00  power on, headphones in the 4.4 mm jack (jack select picks it); a few knob turns up
//   every ~4 min  a small knob correction (1-4 detents either way)
//   ~6 times  remote volume up/down, held for a few repeats
//   twice  remote mute, unmuted half a minute later
//   0:20-0:22  level-matched A/B session: the remote's A/B key six times, 20 s apart
//   0:40  remote to the 6.3 mm output; 0:50 back to 4.4 mm
// JSON: {"writesPerHour", "bytesPerHour"} (settings and calibration files, mean over the runs),
// plus the worst run and all flash writes (the fault log included).
import { BOARDS } from "../../boards/index";
import { IR_ADDRESS, IR_AB, IR_MUTE, IR_OUT_BAL44, IR_OUT_SE63, IR_VOL_DOWN, IR_VOL_UP } from "../../firmware/inputs/keymap";
import { CAL_FILES, SETTINGS_FILES } from "../../firmware/settings/settingsUnit";
import { createSimAmp } from "../../hal/sim/amp";
import { bootBundle } from "../../hal/sim/espruinoEmu";
import { createSimFlash } from "../../hal/sim/flash";
import { createRng } from "../../hal/sim/rng";
import { SimAmp } from "../../hal/sim/types";
import { readBundle } from "../../test/helpers/device";
import { BenchSection, formatTable } from "./section";

const HOUR_MS = 3_600_000;
const SEEDS = 3;
const QUICK_SEEDS = 1;
const KNOB_DETENT_MS = 60;

interface Run {
  board: string;
  seed: number;
  writes: number;
  bytes: number;
  allWrites: number;
}

type Action = [number, (amp: SimAmp) => void];

function script(seed: number): Action[] {
  const rng = createRng(seed);
  const min = (m: number) => m * 60_000 + rng.uniform(-20_000, 20_000);
  const ir = (cmd: number, repeats = 0) => (amp: SimAmp) => amp.irSend(IR_ADDRESS, cmd, repeats);
  const acts: Action[] = [
    [5_000, (amp) => amp.plug("bal44", true)],
    [20_000, (amp) => amp.turnKnob(8, KNOB_DETENT_MS)],
    [26_000, (amp) => amp.turnKnob(4, KNOB_DETENT_MS)],
  ];
  for (let m = 4; m < 60; m += 4) {
    const n = 1 + rng.int(4);
    acts.push([min(m), (amp) => amp.turnKnob(rng.chance(0.5) ? n : -n, KNOB_DETENT_MS)]);
  }
  for (const m of [7, 15, 27, 33, 45, 55]) acts.push([min(m), ir(rng.chance(0.5) ? IR_VOL_UP : IR_VOL_DOWN, 2 + rng.int(6))]);
  for (const m of [12, 37]) {
    const t = min(m);
    acts.push([t, ir(IR_MUTE)], [t + 30_000, ir(IR_MUTE)]);
  }
  for (let i = 0; i < 6; i++) acts.push([20 * 60_000 + i * 20_000, ir(IR_AB)]);
  acts.push([40 * 60_000, ir(IR_OUT_SE63)], [50 * 60_000, ir(IR_OUT_BAL44)]);
  return acts.sort((a, b) => a[0] - b[0]);
}

function listen(boardName: string, seed: number): Run {
  const board = BOARDS[boardName];
  const flash = createSimFlash();
  let writes = 0;
  let bytes = 0;
  const write = flash.write.bind(flash);
  flash.write = (name, data) => {
    if (SETTINGS_FILES.includes(name) || CAL_FILES.includes(name)) {
      writes++;
      bytes += data.length;
    }
    return write(name, data);
  };
  const amp = createSimAmp(board, { seed, flash });
  const dev = bootBundle({ board, amp, code: readBundle(boardName) });
  for (const [t, act] of script(seed)) {
    amp.clock.runUntil(t);
    act(amp);
  }
  amp.clock.runUntil(HOUR_MS);
  if (dev.errors.length) throw new Error(`${boardName} seed ${seed}: ${dev.errors.join("; ")}`);
  return { board: boardName, seed, writes, bytes, allWrites: flash.writes };
}

export const flashSection: BenchSection = {
  name: "flash",
  async run(ctx) {
    const runs: Run[] = [];
    const seeds = ctx.quick ? QUICK_SEEDS : SEEDS;
    const boards = Object.keys(BOARDS);
    for (const b of boards)
      for (let s = 1; s <= seeds; s++) {
        runs.push(listen(b, 600 + s));
        ctx.progress(runs.length, boards.length * seeds, b + " seed " + (600 + s));
      }
    const mean = (f: (r: Run) => number) => Math.round((10 * runs.reduce((a, r) => a + f(r), 0)) / runs.length) / 10;
    const rows: (string | number)[][] = [["board", "seed", "settings writes / h", "bytes / h", "all flash writes / h"]];
    for (const r of runs) rows.push([r.board, r.seed, r.writes, r.bytes, r.allWrites]);
    rows.push(["mean", "", mean((r) => r.writes), mean((r) => r.bytes), mean((r) => r.allWrites)]);
    return {
      table: formatTable(rows),
      json: {
        writesPerHour: mean((r) => r.writes),
        bytesPerHour: mean((r) => r.bytes),
        worstWritesPerHour: Math.max(...runs.map((r) => r.writes)),
        allFlashWritesPerHour: mean((r) => r.allWrites),
        runs,
      },
    };
  },
};
