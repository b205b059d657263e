// What a controller board is, as data: its wiring (the MCU, its pins, the sense circuits, its
// relays) fitted into an amplifier (the pot, the motor, protection thresholds, outputs, volume
// defaults: boards/amps/). A board file is one fitBoard(wiring, amplifier): a second amplifier on the
// same controller is one file more. The firmware and the simulated amplifier read the Board; the
// build evaluates it and ships only the resulting literal (rollup.config.js).

export type OutputName = "bal44" | "bal35" | "xlr" | "se63";
export const OUTPUT_NAMES: OutputName[] = ["bal44", "bal35", "xlr", "se63"];

/** Four DC-offset senses in leg order L+, L−, R+, R−. */
export type DcSense =
  | { kind: "direct"; pins: [string, string, string, string] }
  /** A 4:1 analog mux (e.g. 74HC4052 half): select lines s0 (LSB), s1; one ADC pin. */
  | { kind: "mux"; adc: string; select: [string, string]; settleMs: number };

/** Output and gain relays. Bit order everywhere: bal44, bal35, xlr, se63, gain9, gain18. */
export type RelayDrive =
  | { kind: "direct"; pins: [string, string, string, string, string, string] }
  /** A 74HC595 shift register, bit-banged MSB first; bit i drives relay i in the order above. */
  | { kind: "shift595"; data: string; clock: string; latch: string };

export interface Board {
  name: string;
  /** Board id for the Espruino tool (boards/espruino/<id>.json). */
  espruinoBoard: string;
  /** Where the console protocol lives. */
  consoleDevice: "USB" | "Bluetooth";
  /** Control tick period while anything moves or switches (the volume loop's period). */
  tickMs: number;
  /** Control tick period at rest: nothing moving, switching or pending (docs/architecture.md). */
  restTickMs: number;
  /** Watchdog timeout; the main loop kicks it every tick. */
  watchdogS: number;

  pins: {
    motorA: string; // H-bridge input A (PWM): drive towards louder
    motorB: string; // H-bridge input B (PWM): drive towards quieter; both high = brake
    deck5: string; // left monitoring deck wiper (ADC)
    deck6: string; // right monitoring deck wiper (ADC)
    muteRelay: string; // output relay: high = headphones connected
    encA: string;
    encB: string;
    encPush: string;
    ir: string; // IR receiver output, active low
    ocLeft: string; // over-current comparator, active low
    ocRight: string;
    acSense: string; // AC present (digital, high = present)
    railSense: string; // rail monitor (ADC)
    thermistor: string; // heat-sink NTC divider (ADC)
    jackSense: string; // four jack switches on a binary-weighted resistor ladder (ADC)
    ledGreen: string;
    ledRed: string;
  };
  dcSense: DcSense;
  relays: RelayDrive;

  adc: {
    /** Volts at the ADC pin for a reading of 1.0. */
    vref: number;
    /** Leg DC volts per volt at the ADC pin, around the mid-rail bias (vref/2 = 0 V). */
    dcGain: number;
    /** Rail volts per volt at the ADC pin. */
    railGain: number;
    /** NTC to ground, series resistor to vref. */
    ntc: { r25: number; beta: number; rSeries: number };
  };

  relayTiming: { operateMs: number; releaseMs: number; breakGapMs: number; settleMs: number };

  motor: {
    pwmHz: number;
    /** Duty below which the motor does not turn (static friction); the controller starts above it. */
    minDuty: number;
    /** Rest between two direction changes. */
    reverseRestMs: number;
  };

  pot: {
    travelDeg: number;
    /** Nominal full-travel time at full drive, for move timeouts. */
    fullTravelS: number;
  };

  protection: {
    powerOnDelayMs: number;
    dcWindowV: number;
    dcFastV: number;
    railMinV: number;
    thermal: { derateC: number; tripC: number; rearmC: number };
  };

  tracking: { bandDb: number; bandLowDb: number; lowBelowDb: number };

  outputs: {
    /** Level each output puts across the headphone relative to single-ended at the same pot
     *  position (balanced drive: +6 dB). Every cross-output level comparison includes it. */
    offsetDb: { [K in OutputName]: number };
    /** Default cap on the level the listener hears (pot dB + gain + offset), per output. */
    capDb: { [K in OutputName]: number };
    /** Output selected on first boot. */
    defaultOutput: OutputName;
  };

  volume: {
    /** Quietest settable attenuation; below it the pot is at its end stop. */
    minDb: number;
    /** Start-up volume never above this (listener level). */
    startCapDb: number;
    /** Default step per knob detent / remote press. */
    stepDb: number;
    /** Tracking-aware gain staging (switch gain down and the pot up at low levels). */
    gainStaging: boolean;
  };
}

/** What the controller board itself decides. */
export type Wiring = Pick<Board, "name" | "espruinoBoard" | "consoleDevice" | "tickMs" | "restTickMs" | "watchdogS" | "pins" | "dcSense" | "relays" | "adc" | "relayTiming"> & {
  motor: Pick<Board["motor"], "pwmHz">;
  /** The amplifier's volume defaults this controller changes. */
  volume?: Partial<Board["volume"]>;
};

/** What the amplifier decides, whichever controller drives it. */
export type Amplifier = Pick<Board, "pot" | "protection" | "tracking" | "outputs" | "volume"> & {
  motor: Pick<Board["motor"], "minDuty" | "reverseRestMs">;
};

/** A controller's wiring fitted into an amplifier. */
export function fitBoard(wiring: Wiring, amp: Amplifier): Board {
  // (the two sections both decide a part of: merged one level down, the controller's last)
  return { ...wiring, ...amp, motor: { ...amp.motor, ...wiring.motor }, volume: { ...amp.volume, ...wiring.volume } };
}
