// The machine-readable status line: "STATUS key=value ...", one space between pairs, no spaces
// inside values, so a host can split it without a parser.
import { fmtDb } from "./console/numbers";
import { faultNames } from "./faults";
import { muteReasonNames } from "./muteReasons";
import { Readings } from "./sensors";
import { SchedulerStats } from "./scheduler";

export interface StatusParts {
  board: string;
  connected: boolean;
  reasons: number;
  motor: number;
  r: Readings;
  stats: SchedulerStats;
  /** Selected output, gain relays (dB), FAULT_* bits active or latched. */
  output: string;
  gainDb: number;
  faults: number;
  /** Pot attenuation now and its target, dB; where the settings came from at boot. */
  volDb: number;
  targetDb: number;
  cfg: string;
}

function mv(v: number): string {
  return (v * 1000).toFixed(0);
}

export function statusLine(s: StatusParts): string {
  const r = s.r;
  return (
    "STATUS board=" + s.board +
    " t=" + (r.nowMs / 1000).toFixed(3) +
    " out=" + (s.connected ? "connected" : "open") +
    " mute=" + muteReasonNames(s.reasons) +
    " output=" + s.output +
    " gain=" + s.gainDb +
    " faults=" + faultNames(s.faults) +
    " motor=" + (s.motor === 2 ? "brake" : s.motor.toFixed(2)) +
    " deck5=" + r.deck5.toFixed(4) +
    " deck6=" + r.deck6.toFixed(4) +
    " rail=" + r.railV.toFixed(1) +
    " ac=" + (r.acPresent ? 1 : 0) +
    " heat=" + r.heatC.toFixed(1) +
    " legs_mv=" + mv(r.legV[0]) + "," + mv(r.legV[1]) + "," + mv(r.legV[2]) + "," + mv(r.legV[3]) +
    " jacks=" + r.jacks +
    " ticks=" + s.stats.ticks +
    " overruns=" + s.stats.overruns +
    " vol=" + fmtDb(s.volDb) +
    " target=" + fmtDb(s.targetDb) +
    " cfg=" + s.cfg
  );
}
