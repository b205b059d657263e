// The protection supervisor: sole owner of the output (mute) relay. Pure logic: it takes the
// readings and the time and returns the set of mute reasons; the shell drives the relay from it.
// Boot state is every reason that needs proof of safety (power-on), so the relay starts open.
import { Board } from "../boards/board";
import { Readings } from "./sensors";
import { MUTE_DC, MUTE_POWER_ON, MUTE_RAIL } from "./muteReasons";

export interface Protection {
  /** Reasons raised by the supervisor itself (power-on, rail, dc, ...). */
  update(r: Readings): number;
  reasons(): number;
}

export function startProtection(o: { board: Board; bootMs: number }): Protection {
  const p = o.board.protection;
  let reasons = MUTE_POWER_ON;
  let stableSinceMs = -1;

  function legsInWindow(r: Readings): boolean {
    for (let i = 0; i < 4; i++) if (!(r.legV[i] <= p.dcWindowV && r.legV[i] >= -p.dcWindowV)) return false;
    return true;
  }

  function update(r: Readings): number {
    const railOk = r.acPresent && r.railV >= p.railMinV;
    const dcOk = legsInWindow(r);
    reasons = (reasons & MUTE_POWER_ON) | (railOk ? 0 : MUTE_RAIL) | (dcOk ? 0 : MUTE_DC);
    if (!railOk) stableSinceMs = -1;
    else if (stableSinceMs < 0) stableSinceMs = r.nowMs;
    // Power-on: rails present and stable for the delay, counted from boot and from the rails.
    if (reasons & MUTE_POWER_ON && railOk && dcOk && r.nowMs - o.bootMs >= p.powerOnDelayMs && r.nowMs - stableSinceMs >= p.powerOnDelayMs) {
      reasons &= ~MUTE_POWER_ON;
    }
    return reasons;
  }

  return {
    update: update,
    reasons: function () {
      return reasons;
    },
  };
}
