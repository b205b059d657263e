// The controller's shared picture of the amp, one preallocated object. Subsystems write their own
// fields each tick; the console, status line, LEDs and settings read them. Nothing here allocates.
import { OUTPUT_NAMES, OutputName } from "../boards/board";
import { MUTE_POWER_ON } from "./muteReasons";

/** maxDb meaning "no limit" (above any level the amp can make: 0 pot + 18 gain + 6 offset). */
export const VOLUME_NO_LIMIT_DB = 99;

export interface AmpState {
  nowMs: number;
  // ---- volume (pot attenuation in dB, 0 = full, negative = quieter) ----
  targetDb: number;
  actualDb: number;
  /** Attenuation read from deck 5 (left) and deck 6 (right). */
  leftDb: number;
  rightDb: number;
  /** Left minus right, dB, at the current position. */
  trackErrDb: number;
  moving: boolean;
  /** One monitoring deck failed: running on the other. */
  degraded: boolean;
  userMute: boolean;
  /** Volume step per knob detent / remote press, dB: 0.5, 1 or 2; 0 = the board's default
   *  (board.volume.stepDb). Persisted by settings. */
  step: number;
  /** User's maximum-volume limit as the listener hears it (pot + gain + output offset), dB;
   *  VOLUME_NO_LIMIT_DB = no limit. Persisted. */
  maxDb: number;
  /** Mute mode: NaN = hard mute (output relay opens); a number = mute turns the volume down to
   *  this listener level instead, and unmute restores it. Persisted. */
  muteDb: number;
  /** Muted to muteDb (the relay stays closed); unmuteDb is the listener level to restore. */
  /** A level has been asked for since power-on (knob, remote, console): the start-up cap no
   *  longer gates the output (the volume unit's MUTE_LEVEL). */
  levelChosen: boolean;
  levelMute: boolean;
  unmuteDb: number;
  // ---- outputs ----
  out: OutputName;
  /** Last pot attenuation used on each output, in OUTPUT_NAMES order (persisted by settings). */
  outVolDb: number[];
  gainDb: number;
  /** Output or gain relays in transition (mute held). */
  relaysBusy: boolean;
  // ---- protection ----
  /** OR of MUTE_* reasons; the output relay is closed only at 0. */
  muteReasons: number;
  relayClosed: boolean;
  /** OR of FAULT_* codes currently active or latched. */
  faults: number;
  powerOk: boolean;
  /** Thermal derate: cap on the level the listener hears, dB (VOLUME_NO_LIMIT_DB when none). */
  derateCapDb: number;
  /** When the output relay's coil was last released (its contact is open releaseMs later). */
  mutedAtMs: number;
  // ---- user settings (firmware/settings persists them; console "set/get" changes them). At boot,
  // before any unit starts, settings fills these from the stored record or the board's defaults.
  /** Start-up volume never above this level as the listener hears it, dB (board.volume.startCapDb). */
  bootCapDb: number;
  /** Cap per output on the level the listener hears, dB, OUTPUT_NAMES order (board.outputs.capDb). */
  capDb: number[];
  /** Inserting a plug selects that output. */
  jackSelect: boolean;
  /** The two outputs level-matched A/B toggles between. */
  ab: OutputName[];
  /** Tracking-aware gain staging on (board.volume.gainStaging is the default). */
  gainStaging: boolean;
  /** The gain the user chose (gainDb is the gain in force: gain staging may hold it lower). An
   *  absolute level request means the pot at this gain. */
  userGainDb: number;
  /** Until then the console may raise limits (maxvol, startcap, a cap) and, on a Bluetooth board,
   *  set the first password: opened by the owner's act on the amp (the knob's button held pushed
   *  at power-on: inputs/inputsUnit.ts). */
  ownerUntilMs: number;
  /** Hash of the console unlock password (firmware/console/unlock.ts); 0 = none set. */
  pwHash: number;
}

/** Index of an output name in OUTPUT_NAMES order (bal44, bal35, xlr, se63); -1 for anything else. */
export function outputIndex(name: unknown): number {
  return OUTPUT_NAMES.indexOf(name as OutputName);
}

export function newAmpState(): AmpState {
  return {
    nowMs: 0,
    targetDb: -60,
    actualDb: -60,
    leftDb: -60,
    rightDb: -60,
    trackErrDb: 0,
    moving: false,
    degraded: false,
    userMute: false,
    step: 0,
    maxDb: VOLUME_NO_LIMIT_DB,
    muteDb: NaN,
    levelMute: false,
    levelChosen: false,
    unmuteDb: -60,
    out: "bal35",
    outVolDb: [-60, -60, -60, -60],
    gainDb: 0,
    relaysBusy: false,
    muteReasons: MUTE_POWER_ON, // (what a status asked for before the first tick says)
    relayClosed: false,
    faults: 0,
    powerOk: false,
    derateCapDb: VOLUME_NO_LIMIT_DB,
    mutedAtMs: 0,
    bootCapDb: -30,
    capDb: [0, -20, 0, 0],
    jackSelect: true,
    ab: ["bal44", "se63"],
    gainStaging: false,
    userGainDb: 0,
    ownerUntilMs: 0,
    pwHash: 0,
  };
}
