// The contracts of the volume loop's parts, apart from the code that keeps them: the observer's
// state (observer.ts writes it, the controller reads and steers it) and the pot loop's face
// (potController.ts) to the volume unit and the deck monitor.
import { MotorDrive } from "../motorDrive";
import { Tables } from "./position";

export interface Observer {
  /** Position (fraction of travel) and its variance; full-drive speed per ms; speed profile at
   *  unit speed; the command in force (+1/-1 drive, BRAKE, 0 coast). */
  p: number;
  pp: number;
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
  z: number[];
  h: number[];
  n: number[];
  used: boolean[];
  ok: boolean[];
  /** Left/right gain difference (deck 5 reads 1 + dl, deck 6 1 - dl of its table). */
  dl: number;
  /** Model forward to t under the current command. */
  advance(t: number): void;
  /** Advance, then a new command; the time constant's uncertainty goes into pp. */
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
  p: number;
  pp: number;
  /** Mode (MODE_*), target position, reversals of the move in progress. */
  mode: number;
  x: number;
  rev: number;
  /** Per deck: what the table predicted for the last reading (a failed deck's too), its
   *  normalised innovation, whether it was fused, may be used. */
  h: number[];
  n: number[];
  used: boolean[];
  ok: boolean[];
  /** Left/right gain difference (deck 5 reads 1 + dl, deck 6 1 - dl of its table). */
  dl: number;
  moving(): boolean;
  /** One control tick with both deck readings (0..1), each the mean of n readings (n > 1: at rest). */
  tick(t: number, r5: number, r6: number, n: number): void;
  /** Go to x (fraction of travel; 0 and 1 are the end stops). */
  set(t: number, x: number): void;
  /** Motor off now, idle. */
  halt(t: number): void;
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
