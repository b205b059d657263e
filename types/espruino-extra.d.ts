// What @types/espruino lacks or types wrongly (shared/ESPRUINO.md). Used only by hal/espruino.ts.
/// <reference types="espruino" />

declare var Pin: { new (name: string): Pin };
declare function setInterval(fn: () => void, ms: number): number;
declare function setTimeout(fn: () => void, ms: number): number;
declare function changeInterval(id: number, ms: number): void;
declare function require(module: "Storage"): EspruinoStorage;
declare function analogWrite(pin: Pin, value: number, options?: { freq?: number }): void;
declare function pinMode(pin: Pin, mode: "input" | "input_pullup" | "input_pulldown" | "output" | "analog" | "af_output", automatic?: boolean): void;
declare function setWatch(
  fn: (e: { state: boolean; time: number; lastTime: number }) => void,
  pin: Pin,
  options: { repeat?: boolean; edge?: "rising" | "falling" | "both"; debounce?: number }
): number;

interface EspruinoStorage {
  read(name: string): string | undefined;
  write(name: string, data: string): boolean;
  erase(name: string): void;
}

declare namespace E {
  function enableWatchdog(timeoutS: number, isAuto?: boolean): void;
  function variance(values: ArrayLike<number>, mean: number): number;
  function sum(values: ArrayLike<number>): number;
  function setConsole(device: null | string, options?: { force?: boolean }): void;
}
