// Volume subsystem (issue 3): position sensing from the two monitoring decks, the closed-loop pot
// controller, L/R tracking, calibration. STUB: holds the motor still and reports no position.
import { Board } from "../../boards/board";
import { AmpState } from "../ampState";
import { MotorDrive } from "../motorDrive";
import { Readings } from "../sensors";

export interface VolumeUnit {
  /** Called every tick after sampling; drives the motor. */
  tick(r: Readings): void;
  /** Pot attenuation target, already limited by the caller's rules; returns OK or an ERR_* code. */
  setTargetDb(db: number): number;
  /** Motor off now (fault, AC loss). */
  halt(): void;
}

export function startVolume(o: { board: Board; state: AmpState; motor: MotorDrive }): VolumeUnit {
  return {
    tick: function () {
      o.motor.stop();
    },
    setTargetDb: function (db) {
      o.state.targetDb = db;
      return 0;
    },
    halt: function () {
      o.motor.stop();
    },
  };
}
