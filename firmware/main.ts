// Composition root: wires the HAL to the controllers and runs the control tick. The first thing
// it does is make the amp safe (output relay open, motor off, relays released), whatever state
// the hardware was left in before this boot.
import { Board } from "../boards/board";
import { Hal } from "../hal/hal";
import { startLineAssembler } from "./consoleLines";
import { startMotorDrive } from "./motorDrive";
import { startProtection } from "./protection";
import { startRelayBank } from "./relayBank";
import { startScheduler } from "./scheduler";
import { startSensors } from "./sensors";
import { statusLine } from "./statusLine";

export const FIRMWARE_VERSION = "0.1.0";

export interface AmpOptions {
  /** Developer build: the JavaScript REPL stays on the console. */
  devBuild: boolean;
}

export function startAmp(hal: Hal, board: Board, opts: AmpOptions): void {
  const mutePin = hal.pin(board.pins.muteRelay);
  hal.write(mutePin, false);
  const motor = startMotorDrive({ gpio: hal, pinA: board.pins.motorA, pinB: board.pins.motorB, pwmHz: board.motor.pwmHz });
  const relays = startRelayBank({ gpio: hal, drive: board.relays });
  relays.apply(0);
  const sensors = startSensors({ gpio: hal, board: board });
  const protection = startProtection({ board: board, bootMs: hal.nowMs() });
  let connected = false;
  let reportedReasons = -1;

  function say(line: string) {
    hal.console.write(line + "\r\n");
  }

  const scheduler = startScheduler({
    clock: hal,
    watchdog: hal.watchdog,
    periodMs: board.tickMs,
    watchdogS: board.watchdogS,
    tick: tick,
  });

  function status(): string {
    return statusLine({
      board: board.name,
      connected: connected,
      reasons: protection.reasons(),
      motor: motor.current(),
      r: sensors.readings,
      stats: scheduler,
    });
  }

  function tick(nowMs: number) {
    const r = sensors.sample(nowMs);
    const reasons = protection.update(r);
    const safe = reasons === 0;
    if (safe !== connected) {
      connected = safe;
      hal.write(mutePin, safe);
    }
    if (reasons !== reportedReasons) {
      reportedReasons = reasons;
      say(status());
    }
  }

  const lines = startLineAssembler(function (line) {
    if (line === null) say("err 1 line too long");
    else if (line === "status") say(status());
    else say("err 2 unknown command");
  });
  if (!opts.devBuild) hal.console.detachRepl();
  hal.console.onData(lines.push);
  say("BOOT amp-controller " + FIRMWARE_VERSION + " board=" + board.name + (opts.devBuild ? " dev" : ""));
}
