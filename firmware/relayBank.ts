// Output and gain relays, written as one 6-bit word (bit order: bal44, bal35, xlr, se63, gain9,
// gain18), either to direct pins or bit-banged into a 74HC595 (MSB first, latch after 8 bits, so
// bit i lands on output Qi). The mute relay is not here: protection owns it alone.
import { RelayDrive } from "../boards/board";
import { Gpio, PinId } from "../hal/hal";

export const RELAY_COUNT = 6;
const SHIFT_BITS = 8;

export interface RelayBank {
  apply(bits: number): void;
  bits(): number;
}

export function startRelayBank(o: { gpio: Gpio; drive: RelayDrive }): RelayBank {
  const gpio = o.gpio;
  const d = o.drive;
  const pins: PinId[] = [];
  let data: PinId, clock: PinId, latch: PinId;
  let current = -1;
  let i: number;

  if (d.kind === "direct") {
    for (i = 0; i < RELAY_COUNT; i++) pins.push(gpio.pin(d.pins[i]));
  } else {
    data = gpio.pin(d.data);
    clock = gpio.pin(d.clock);
    latch = gpio.pin(d.latch);
    gpio.write(clock, false);
    gpio.write(latch, false);
  }

  function write(bits: number) {
    let k: number;
    if (d.kind === "direct") {
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

  function apply(bits: number) {
    if (bits === current) return;
    current = bits;
    write(bits);
  }

  apply(0);
  return {
    apply: apply,
    bits: function () {
      return current;
    },
  };
}
