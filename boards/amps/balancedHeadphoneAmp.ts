// The fully balanced headphone amplifier (../shared/DESIGN.md): a six-deck ALPS motor pot (15A
// audio taper), 4.4 mm / 3.5 mm TRRS and 4-pin XLR balanced outputs and a 6.3 mm single-ended one,
// a ±30 V rail. Whichever controller board drives it (boards/*.ts fit their wiring into it).
import { Amplifier } from "../board";

const BALANCED_HEADPHONE_AMP: Amplifier = {
  motor: { minDuty: 0.18, reverseRestMs: 100 },
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
  volume: { minDb: -80, startCapDb: -30, stepDb: 1, gainStaging: true },
};

export default BALANCED_HEADPHONE_AMP;
