// The controller's shared picture of the amp, one preallocated object. Subsystems write their own
// fields each tick; the console, status line, LEDs and settings read them. Nothing here allocates.
import { OutputName } from "../boards/board";

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
    output: "bal35",
    volumeByOutput: [-60, -60, -60, -60],
    gainDb: 0,
    switching: false,
    reasons: 0,
    connected: false,
    faults: 0,
    powerOk: false,
    heatC: 25,
  };
}
