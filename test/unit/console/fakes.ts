// A protocol under test with fake Controls that record every call, over a fresh AmpState.
import { BOARDS } from "../../../boards/index";
import { AmpState, newAmpState } from "../../../firmware/ampState";
import { createProtocol } from "../../../firmware/console/protocol";
import { newUnlockGuard } from "../../../firmware/console/unlock";
import { Controls } from "../../../firmware/controls";

export interface Harness {
  state: AmpState;
  calls: string[];
  /** Reply to one line. */
  send(line: string): string;
  replAttached: boolean;
  nowMs: number;
  /** What each control returns (default OK). */
  result: number;
  /** Gain staging in the fake: setGainDb leaves this gain in use (-1: the one asked for). */
  stagedGainDb: number;
}

export function harness(): Harness {
  const state = newAmpState();
  const h: Harness = {
    state,
    calls: [],
    send: () => "",
    replAttached: false,
    nowMs: 0,
    result: 0,
    stagedGainDb: -1,
  };
  const rec = (name: string) => (...args: unknown[]) => {
    h.calls.push(name + (args.length ? " " + args.join(" ") : ""));
    return h.result;
  };
  const controls: Controls = {
    setVolumeDb: (db) => {
      h.calls.push("setVolumeDb " + db);
      if (h.result === 0) state.targetDb = db;
      return h.result;
    },
    stepVolumeDb: (d) => {
      h.calls.push("stepVolumeDb " + d);
      if (h.result === 0) state.targetDb += d;
      return h.result;
    },
    setMute: rec("setMute") as Controls["setMute"],
    toggleMute: rec("toggleMute") as Controls["toggleMute"],
    selectOutput: rec("selectOutput") as Controls["selectOutput"],
    toggleAB: rec("toggleAB") as Controls["toggleAB"],
    setGainDb: (db) => {
      h.calls.push("setGainDb " + db);
      // (gain staging, when h.stagedGainDb is set, holds the relays at that gain instead)
      if (h.result === 0) state.gainDb = h.stagedGainDb >= 0 ? h.stagedGainDb : db;
      return h.result;
    },
    clearFaults: rec("clearFaults") as Controls["clearFaults"],
    calStart: rec("calStart") as Controls["calStart"],
    calAbort: rec("calAbort") as Controls["calAbort"],
    calStatus: () => {
      h.calls.push("calStatus");
      return "running 40";
    },
  };
  const attachRepl = () => {
    h.replAttached = true;
  };
  const options = { controls, state, board: BOARDS.pico, status: () => "STATUS fake=1", faultLog: () => "2,1.25,1000,0", attachRepl, ownerFirst: false, unlockGuard: newUnlockGuard(), now: () => h.nowMs };
  // made for each line, as main.ts does: what must outlast a line is in the options
  h.send = (line: string) => createProtocol(options)(line);
  return h;
}

/** The state as comparable text (NaN kept). */
export function snapshot(s: object): string {
  return JSON.stringify(s, (_k, v) => (typeof v === "number" && v !== v ? "NaN" : v));
}
