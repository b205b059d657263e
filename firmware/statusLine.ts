// The machine-readable status line: "STATUS key=value ...", one space between pairs, no spaces
// inside values, so a host can split it without a parser.
import { AmpState } from "./ampState";
import { fmtDb } from "./console/numbers";
import { FAULT_NAMES } from "./faults";
import { bitNames, MUTE_NAMES } from "./muteReasons";
import { Readings } from "./sensors";
import { SchedulerStats } from "./scheduler";

/** Volts as whole millivolts. */
function mv(v: number): string {
  return (v * 1000).toFixed(0);
}

/** The line for the state (output relay, mute reasons, output, gain, faults, pot level and
 *  target), the readings, the loop's counters, the board's name, the motor's last command and
 *  where the settings came from at boot. */
export function statusLine(s: AmpState, r: Readings, stats: SchedulerStats, board: string, motor: number, cfg: string): string {
  return (
    "STATUS board=" + board +
    " t=" + (r.nowMs / 1000).toFixed(3) +
    " out=" + (s.relayClosed ? "connected" : "open") +
    " mute=" + bitNames(s.muteReasons, MUTE_NAMES) +
    " dim=" + +s.levelMute + // muted to the mute level (the pot turned down, the relay closed)
    " output=" + s.out +
    " gain=" + s.gainDb +
    " faults=" + bitNames(s.faults, FAULT_NAMES) +
    " motor=" + (motor === 2 ? "brake" : motor.toFixed(2)) +
    " deck5=" + r.deck5.toFixed(4) +
    " deck6=" + r.deck6.toFixed(4) +
    " rail=" + r.railV.toFixed(1) +
    " ac=" + +r.acPresent + // 1 or 0
    " heat=" + r.heatC.toFixed(1) +
    " legs_mv=" + r.legV.map(mv).join(",") +
    " jacks=" + r.jacks +
    " ticks=" + stats.ticks +
    " overruns=" + stats.overruns +
    " vol=" + fmtDb(s.actualDb) +
    " target=" + fmtDb(s.targetDb) +
    " track=" + s.trackErrDb.toFixed(1) + // left minus right, dB, as the monitoring decks read it
    " cfg=" + cfg
  );
}
