// Flash storage that can lose power in the middle of a write (Espruino Storage semantics, one byte
// per string character).
//
// write(name, data): erases the old file first, then appends data's bytes; true when complete.
// Power cut, armed with cutPowerAfterBytes(n): writes go through while they fit in the n bytes left
//   (each one uses up its length). The write that would pass the budget erases the old file, writes
//   its first (remaining) bytes and stops: the file then EXISTS holding exactly those bytes ("" when
//   none were left) - or, with fill "erased", those bytes followed by "\xFF" for each byte never
//   written (Espruino writes the header with the full length first; erased flash reads 0xFF). That
//   write returns false; power is now off: every write and erase after it fails (false / no-op)
//   and changes nothing until powerRestored(), which also disarms the cut. Reads always work: they
//   stand for the next boot.
// Counters: writes counts write() calls that reached the flash (including the cut one);
//   bytesWritten counts bytes actually programmed.
import { SimFlash } from "./types";

export type PowerCutFill = "truncate" | "erased";

/** Erased NOR flash reads as all ones. */
const ERASED_BYTE = "\xff";

export class MemoryFlash implements SimFlash {
  writes = 0;
  bytesWritten = 0;
  private readonly files = new Map<string, string>();
  /** Bytes left before the power cut; -1 = not armed. */
  private budget = -1;
  private powered = true;

  constructor(private readonly fill: PowerCutFill = "truncate") {}

  read(name: string): string | undefined {
    return this.files.get(name);
  }

  write(name: string, data: string): boolean {
    if (!this.powered) return false;
    this.writes++;
    this.files.delete(name);
    if (this.budget >= 0 && data.length > this.budget) {
      const n = this.budget;
      const part = data.slice(0, n);
      this.files.set(name, this.fill === "erased" ? part + ERASED_BYTE.repeat(data.length - n) : part);
      this.bytesWritten += n;
      this.budget = -1;
      this.powered = false;
      return false;
    }
    if (this.budget >= 0) this.budget -= data.length;
    this.files.set(name, data);
    this.bytesWritten += data.length;
    return true;
  }

  erase(name: string): void {
    if (this.powered) this.files.delete(name);
  }

  list(): string[] {
    return Array.from(this.files.keys()).sort();
  }

  cutPowerAfterBytes(afterBytes: number): void {
    this.budget = afterBytes > 0 ? Math.floor(afterBytes) : 0;
  }

  powerRestored(): void {
    this.powered = true;
    this.budget = -1;
  }

  isPowered(): boolean {
    return this.powered;
  }
}

export function createSimFlash(fill: PowerCutFill = "truncate"): MemoryFlash {
  return new MemoryFlash(fill);
}
