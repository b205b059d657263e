// The contracts of the volume unit and its loop's parts, apart from the code that keeps them:
// the volume unit's options and face (volumeUnit.ts), the observer's state (observer.ts writes
// it, the controller reads and steers it) and the pot loop's face (potController.ts) to the
// volume unit and the deck monitor.
import { Board } from "../../boards/board";
import { AmpState } from "../ampState";
import { MotorDrive } from "../motorDrive";
import { Readings } from "../sensors";
import { TrackStats } from "./deckMonitor";
import { CalRecord, Tables } from "./position";

/** The pot loop's modes (PotLoop.mode). */
export const MODE_IDLE = 0;
export const MODE_MOVE = 1;
export const MODE_STOP = 2;
export const MODE_SETTLE = 3;
export const MODE_WAIT_REV = 4;
/** A hand (or something) moved the shaft: motor off, following it. */
export const MODE_FREE = 5;

export interface Observer {
  /** Position (fraction of travel) and its variance; full-drive speed per ms; speed profile at
   *  unit speed; the command in force (+1/-1 drive, BRAKE, 0 coast). */
  shaftX: number;
  shaftVar: number;
  u: number;
  /** Covariance of p and u, variance of u. */
  pu: number;
  uu: number;
  phi: number;
  cmd: number;
  /** Spin-up and brake time constants (ms) and their uncertainty (sd, ms). */
  tauS: number;
  tauB: number;
  sigS: number;
  sigB: number;
  /** Following a hand (no motor model). */
  free: boolean;
  /** CUSUM of agreed innovations, up and down. */
  gp: number;
  gn: number;
  /** Per deck: last reading, what the table predicted for it, normalised innovation, whether it
   *  was fused, may be used. */
  reading: number[];
  predicted: number[];
  innovation: number[];
  fused: boolean[];
  usable: boolean[];
  /** Left/right gain difference (deck 5 reads 1 + gainDiff, deck 6 1 - gainDiff of its table). */
  gainDiff: number;
  /** Model forward to t under the current command. */
  advance(t: number): void;
  /** Advance, then a new command; the time constant's uncertainty goes into shaftVar. */
  setCmd(t: number, c: number): void;
  /** One pair of readings (0..1) at t; n > 1: each the mean of n readings of a shaft at rest
   *  (their noise averaged down, the tables' error not). */
  observe(t: number, r5: number, r6: number, n: number): void;
  /** Position from the readings alone. */
  seat(): void;
  taus(ts: number, tb: number): void;
  /** Model time without moving (boot, after a halt with nothing known). */
  at(t: number): void;
  enterFree(): void;
  exitFree(): void;
  /** New tables: forget the L/R gain difference. */
  newTables(): void;
}

export interface PotLoop {
  /** Estimated position (fraction of travel) and its variance. */
  shaftX: number;
  shaftVar: number;
  /** Mode (MODE_*), target position, reversals of the move in progress. */
  mode: number;
  goalX: number;
  reversals: number;
  /** Per deck: what the table predicted for the last reading (a failed deck's too), its
   *  normalised innovation, whether it was fused, may be used. */
  predicted: number[];
  innovation: number[];
  fused: boolean[];
  usable: boolean[];
  /** Left/right gain difference (deck 5 reads 1 + gainDiff, deck 6 1 - gainDiff of its table). */
  gainDiff: number;
  moving(): boolean;
  /** How long (ms) the loop can do without a tick: longer than the tick while the shaft cruises
   *  towards a brake that is far off (each look is tens of ms of a Pico), else tickMs or less
   *  (no tick comes sooner than tickMs). */
  cruiseMs: number;
  /** One control tick with both deck readings (0..1), each the mean of n readings (n > 1: at rest). */
  tick(t: number, r5: number, r6: number, n: number): void;
  /** The DC fast path and a brake that is due: long work calls it between its parts. */
  attend(): void;
  /** Go to x (fraction of travel; 0 and 1 are the end stops). */
  set(t: number, x: number): void;
  /** Motor off now, idle. */
  halt(): void;
  /** The shaft is known to be at rest at p (after the calibration); speed per ms, spin-up ms. */
  place(t: number, p: number, speed: number, tauS: number): void;
  /** Position unknown: seat it on the next readings (boot, tables changed). */
  lost(): void;
}

export interface PotLoopOptions {
  tables: Tables;
  /** The DC fast path, looked at between the parts of a tick. */
  poll(): void;
  motor: MotorDrive;
  tickMs: number;
  reverseRestMs: number;
  /** Full-drive speed before any is measured (per ms). */
  speed: number;
  now(): number;
  after(fn: () => void, ms: number): number;
  cancel(id: number): void;
  /** Close enough to stop correcting at x, dB. */
  tolDb(x: number): number;
  /** A motor fault (VF_*): the motor is already off. */
  fault(code: number): void;
  /** The shaft came to rest at x after being moved by hand (or a fault): adopt it. */
  adopt(x: number): void;
}

export interface VolumeOptions {
  board: Board;
  state: AmpState;
  motor: MotorDrive;
  /** The clock and one-shot timers (the brake instant is not rounded to the tick). */
  now(): number;
  after(fn: () => void, ms: number): number;
  cancel(id: number): void;
  /** Calibration storage (settings unit). */
  loadCalibration?: () => CalRecord | null;
  saveCalibration?: (rec: CalRecord) => number;
  /** One more ADC reading of a monitoring deck (0 = deck 5), for the calibration's averaging. */
  readDeck?: (deck: number) => number;
  report?: (line: string) => void; // console event lines
  /** A move is starting outside a fast tick: the control loop must run at its fast period now. */
  wake?: () => void;
  /** Gain relays for gain staging: the outputs unit's setGainDb (relays under mute, the pot target
   *  moved by the opposite amount through setTargetDb). */
  requestGain?: (db: number) => number;
  /** The DC fast path's scan, run between the parts of a full update (each part stays short). */
  poll?: () => void;
}

export interface VolumeUnit {
  /** Called every tick after sampling; drives the motor. */
  tick(r: Readings): void;
  /** Pot attenuation target, already limited by the caller's rules; returns OK or an ERR_* code. */
  setTargetDb(db: number): number;
  /** Motor off now (fault, AC loss). */
  halt(): void;
  /** Clears latched volume faults (reversed wiring, a jumping deck, tracking). */
  clearFaults(): void;
  calStart(): number;
  calAbort(): number;
  calStatus(): string;
  /** MUTE_* bits the volume unit needs while it works (calibration sweep, gain-staging swap). */
  muteReasons(): number;
  /** The loop wants ticks: the pot moving, or just come to rest (its estimate sharpens on every
   *  reading for a while after a move, as the next move starts from it). 0: it does not; else the
   *  longest wait (ms) until the next tick (the pot loop's cruiseMs, or tickMs). */
  busy(now: number): number;
  /** Live L/R tracking and its statistics. */
  track: TrackStats;
}
