// MDBT42Q module (nRF52832, 2950 JsVars): Bluetooth UART console. It has only eight analog inputs
// (D2-D5, D28-D31), so the four DC-offset senses share one ADC pin through a 4:1 analog mux
// (74HC4052, select D11/D12); the firmware steps the mux and waits settleMs before reading.
// GPIO is plentiful, so every relay has its own pin.
import BALANCED_HEADPHONE_AMP from "./amps/balancedHeadphoneAmp";
import { fitBoard, Wiring } from "./board";

export const MDBT42Q_WIRING: Wiring = {
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
  motor: { pwmHz: 2000 },
  volume: { gainStaging: false }, // (staging left off on this controller)
};

const MDBT42Q = fitBoard(MDBT42Q_WIRING, BALANCED_HEADPHONE_AMP);

export default MDBT42Q;
