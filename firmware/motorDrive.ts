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
  const a: PinId = o.gpio.pin(o.pinA);
  const b: PinId = o.gpio.pin(o.pinB);
  let last = NaN;

  function apply(cmd: number) {
    if (cmd === last) return;
    last = cmd;
    if (cmd === BRAKE) {
      o.gpio.write(a, true);
      o.gpio.write(b, true);
    } else if (cmd > 0) {
      o.gpio.pwm(b, 0, o.pwmHz);
      o.gpio.pwm(a, cmd > 1 ? 1 : cmd, o.pwmHz);
    } else if (cmd < 0) {
      o.gpio.pwm(a, 0, o.pwmHz);
      o.gpio.pwm(b, cmd < -1 ? 1 : -cmd, o.pwmHz);
    } else {
      o.gpio.write(a, false);
      o.gpio.write(b, false);
    }
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
