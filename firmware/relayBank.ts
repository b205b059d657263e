// Output and gain relays, written as one 6-bit word (bit order: bal44, bal35, xlr, se63, gain9,
// gain18), either to direct pins or bit-banged into a 74HC595 (MSB first, latch after 8 bits, so
// bit i lands on output Qi). The mute relay is not here: protection owns it alone.
import { RelayDrive } from "../boards/board";
import { Gpio, PinId } from "../hal/hal";

type DirectRelays = Extract<RelayDrive, { kind: "direct" }>;
type ShiftRelays = Extract<RelayDrive, { kind: "shift595" }>;

export interface RelayBank {
  /** Drives the word (bit order bal44, bal35, xlr, se63, gain9, gain18); nothing when unchanged. */
  drive(bits: number): void;
}

export function startRelayBank(gpio: Gpio, d: RelayDrive): RelayBank {
  const RELAY_COUNT = 6;
  const SHIFT_BITS = 8;
  const direct = typeof AMP_RELAYS_DIRECT === "boolean" ? AMP_RELAYS_DIRECT : d.kind === "direct"; // (folded when built: firmware/buildKinds.d.ts)
  const pins: PinId[] = [];
  let data: PinId, clock: PinId, latch: PinId;
  let current = -1;
  let i: number;

  if (direct) {
    for (i = 0; i < RELAY_COUNT; i++) pins.push(gpio.pin((d as DirectRelays).pins[i]));
  } else {
    const sr = d as ShiftRelays;
    data = gpio.pin(sr.data);
    clock = gpio.pin(sr.clock);
    latch = gpio.pin(sr.latch);
    gpio.write(clock, false);
    gpio.write(latch, false);
  }

  function drive(bits: number) {
    let k: number;
    if (bits === current) return;
    current = bits;
    if (direct) {
      for (k = 0; k < RELAY_COUNT; k++) gpio.write(pins[k], (bits & (1 << k)) !== 0);
      return;
    }
    for (k = SHIFT_BITS - 1; k >= 0; k--) {
      gpio.write(data, (bits & (1 << k)) !== 0);
      gpio.write(clock, true);
      gpio.write(clock, false);
    }
    gpio.write(latch, true);
    gpio.write(latch, false);
  }

  drive(0);
  return { drive: drive };
}
