// The motorized pot's mechanics: DC motor + gearbox + slip clutch turning one shaft (the six decks
// ride on it; decks.ts turns the angle into readings). Angle 0 = fully counter-clockwise (quietest).
//
// Model, per the ALPS RK168 figures (DESIGN.md section 1):
// - H-bridge: duty on A drives clockwise (louder), on B counter-clockwise; both non-zero = brake
//   (windings shorted), both zero = coast. Reversed wiring swaps the motor's direction.
// - Steady speed is proportional to drive above a static-friction dead zone:
//   v = vMax * (|d| - deadZone) / (1 - deadZone), vMax = travel / fullTravelS.
// - Speed follows that target first-order: spin-up with spinUpMs while driven above the dead zone,
//   coastMs when not driven (gearbox friction), brakeMs when braked; below STOP_SPEED it stops.
//   Integration is exact for constant inputs, so the clock may split steps anywhere.
// - End stops: the clutch slips, the shaft stays exactly at 0 or travelDeg, current = slip current.
// - A hand on the shaft overpowers the clutch: the shaft follows the hand until it lets go.
// - Faults: stalled (rotor locked: no motion, stall current), reversed wiring.

/** Below this the shaft is held by static friction (deg/s): ends the exponential tail of a coast. */
const STOP_SPEED_DEG_S = 0.05;
/** Globals are slow to reach from hot code inside a vm context (jest runs tests in one): alias them. */
const { exp } = Math;

export interface MotorParams {
  travelDeg: number;
  /** Full-travel time at full drive, s: sets the top speed. */
  fullTravelS: number;
  deadZone: number;
  spinUpMs: number;
  coastMs: number;
  brakeMs: number;
  /** Supply current at full drive, turning freely at speed, mA. */
  runMa: number;
  /** At full drive with the clutch slipping (end stop, hand against it), mA. */
  slipMa: number;
  /** At full drive with the rotor locked, mA. */
  stallMa: number;
}

export class MotorPot {
  private angle: number;
  private speed = 0;
  private dutyA = 0;
  private dutyB = 0;
  private stalled = false;
  private reversed = false;
  /** Motor drive after wiring (-1..1); 0 when braking. */
  private drive = 0;
  private braking = false;
  /** Steady speed the motor heads for, deg/s, and the time constant it heads there with. */
  private target = 0;
  private tau: number;
  /** exp(-stepMs / tau) for the current tau: the common step never calls exp. */
  private alpha: number;
  private readonly alphaSpin: number;
  private readonly alphaCoast: number;
  private readonly alphaBrake: number;
  private readonly vMax: number;
  /** Hand on the shaft: rate > 0 while holding. */
  private handTo = 0;
  private handRate = 0;

  constructor(readonly p: MotorParams, startDeg: number, private readonly stepMs: number) {
    this.angle = clamp(startDeg, 0, p.travelDeg);
    this.vMax = p.travelDeg / p.fullTravelS;
    this.alphaSpin = exp(-stepMs / p.spinUpMs);
    this.alphaCoast = exp(-stepMs / p.coastMs);
    this.alphaBrake = exp(-stepMs / p.brakeMs);
    this.tau = p.coastMs;
    this.alpha = this.alphaCoast;
  }

  // ---- inputs ----

  /** H-bridge input duty, 0..1 (digital high = 1). */
  setDuty(input: "A" | "B", duty: number): void {
    const d = duty > 1 ? 1 : duty > 0 ? duty : 0;
    if (input === "A") this.dutyA = d;
    else this.dutyB = d;
    this.retarget();
  }

  setStalled(stalled: boolean): void {
    this.stalled = stalled;
    if (stalled) this.speed = 0;
  }

  setReversed(reversed: boolean): void {
    this.reversed = reversed;
    this.retarget();
  }

  /** Hand moves the shaft towards toDeg at degPerS, then lets go. */
  handTurn(toDeg: number, degPerS: number): void {
    if (!(degPerS > 0)) throw new RangeError(`handTurn: degPerS must be > 0, got ${degPerS}`);
    this.handTo = clamp(toDeg, 0, this.p.travelDeg);
    this.handRate = degPerS;
  }

  // ---- physics ----

  step(dtMs: number): void {
    if (this.handRate > 0) {
      this.stepHand(dtMs);
      return;
    }
    if (this.stalled) return;
    const target = this.target;
    const v = this.speed;
    if (v === 0 && target === 0) return;
    const tau = this.tau;
    const a = dtMs === this.stepMs ? this.alpha : exp(-dtMs / tau);
    const dv = v - target;
    // exact integral of v(t) = target + dv * exp(-t / tau) over dt (ms -> s: * 0.001)
    let angle = this.angle + (target * dtMs + dv * tau * (1 - a)) * 0.001;
    let nv = target + dv * a;
    const travel = this.p.travelDeg;
    if (angle >= travel) {
      angle = travel;
      if (nv > 0) nv = 0;
    } else if (angle <= 0) {
      angle = 0;
      if (nv < 0) nv = 0;
    }
    if (target === 0 && nv < STOP_SPEED_DEG_S && nv > -STOP_SPEED_DEG_S) nv = 0;
    this.angle = angle;
    this.speed = nv;
  }

  // ---- truth ----

  angleDeg(): number {
    return this.angle;
  }

  speedDegS(): number {
    return this.speed;
  }

  handActive(): boolean {
    return this.handRate > 0;
  }

  /** The H-bridge's view of the pins: dutyA - dutyB, or "brake". */
  bridgeDrive(): number | "brake" {
    return this.dutyA > 0 && this.dutyB > 0 ? "brake" : this.dutyA - this.dutyB;
  }

  /** Pushing into an end stop (the clutch slips). */
  atEndStop(): boolean {
    const d = this.drive;
    return (d > 0 && this.angle >= this.p.travelDeg) || (d < 0 && this.angle <= 0);
  }

  currentMa(): number {
    const d = this.drive < 0 ? -this.drive : this.drive;
    if (this.braking || d === 0) return 0;
    const p = this.p;
    if (this.stalled) return d * p.stallMa;
    if (this.handRate > 0 || this.atEndStop()) return d * p.slipMa;
    if (d <= p.deadZone) return d * p.stallMa; // static friction holds the rotor
    // back-EMF: the current falls from stall towards run current as the motor comes up to speed
    const frac = this.speed / this.target; // negative while reversing: stall current
    const f = frac > 1 ? 1 : frac > 0 ? frac : 0;
    return d * (p.stallMa - (p.stallMa - p.runMa) * f);
  }

  private stepHand(dtMs: number): void {
    const reach = this.handRate * dtMs * 0.001;
    const diff = this.handTo - this.angle;
    if (diff <= reach && diff >= -reach) {
      this.angle = this.handTo;
      this.speed = 0;
      this.handRate = 0; // lets go
    } else {
      this.angle += diff > 0 ? reach : -reach;
      this.speed = diff > 0 ? this.handRate : -this.handRate;
    }
  }

  private retarget(): void {
    const p = this.p;
    this.braking = this.dutyA > 0 && this.dutyB > 0;
    const raw = this.braking ? 0 : this.dutyA - this.dutyB;
    this.drive = this.reversed ? -raw : raw;
    const mag = this.drive < 0 ? -this.drive : this.drive;
    if (this.braking) {
      this.target = 0;
      this.tau = p.brakeMs;
      this.alpha = this.alphaBrake;
    } else if (mag > p.deadZone) {
      const v = (this.vMax * (mag - p.deadZone)) / (1 - p.deadZone);
      this.target = this.drive > 0 ? v : -v;
      this.tau = p.spinUpMs;
      this.alpha = this.alphaSpin;
    } else {
      this.target = 0;
      this.tau = p.coastMs;
      this.alpha = this.alphaCoast;
    }
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
