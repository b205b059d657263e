// The controller's shared picture of the amp, one preallocated object. Subsystems write their own
// fields each tick; the console, status line, LEDs and settings read them. Nothing here allocates.
import { OutputName } from "../boards/board";

/** maxVolumeDb meaning "no limit" (above any level the amp can make: 0 pot + 18 gain + 6 offset). */
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
  stepDb: number;
  /** User's maximum-volume limit as the listener hears it (pot + gain + output offset), dB;
   *  VOLUME_NO_LIMIT_DB = no limit. Persisted. */
  maxVolumeDb: number;
  /** Mute mode: NaN = hard mute (output relay opens); a number = mute turns the volume down to
   *  this listener level instead, and unmute restores it. Persisted. */
  muteLevelDb: number;
  /** Muted to muteLevelDb (the relay stays closed); unmuteDb is the listener level to restore. */
  levelMute: boolean;
  unmuteDb: number;
  // ---- outputs ----
  output: OutputName;
  /** Last pot attenuation used on each output, in OUTPUT_NAMES order (persisted by settings). */
  volumeByOutput: number[];
  gainDb: number;
  /** Output or gain relays in transition (mute held). */
  switching: boolean;
  // ---- protection ----
  /** OR of MUTE_* reasons; the output relay is closed only at 0. */
  reasons: number;
  connected: boolean;
  /** OR of FAULT_* codes currently active or latched. */
  faults: number;
  powerOk: boolean;
  heatC: number;
  /** Thermal derate: cap on the level the listener hears, dB (VOLUME_NO_LIMIT_DB when none). */
  derateCapDb: number;
  /** When the output relay's coil was last released (its contact is open releaseMs later). */
  mutedAtMs: number;
  // ---- user settings (firmware/settings persists them; console "set/get" changes them). At boot,
  // before any unit starts, settings fills these from the stored record or the board's defaults.
  /** Start-up volume never above this level as the listener hears it, dB (board.volume.startCapDb). */
  startCapDb: number;
  /** Cap per output on the level the listener hears, dB, OUTPUT_NAMES order (board.outputs.capDb). */
  outputCapDb: number[];
  /** Inserting a plug selects that output. */
  jackSelect: boolean;
  /** The two outputs level-matched A/B toggles between. */
  abPair: OutputName[];
  /** Tracking-aware gain staging on (board.volume.gainStaging is the default). */
  gainStaging: boolean;
  /** Hash of the console unlock password (firmware/console/unlock.ts); 0 = none set. */
  unlockHash: number;
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
    stepDb: 0,
    maxVolumeDb: VOLUME_NO_LIMIT_DB,
    muteLevelDb: NaN,
    levelMute: false,
    unmuteDb: -60,
    output: "bal35",
    volumeByOutput: [-60, -60, -60, -60],
    gainDb: 0,
    switching: false,
    reasons: 0,
    connected: false,
    faults: 0,
    powerOk: false,
    heatC: 25,
    derateCapDb: VOLUME_NO_LIMIT_DB,
    mutedAtMs: 0,
    startCapDb: -30,
    outputCapDb: [0, -20, 0, 0],
    jackSelect: true,
    abPair: ["bal44", "se63"],
    gainStaging: false,
    unlockHash: 0,
  };
}
