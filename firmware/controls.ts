// The commands every input (front-panel knob, IR remote, console) issues. All of them go through
// the same controllers and limits: no input has a back door past the volume cap or protection.
import { OutputName } from "../boards/board";

/** Reply codes shared by controls and the console protocol ("err <code> <message>"). */
export const OK = 0;
export const ERR_RANGE = 3; // value outside the allowed range
export const ERR_BUSY = 4; // a sequence is running and the request cannot be merged
export const ERR_FAULT = 5; // refused while a fault holds
// (6, "not supported", is no longer answered: every board has every command)

export interface Controls {
  /** Pot attenuation target, dB (clamped to the limits; returns OK or ERR_RANGE for NaN). */
  setVolumeDb(db: number): number;
  stepVolumeDb(deltaDb: number): number;
  setMute(on: boolean): void;
  toggleMute(): void;
  selectOutput(name: OutputName): number;
  /** Level-matched A/B between the two chosen outputs. */
  toggleAB(): number;
  setGainDb(db: number): number;
  /** Clears latched faults whose cause has gone. */
  clearFaults(): number;
  /** Factory calibration sweep of the monitoring decks (issue 3); results stored by settings. */
  calStart(): number;
  calAbort(): number;
  /** "idle" | "running <percent>" | "done" | "failed <reason>" */
  calStatus(): string;
}
