// A recording Gpio for unit tests of drivers: every write is logged in order.
import { Edge, EdgeHandler, Gpio, PinId } from "../../hal/hal";

export interface FakeGpio extends Gpio {
  log: string[];
  levels: Record<string, boolean>;
  duties: Record<string, number>;
  analogIn: Record<string, number>;
}

export function fakeGpio(): FakeGpio {
  const g: FakeGpio = {
    log: [],
    levels: {},
    duties: {},
    analogIn: {},
    pin: (name: string) => name,
    write: (pin: PinId, high: boolean) => {
      g.levels[pin as string] = high;
      g.duties[pin as string] = high ? 1 : 0;
      g.log.push(`${pin as string}=${high ? 1 : 0}`);
    },
    read: (pin: PinId) => !!g.levels[pin as string],
    analog: (pin: PinId) => {
      const v = g.analogIn[pin as string];
      if (v === undefined) throw new Error("no analog value for " + String(pin));
      return v;
    },
    pwm: (pin: PinId, duty: number) => {
      g.duties[pin as string] = duty;
      g.log.push(`${pin as string}~${duty}`);
    },
    inputPullUp: () => undefined,
    watch: (_p: PinId, _e: Edge, _f: EdgeHandler) => 0,
    unwatch: () => undefined,
    watchAnalog: () => {
      throw new Error("fakeGpio: no analog watch (use simHal)");
    },
    watchMux: () => {
      throw new Error("fakeGpio: no mux watch (use simHal)");
    },
    watchMotion: () => {
      throw new Error("fakeGpio: no motion watch (use simHal)");
    },
  };
  return g;
}
