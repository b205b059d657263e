// Outputs subsystem (issue 4): relay sequencing for the four outputs and the gain, jack switches,
// per-output memory and caps, level-matched A/B. STUB: no output selected, relays released.
import { Board, OutputName } from "../../boards/board";
import { AmpState } from "../ampState";
import { RelayBank } from "../relayBank";
import { Readings } from "../sensors";

export interface OutputUnit {
  tick(r: Readings): void;
  select(name: OutputName): number;
  setGainDb(db: number): number;
  toggleAB(): number;
}

export function startOutputs(o: { board: Board; state: AmpState; relays: RelayBank }): OutputUnit {
  return {
    tick: function () {
      o.relays.apply(0);
    },
    select: function () {
      return 6;
    },
    setGainDb: function () {
      return 6;
    },
    toggleAB: function () {
      return 6;
    },
  };
}
