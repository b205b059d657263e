// MDBT42Q module (nRF52832, 2950 JsVars): Bluetooth UART console. It has only eight analog inputs
// (D2-D5, D28-D31), so the four DC-offset senses share one ADC pin through a 4:1 analog mux
// (74HC4052, select D11/D12); the firmware steps the mux and waits settleMs before reading.
// GPIO is plentiful, so every relay has its own pin.
import { Board } from "./board";

const MDBT42Q: Board = {
  name: "mdbt42q",
  espruinoBoard: "MDBT42Q",
  consoleDevice: "Bluetooth",
  tickMs: 10,
  restTickMs: 100,
  watchdogS: 2,
  pins: {
    motorA: "D13",
    motorB: "D14",
    deck5: "D2",
    deck6: "D3",
    muteRelay: "D15",
    encA: "D6",
    encB: "D7",
    encPush: "D8",
    ir: "D25",
    ocLeft: "D26",
    ocRight: "D27",
    acSense: "D24",
    railSense: "D5",
    thermistor: "D4",
    jackSense: "D28",
    ledGreen: "D30",
    ledRed: "D31",
  },
  dcSense: { kind: "mux", adc: "D29", select: ["D11", "D12"], settleMs: 0.05 },
  relays: { kind: "direct", pins: ["D16", "D17", "D18", "D19", "D20", "D22"] },
  adc: {
    vref: 3.3,
    dcGain: 2,
    railGain: 11,
    ntc: { r25: 10000, beta: 3950, rSeries: 10000 },
  },
  relayTiming: { operateMs: 3, releaseMs: 3, breakGapMs: 20, settleMs: 100 },
  motor: { pwmHz: 2000, minDuty: 0.18, reverseRestMs: 100 },
  pot: { travelDeg: 300, fullTravelS: 12 },
  protection: {
    powerOnDelayMs: 1000,
    dcWindowV: 0.08,
    dcFastV: 0.5,
    railMinV: 24,
    thermal: { derateC: 60, tripC: 70, rearmC: 45 },
  },
  tracking: { bandDb: 2, bandLowDb: 3, lowBelowDb: -60 },
  outputs: {
    offsetDb: { bal44: 6, bal35: 6, xlr: 6, se63: 0 },
    capDb: { bal44: 0, bal35: -20, xlr: 0, se63: 0 }, // 3.5 mm TRRS also serves in-ear monitors
    defaultOutput: "bal35",
  },
  volume: { minDb: -80, startCapDb: -30, stepDb: 1, gainStaging: false },
};

export default MDBT42Q;
