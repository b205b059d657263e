// Shared bits for the sim tests: board pins and drive helpers.
import { Board } from "../../boards/board";
import MDBT42Q from "../../boards/mdbt42q";
import PICO from "../../boards/pico";
import { createSimAmp, SimAmpHandle, SimAmpOptions } from "../../hal/sim/amp";

export { PICO, MDBT42Q };

export function amp(opts: SimAmpOptions = {}, board: Board = PICO): SimAmpHandle {
  return createSimAmp(board, opts);
}

/** Drive the H-bridge: + = louder (motorA), - = quieter (motorB), "brake", 0 = coast. */
export function drive(a: SimAmpHandle, board: Board, d: number | "brake"): void {
  const { motorA, motorB } = board.pins;
  if (d === "brake") {
    a.pins.digitalWrite(motorA, true);
    a.pins.digitalWrite(motorB, true);
  } else {
    a.pins.pwm(motorA, d > 0 ? d : 0, board.motor.pwmHz);
    a.pins.pwm(motorB, d < 0 ? -d : 0, board.motor.pwmHz);
  }
}

/** Record every edge of a pin as [timeMs, level]. */
export function recordEdges(a: SimAmpHandle, pin: string): [number, boolean][] {
  const edges: [number, boolean][] = [];
  a.pins.onEdge(pin, (level, t) => edges.push([t, level]));
  return edges;
}
