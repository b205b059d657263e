// Volume limits, pure: every pot target any input asks for passes through here before it reaches
// the pot controller. Pot levels are attenuation in dB (0 = pot fully up, negative = quieter);
// caps are levels the listener hears: pot + gain + the output's offset (balanced is +6 dB over
// single-ended at the same pot position), so a cap means the same loudness on every output.
//
//   floor    board.volume.minDb (quieter than this is the end stop)
//   ceiling  min(pot fully up, cap - gain - offset), cap = the lowest of the user's maximum
//            (state.maxDb), the output's cap (state.capDb) and the thermal derate
//            (state.derateCapDb); if the ceiling is below the floor, the floor
//   start    at power-on the remembered target, never above state.bootCapDb as the listener
//            hears it (nor above the ceiling)
//   mute     mute-to-level moves the target down to state.muteDb (listener), never up
//   steps    a step never moves the target against its direction (a pot already above the
//            ceiling, e.g. turned up by hand, stays where it is on "louder")
import { Board } from "../../boards/board";
import { AmpState, outputIndex } from "../ampState";

/** Step sizes the user can choose, dB. */
export const STEP_CHOICES_DB = [0.5, 1, 2];
/** Pot fully up. */
const POT_TOP_DB = 0;
/** The level heard may exceed a cap by this much (the estimate's settled accuracy) on connecting. */
const CONNECT_TOL_DB = 1;

export function isStepDb(db: number): boolean {
  return STEP_CHOICES_DB.indexOf(db) >= 0;
}

/** The step in force: the user's choice, or the board's default when none (or an invalid one). */
export function stepSizeDb(state: AmpState, board: Board): number {
  return isStepDb(state.step) ? state.step : board.volume.stepDb;
}

/** Highest pot level at which the listener hears at most capDb. */
export function potCeilingDb(capDb: number, gainDb: number, offsetDb: number): number {
  const c = capDb - gainDb - offsetDb;
  return c < POT_TOP_DB ? c : POT_TOP_DB;
}

/** db limited to [floorDb, ceilingDb]; the floor wins when they cross. NaN stays NaN. */
export function clampPotDb(db: number, floorDb: number, ceilingDb: number): number {
  if (db > ceilingDb) db = ceilingDb;
  return db < floorDb ? floorDb : db;
}

/** Listener-level cap in force on the current output. */
export function listenerCapDb(state: AmpState): number {
  let cap = state.maxDb;
  const outCap = state.capDb[outputIndex(state.out)];
  if (outCap < cap) cap = outCap;
  return state.derateCapDb < cap ? state.derateCapDb : cap;
}

/** The level the listener hears with the pot at potDb, on the output and gain in force (the one
 *  place it is worked out: a pot level for a heard one is db - heardDb(state, board, 0)). */
export function heardDb(state: AmpState, board: Board, potDb: number): number {
  return potDb + state.gainDb + board.outputs.offsetDb[state.out];
}

/** Whether the output may not connect with the pot at potDb: the listener would hear it above the
 *  cap in force (before the pot's first rest after power-on, the start-up cap too, unless a level
 *  was chosen) by more than CONNECT_TOL_DB. */
export function tooLoudToConnect(state: AmpState, board: Board, potDb: number, startingUp: boolean): boolean {
  let cap = listenerCapDb(state);
  if (startingUp && !state.levelChosen && state.bootCapDb < cap) cap = state.bootCapDb;
  return heardDb(state, board, potDb) > cap + CONNECT_TOL_DB;
}

function ceilingFor(state: AmpState, board: Board, capDb: number): number {
  return potCeilingDb(capDb, state.gainDb, board.outputs.offsetDb[state.out]);
}

/** An absolute request (console "vol -30", restore after mute) made legal. */
export function limitTargetDb(state: AmpState, board: Board, requestDb: number): number {
  return clampPotDb(requestDb, board.volume.minDb, ceilingFor(state, board, listenerCapDb(state)));
}

/** A relative request (knob, remote, "vol +2") from the current target, never against its sign. */
export function stepTargetDb(state: AmpState, board: Board, deltaDb: number): number {
  const floor = board.volume.minDb;
  let base = state.targetDb;
  if (!(base >= floor)) base = floor; // at the end stop (-Infinity) or unknown
  const want = limitTargetDb(state, board, base + deltaDb);
  if (deltaDb > 0) return want > base ? want : base;
  if (deltaDb < 0) return want < base ? want : base;
  return base;
}

/** Target at power-on for the remembered target (the output's last volume), capped at the
 *  start-up level; NaN (nothing remembered) starts at the floor. */
export function startTargetDb(state: AmpState, board: Board, rememberedDb: number): number {
  let db = rememberedDb === rememberedDb ? rememberedDb : board.volume.minDb;
  const startCeiling = ceilingFor(state, board, state.bootCapDb);
  if (db > startCeiling) db = startCeiling;
  return limitTargetDb(state, board, db);
}

/** Pot target while muted to state.muteDb: that listener level, or the current target if
 *  it is already quieter. NaN when the mute mode is hard (nothing to move). */
export function muteLevelTargetDb(state: AmpState, board: Board): number {
  const level = state.muteDb;
  if (level !== level) return NaN;
  const pot = ceilingFor(state, board, level);
  const t = state.targetDb;
  return clampPotDb(t < pot ? t : pot, board.volume.minDb, POT_TOP_DB);
}
