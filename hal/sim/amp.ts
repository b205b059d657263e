// The simulated amplifier: every model in hal/sim composed on one virtual clock, wired to a board's
// pin names through a PinBus. Unit-to-unit variation is drawn from opts.seed (overridable field by
// field with opts.unit); every noisy reading draws from its own stream of the same seed.
//
// Pin bus: the board's pins have roles (motor inputs, relay coils / 595 lines, mux selects, plain
// outputs such as LEDs, sim-driven digital inputs, analog inputs). Any unknown pin name throws an
// Error naming it and the board; so does writing an input, or analog-reading a digital pin.
import { Board, OUTPUT_NAMES, OutputName } from "../../boards/board";
import { DEFAULT_STEP_MS, SimClock } from "./clock";
import { angleToAudioDb, angleToDeckRatio, drawDeckDeviations, MonitoringDeck, DeckFault } from "./decks";
import { createSimFlash } from "./flash";
import { InputGenerators } from "./inputs";
import { MotorPot } from "./motorPot";
import { drawRelayTimes, OUTPUT_MASK, RelayBank, Shift595 } from "./relays";
import { createRng } from "./rng";
import { DcSense, JackLadder, OverCurrent, Rails, Thermistor } from "./sensors";
import { Level, PinBus, SimAmp, SimFlash, TraceSample, UnitParams } from "./types";

/** Unit spread (DESIGN.md section 1 and the brief): full travel 12 s ± 25 %, travel 300 ± 5 deg. */
const FULL_TRAVEL_S = [9, 15] as const;
const TRAVEL_SPREAD_DEG = 5;
/** Static friction: the unit's dead zone lies between this and the board's minDuty. */
const DEAD_ZONE_MIN = 0.15;
/** First-order time constants, ms: spin-up, coast (gearbox friction), brake (shorted windings). */
const SPIN_UP_MS = [30, 60] as const;
const COAST_MS = [20, 40] as const;
const BRAKE_MS = [4, 8] as const;
/** Motor current at full drive (ALPS: <= 100 mA turning, <= 150 mA slipping), mA. */
const RUN_MA = [70, 95] as const;
const SLIP_MA = [130, 150] as const;
/** A locked rotor draws more than a slipping clutch lets it. */
const STALL_OVER_SLIP = [1.2, 1.4] as const;
/** 12-bit ADC noise bound, LSB. */
const ADC_NOISE_LSB = 2;
const THERMAL_TAU_S = [20, 60] as const;
/** AC-sense detection (about a mains half cycle) and rail hold-up after AC loss, ms. */
const AC_DETECT_MS = [5, 12] as const;
const RAIL_HOLD_MS = [50, 100] as const;
const IR_MARK_STRETCH_MS = [0, 0.08] as const;
/** Power-on world: pot at 30 % travel, 30 V rails (pico comment), room temperature. */
const DEFAULT_START_FRACTION = 0.3;
const DEFAULT_RAIL_V = 30;
const DEFAULT_AMBIENT_C = 25;

export interface SimAmpOptions {
  seed?: number;
  /** Keep files across a simulated reboot: pass the previous amp's flash. */
  flash?: SimFlash;
  /** Shaft angle at power-on (default 30 % of travel). */
  startDeg?: number;
  /** Override any drawn unit parameter (the others keep their seeded values). */
  unit?: Partial<UnitParams>;
  /** Physics step (default 0.5 ms). */
  stepMs?: number;
  railV?: number;
  heatsinkC?: number;
  acPresent?: boolean;
  /** Jacks with a plug in at power-on. */
  plugged?: OutputName[];
  /** The knob's button held pushed at power-on for this long, ms (the owner's act that lets the
   *  console raise limits for a while: firmware/console/owner.ts). */
  knobHeldAtPowerOnMs?: number;
  /** Encoder and push-button contact bounce, ms (default 0: clean edges). */
  contactBounceMs?: number;
  /** IR receiver mark stretch and jitter (default true). */
  irDistortion?: boolean;
}

/** The concrete amp: SimAmp plus access to the concrete clock (addStepper, pendingCount). */
export interface SimAmpHandle extends SimAmp {
  clock: SimClock;
  /** Which over-current comparators are tripping now. */
  overCurrent(): { left: boolean; right: boolean };
  /** Inserted-jacks mask (bit i = OUTPUT_NAMES[i]). */
  jacksInserted(): number;
  /** 74HC595 outputs (Qi = bit i), or the direct relay coils as the same mask. */
  relayCoils(): number;
}

/** Draw a unit from the seed; overrides replace single fields after everything is drawn. */
export function drawUnit(board: Board, seed: number, overrides: Partial<UnitParams> = {}): UnitParams {
  const root = createRng(seed);
  const r = root.fork("unit");
  const u = (range: readonly [number, number]) => r.uniform(range[0], range[1]);
  const slip = u(SLIP_MA);
  const decks = drawDeckDeviations(root.fork("decks"));
  const relayTimes = drawRelayTimes(board, root.fork("relayTimes"));
  const unit: UnitParams = {
    seed,
    fullTravelS: u(FULL_TRAVEL_S),
    travelDeg: board.pot.travelDeg + r.uniform(-TRAVEL_SPREAD_DEG, TRAVEL_SPREAD_DEG),
    deadZone: r.uniform(DEAD_ZONE_MIN, Math.max(DEAD_ZONE_MIN, board.motor.minDuty)),
    spinUpMs: u(SPIN_UP_MS),
    coastMs: u(COAST_MS),
    deck5Dev: decks.deck5Dev,
    deck6Dev: decks.deck6Dev,
    adcNoiseLsb: ADC_NOISE_LSB,
    brakeMs: u(BRAKE_MS),
    motorRunMa: u(RUN_MA),
    motorSlipMa: slip,
    motorStallMa: slip * u(STALL_OVER_SLIP),
    thermalTauS: u(THERMAL_TAU_S),
    acDetectMs: u(AC_DETECT_MS),
    railHoldMs: u(RAIL_HOLD_MS),
    relayOperateMs: relayTimes.operateMs,
    relayReleaseMs: relayTimes.releaseMs,
    irMarkStretchMs: u(IR_MARK_STRETCH_MS),
  };
  return { ...unit, ...overrides, seed };
}

type EdgeFn = (level: Level, timeMs: number) => void;
type PinRole = "output" | "input" | "analog";

/** Pin-level view keyed by the board's pin names. */
class SimPinBus implements PinBus {
  private readonly roles = new Map<string, { role: PinRole; what: string }>();
  private readonly levels = new Map<string, boolean>();
  private readonly duties = new Map<string, number>();
  private readonly writeHooks = new Map<string, (duty: number) => void>();
  private readonly analogSources = new Map<string, (lagMs: number) => number>();
  /** Garbage on an analog input, by what it senses: a fixed value, or the reading frozen. */
  private readonly garbage = new Map<string, { value: number | "freeze"; frozen?: number }>();
  private readonly whatToPin = new Map<string, string>();
  private readonly listeners = new Map<string, EdgeFn[]>();

  constructor(
    private readonly boardName: string,
    private readonly clock: SimClock,
  ) {}

  defineOutput(pin: string, what: string, hook?: (duty: number) => void): void {
    this.define(pin, "output", what);
    this.levels.set(pin, false);
    this.duties.set(pin, 0);
    if (hook) this.writeHooks.set(pin, hook);
  }

  defineInput(pin: string, what: string, level: boolean): void {
    this.define(pin, "input", what);
    this.levels.set(pin, level);
  }

  defineAnalog(pin: string, what: string, read: (lagMs: number) => number): void {
    this.define(pin, "analog", what);
    this.analogSources.set(pin, read);
    this.whatToPin.set(what, pin);
  }

  setGarbage(what: string, value: number | "freeze" | null): void {
    const pin = this.whatToPin.get(what);
    if (!pin) throw new Error(`sim: no analog input senses "${what}" (${[...this.whatToPin.keys()].join(", ")})`);
    if (value === null) this.garbage.delete(pin);
    else this.garbage.set(pin, { value });
  }

  has(pin: string): boolean {
    return this.roles.has(pin);
  }

  analogRead(pin: string, lagMs = 0): number {
    const read = this.analogSources.get(pin);
    if (!read) throw this.misuse(pin, "analogRead");
    const g = this.garbage.get(pin);
    if (!g) return read(lagMs);
    if (g.value !== "freeze") return g.value;
    if (g.frozen === undefined) g.frozen = read(lagMs);
    return g.frozen;
  }

  digitalRead(pin: string): Level {
    const level = this.levels.get(pin);
    if (level !== undefined) return level;
    return this.analogRead(pin) >= 0.5; // an analog pin read digitally: threshold at half vref
  }

  digitalWrite(pin: string, level: Level): void {
    this.pwm(pin, level ? 1 : 0, 0);
  }

  pwm(pin: string, duty: number, _freqHz: number): void {
    const r = this.roleOf(pin);
    if (r.role !== "output") throw this.misuse(pin, "write");
    const d = duty > 1 ? 1 : duty > 0 ? duty : 0;
    this.duties.set(pin, d);
    const hook = this.writeHooks.get(pin);
    if (hook) hook(d);
    this.setLevel(pin, d > 0);
  }

  onEdge(pin: string, fn: EdgeFn): () => void {
    this.roleOf(pin);
    const list = this.listeners.get(pin) ?? [];
    this.listeners.set(pin, [...list, fn]);
    return () => {
      const now = this.listeners.get(pin) ?? [];
      this.listeners.set(
        pin,
        now.filter((f) => f !== fn),
      );
    };
  }

  /** The sim drives an input pin (or any pin) to a level; edges go to the listeners. */
  setLevel(pin: string, level: boolean): void {
    const was = this.levels.get(pin);
    if (was === undefined) this.roleOf(pin);
    if (was === level) return;
    this.levels.set(pin, level);
    const list = this.listeners.get(pin);
    if (!list) return;
    const t = this.clock.nowMs();
    for (let i = 0; i < list.length; i++) list[i](level, t);
  }

  level(pin: string): Level {
    this.roleOf(pin);
    return this.levels.get(pin) ?? false;
  }

  duty(pin: string): number {
    this.roleOf(pin);
    return this.duties.get(pin) ?? 0;
  }

  private define(pin: string, role: PinRole, what: string): void {
    const had = this.roles.get(pin);
    if (had) throw new Error(`sim(${this.boardName}): pin "${pin}" wired as both ${had.what} and ${what}`);
    this.roles.set(pin, { role, what });
  }

  private roleOf(pin: string): { role: PinRole; what: string } {
    const r = this.roles.get(pin);
    if (!r) throw new Error(`sim(${this.boardName}): unknown pin "${pin}"`);
    return r;
  }

  private misuse(pin: string, op: string): Error {
    const r = this.roleOf(pin);
    return new Error(`sim(${this.boardName}): cannot ${op} pin "${pin}" (${r.what}, ${r.role})`);
  }
}

export function createSimAmp(board: Board, opts: SimAmpOptions = {}): SimAmpHandle {
  const seed = opts.seed ?? 1;
  const unit = drawUnit(board, seed, opts.unit);
  const root = createRng(seed);
  const noise = unit.adcNoiseLsb;
  const stepMs = opts.stepMs ?? DEFAULT_STEP_MS;
  const clock = new SimClock();
  const pins = new SimPinBus(board.name, clock);
  const flash = opts.flash ?? createSimFlash();
  const P = board.pins;
  const setInput = (pin: string, level: boolean) => pins.setLevel(pin, level);

  // ---- models ----
  const motor = new MotorPot(
    {
      travelDeg: unit.travelDeg,
      fullTravelS: unit.fullTravelS,
      deadZone: unit.deadZone,
      spinUpMs: unit.spinUpMs,
      coastMs: unit.coastMs,
      brakeMs: unit.brakeMs,
      runMa: unit.motorRunMa,
      slipMa: unit.motorSlipMa,
      stallMa: unit.motorStallMa,
    },
    opts.startDeg ?? unit.travelDeg * DEFAULT_START_FRACTION,
    stepMs,
  );
  clock.addStepper(stepMs, (dt) => motor.step(dt));
  const deck5 = new MonitoringDeck(unit.deck5Dev, root.fork("deck5"), noise);
  const deck6 = new MonitoringDeck(unit.deck6Dev, root.fork("deck6"), noise);
  const dc = new DcSense(board, clock, root.fork("dc"), noise);
  const oc = new OverCurrent(P.ocLeft, P.ocRight, setInput);
  const relays = new RelayBank(
    clock,
    { operateMs: unit.relayOperateMs, releaseMs: unit.relayReleaseMs },
    root.fork("relays"),
    () => oc.update(relays.connected(), relays.contactMask() & OUTPUT_MASK),
  );
  const thermistor = new Thermistor(
    board,
    clock,
    root.fork("ntc"),
    noise,
    unit.thermalTauS,
    opts.heatsinkC ?? DEFAULT_AMBIENT_C,
  );
  const rails = new Rails(
    board,
    clock,
    root.fork("rail"),
    noise,
    unit.railHoldMs,
    unit.acDetectMs,
    setInput,
    opts.railV ?? DEFAULT_RAIL_V,
    opts.acPresent ?? true,
  );
  const jacks = new JackLadder(clock, root.fork("jacks"), noise);
  for (const o of opts.plugged ?? []) jacks.set(OUTPUT_NAMES.indexOf(o), true);
  const inputs = new InputGenerators(clock, P, setInput, root.fork("inputs"), {
    contactBounceMs: opts.contactBounceMs ?? 0,
    irMarkStretchMs: opts.irDistortion === false ? 0 : unit.irMarkStretchMs,
    irJitter: opts.irDistortion !== false,
  });
  let coilMask = 0;

  // ---- wiring ----
  const x = () => motor.angleDeg() / unit.travelDeg;
  pins.defineOutput(P.motorA, "motorA", (d) => motor.setDuty("A", d));
  pins.defineOutput(P.motorB, "motorB", (d) => motor.setDuty("B", d));
  pins.defineOutput(P.muteRelay, "muteRelay", (d) => relays.mute.setCoil(d > 0));
  pins.defineOutput(P.ledGreen, "ledGreen");
  pins.defineOutput(P.ledRed, "ledRed");
  pins.defineInput(P.encA, "encA", true);
  pins.defineInput(P.encB, "encB", true);
  const held = opts.knobHeldAtPowerOnMs ?? 0;
  pins.defineInput(P.encPush, "encPush", !(held > 0));
  if (held > 0) clock.at(held, () => setInput(P.encPush, true));
  pins.defineInput(P.ir, "ir", true);
  pins.defineInput(P.ocLeft, "ocLeft", true);
  pins.defineInput(P.ocRight, "ocRight", true);
  pins.defineInput(P.acSense, "acSense", rails.acPinLevel());
  pins.defineAnalog(P.deck5, "deck5", () => deck5.read(x(), motor.speedDegS() !== 0));
  pins.defineAnalog(P.deck6, "deck6", () => deck6.read(x(), motor.speedDegS() !== 0));
  pins.defineAnalog(P.railSense, "railSense", () => rails.read());
  pins.defineAnalog(P.thermistor, "thermistor", () => thermistor.read());
  pins.defineAnalog(P.jackSense, "jackSense", () => jacks.read());
  const ds = board.dcSense;
  if (ds.kind === "direct") {
    ds.pins.forEach((pin, leg) => pins.defineAnalog(pin, `dcSense leg ${leg}`, () => dc.read(leg)));
  } else {
    pins.defineAnalog(ds.adc, "dcSense mux", (lagMs) => dc.readMux(lagMs));
    pins.defineOutput(ds.select[0], "mux s0", (d) => dc.setSelectLine(0, d > 0));
    pins.defineOutput(ds.select[1], "mux s1", (d) => dc.setSelectLine(1, d > 0));
  }
  const rd = board.relays;
  if (rd.kind === "direct") {
    rd.pins.forEach((pin, i) =>
      pins.defineOutput(pin, `relay ${i}`, (d) => {
        coilMask = d > 0 ? coilMask | (1 << i) : coilMask & ~(1 << i);
        relays.relays[i].setCoil(d > 0);
      }),
    );
  } else {
    const sr = new Shift595((out) => {
      coilMask = out;
      relays.setCoils(out);
    });
    pins.defineOutput(rd.data, "595 data", (d) => sr.setData(d > 0));
    pins.defineOutput(rd.clock, "595 clock", (d) => sr.setClock(d > 0));
    pins.defineOutput(rd.latch, "595 latch", (d) => sr.setLatch(d > 0));
  }

  // ---- watchdog ----
  let wdTimeoutMs = 0;
  let wdLastKick = 0;
  let wdTimer = -1;
  let wdFired = false;
  const wdListeners: (() => void)[] = [];
  const wdCheck = () => {
    wdTimer = -1;
    const due = wdLastKick + wdTimeoutMs;
    if (clock.nowMs() < due) {
      wdTimer = clock.at(due, wdCheck);
      return;
    }
    wdFired = true;
    for (const fn of wdListeners) fn();
  };

  const audioDbAt = (side: "left" | "right") => angleToAudioDb(unit, side, motor.angleDeg());

  const amp: SimAmpHandle = {
    clock,
    pins,
    flash,
    unit,

    shaftDeg: () => motor.angleDeg(),
    shaftSpeed: () => motor.speedDegS(),
    audioDb: () => ({ left: audioDbAt("left"), right: audioDbAt("right") }),
    motorDrive: () => motor.bridgeDrive(),
    motorCurrentMa: () => motor.currentMa(),
    outputConnected: () => relays.connected(),
    outputsLive: () => relays.outputsLive(),
    gainDb: () => relays.gainDb(),
    relayEventsWhileConnected: () => relays.eventsWhileConnected(),
    watchdogFired: () => wdFired,
    pinLevel: (pin) => pins.level(pin),
    pinDuty: (pin) => pins.duty(pin),
    thermistorC: () => thermistor.tempC(),
    railV: () => rails.railV(),
    deckRatio: (deck) => angleToDeckRatio(unit, deck, motor.angleDeg()),
    overCurrent: () => oc.tripped(),
    jacksInserted: () => jacks.inserted(),
    relayCoils: () => coilMask,

    turnKnob: (detents, periodMs) => inputs.turnKnob(detents, periodMs),
    pressKnob: (holdMs) => inputs.pressKnob(holdMs),
    handTurn: (toDeg, degPerS) => motor.handTurn(toDeg, degPerS),
    irSend: (address, command, repeats) => inputs.irSend(address, command, repeats),
    plug: (output, inserted) => {
      const bit = outputBit(output);
      jacks.set(bit, inserted);
      if (!inserted) oc.setSingleEndedPlug(bit, false);
    },
    setLegDc: (leg, volts) => dc.setLeg(leg, volts),
    setShort: (channel, shorted) => oc.setShort(channel, shorted),
    plugSingleEndedIntoTrrs: (output, inserted) => {
      const bit = outputBit(output);
      jacks.set(bit, inserted);
      oc.setSingleEndedPlug(bit, inserted);
    },
    setHeatsinkC: (c, settled) => thermistor.setHeatsinkC(c, settled),
    setAcPresent: (present) => rails.setAcPresent(present),
    setRailV: (volts) => rails.setRailV(volts),
    setMotorStalled: (stalled) => motor.setStalled(stalled),
    setMotorReversed: (reversed) => motor.setReversed(reversed),
    setDeckFault: (deck: 5 | 6, fault: DeckFault) => (deck === 5 ? deck5 : deck6).setFault(fault),
    setAnalogGarbage: (what, value) => pins.setGarbage(what, value),

    watchdogStart: (timeoutS) => {
      if (!(timeoutS > 0)) throw new RangeError(`watchdogStart: timeout must be > 0 s, got ${timeoutS}`);
      wdTimeoutMs = timeoutS * 1000;
      wdLastKick = clock.nowMs();
      if (wdTimer >= 0) clock.cancel(wdTimer);
      wdTimer = wdFired ? -1 : clock.at(wdLastKick + wdTimeoutMs, wdCheck);
    },
    watchdogKick: () => {
      wdLastKick = clock.nowMs();
    },
    onWatchdog: (fn) => {
      wdListeners.push(fn);
    },
    trace: (everyMs, fn) => {
      const s: TraceSample = {
        timeMs: 0,
        shaftDeg: 0,
        shaftSpeed: 0,
        leftDb: 0,
        rightDb: 0,
        drive: 0,
        brake: false,
        motorMa: 0,
        connected: false,
        outputsMask: 0,
        gainDb: 0,
      };
      const sample = () => {
        const deg = motor.angleDeg();
        const drive = motor.bridgeDrive();
        s.timeMs = clock.nowMs();
        s.shaftDeg = deg;
        s.shaftSpeed = motor.speedDegS();
        s.leftDb = angleToAudioDb(unit, "left", deg);
        s.rightDb = angleToAudioDb(unit, "right", deg);
        s.brake = drive === "brake";
        s.drive = drive === "brake" ? 0 : drive;
        s.motorMa = motor.currentMa();
        s.connected = relays.connected();
        s.outputsMask = relays.contactMask() & OUTPUT_MASK;
        s.gainDb = relays.gainDb();
        fn(s);
      };
      sample();
      const id = clock.every(everyMs, sample);
      return () => clock.cancel(id);
    },
  };
  return amp;
}

function outputBit(output: OutputName): number {
  const bit = OUTPUT_NAMES.indexOf(output);
  if (bit < 0) throw new Error(`sim: unknown output "${output}"`);
  return bit;
}

