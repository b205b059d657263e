// H-bridge for the pot motor: input A drives towards louder, B towards quieter, both high brakes,
// both low coasts. Writes only on change, so holding a command costs nothing per tick.
import { Gpio, PinId } from "../hal/hal";

export interface MotorDrive {
  /** -1..1: sign = direction (+ = louder), magnitude = PWM duty. 0 coasts. */
  drive(cmd: number): void;
  brake(): void;
  stop(): void;
  /** Last command: -1..1, or 2 for brake. */
  current(): number;
}

const BRAKE = 2;

export function startMotorDrive(o: { gpio: Gpio; pinA: string; pinB: string; pwmHz: number }): MotorDrive {
  const gpio = o.gpio;
  const a: PinId = gpio.pin(o.pinA);
  const b: PinId = gpio.pin(o.pinB);
  let last = NaN;

  function apply(cmd: number) {
    if (cmd === last) return;
    last = cmd;
    if (cmd === BRAKE || !cmd) {
      // both high brakes, both low coasts
      gpio.write(a, !!cmd);
      gpio.write(b, !!cmd);
      return;
    }
    // the side that drives gets the duty, the other is held low (first, so never both driven)
    const duty = cmd > 0 ? cmd : -cmd;
    gpio.pwm(cmd > 0 ? b : a, 0, o.pwmHz);
    gpio.pwm(cmd > 0 ? a : b, duty > 1 ? 1 : duty, o.pwmHz);
  }

  apply(0);
  return {
    drive: function (cmd) {
      apply(cmd !== cmd ? 0 : cmd); // NaN never reaches the bridge
    },
    brake: function () {
      apply(BRAKE);
    },
    stop: function () {
      apply(0);
    },
    current: function () {
      return last;
    },
  };
}
