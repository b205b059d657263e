// The machine-readable status line: "STATUS key=value ...", one space between pairs, no spaces
// inside values, so a host can split it without a parser.
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
    " motor=" + (s.motor === 2 ? "brake" : s.motor.toFixed(2)) +
    " deck5=" + r.deck5.toFixed(4) +
    " deck6=" + r.deck6.toFixed(4) +
    " rail=" + r.railV.toFixed(1) +
    " ac=" + (r.acPresent ? 1 : 0) +
    " heat=" + r.heatC.toFixed(1) +
    " legs_mv=" + mv(r.legV[0]) + "," + mv(r.legV[1]) + "," + mv(r.legV[2]) + "," + mv(r.legV[3]) +
    " jacks=" + r.jacks +
    " ticks=" + s.stats.ticks +
    " overruns=" + s.stats.overruns
  );
}
