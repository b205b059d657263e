// Espruino Pico (STM32F401CD, 84 MHz, 5100 JsVars): USB console, nine ADC inputs, so the four
// DC-offset senses each get their own ADC pin. Output and gain relays hang off a 74HC595 (the
// Pico runs out of pins). Watched pins have distinct numbers (STM32 EXTI lines: A0 and B0 clash).
import BALANCED_HEADPHONE_AMP from "./amps/balancedHeadphoneAmp";
import { fitBoard, Wiring } from "./board";

export const PICO_WIRING: Wiring = {
  name: "pico",
  espruinoBoard: "PICO_R1_3",
  consoleDevice: "USB",
  tickMs: 10,
  restTickMs: 100,
  watchdogS: 2,
  pins: {
    motorA: "B8",
    motorB: "B9",
    deck5: "A5",
    deck6: "A6",
    muteRelay: "B6",
    encA: "B3",
    encB: "B4",
    encPush: "B5",
    ir: "B7",
    ocLeft: "A8",
    ocRight: "B10",
    acSense: "B13",
    railSense: "A7",
    thermistor: "A4",
    jackSense: "B1",
    ledGreen: "B12",
    ledRed: "B2",
  },
  dcSense: { kind: "direct", pins: ["A0", "A1", "A2", "A3"] },
  relays: { kind: "shift595", data: "B14", clock: "B15", latch: "A10" },
  adc: {
    vref: 3.3,
    dcGain: 2, // ±3.3 V legs -> 0..3.3 V through a 2:1 divider biased at mid-rail
    railGain: 11, // 30 V rail -> 2.7 V
    ntc: { r25: 10000, beta: 3950, rSeries: 10000 },
  },
  relayTiming: { operateMs: 4, releaseMs: 4, breakGapMs: 20, settleMs: 100 },
  motor: { pwmHz: 2000 },
};

const PICO = fitBoard(PICO_WIRING, BALANCED_HEADPHONE_AMP);

export default PICO;
