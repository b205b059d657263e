// Bundle size and the JsVars the code text would need if loaded into RAM, per board.
import * as fs from "fs";
import * as path from "path";
import { BOARDS } from "../../boards/index";
import { checkBundle, DEFAULT_MAX_BYTES } from "../checkBundle";
import { BenchSection, formatTable } from "./section";

/** Espruino packs about 12 characters of a string into one 13-byte JsVar block (flat strings). */
const CHARS_PER_BLOCK = 12;

export const sizeSection: BenchSection = {
  name: "size",
  async run(ctx) {
    const rows: (string | number)[][] = [["board", "bytes", "budget", "% of budget", "blocks if in RAM", "checks"]];
    const json: Record<string, unknown> = {};
    for (const name of Object.keys(BOARDS)) {
      const file = path.join(ctx.root, "dist", name, "firmware.js");
      const src = fs.readFileSync(file, "utf8");
      const c = checkBundle(src);
      const blocks = Math.ceil(src.length / CHARS_PER_BLOCK);
      rows.push([name, c.bytes, DEFAULT_MAX_BYTES, ((100 * c.bytes) / DEFAULT_MAX_BYTES).toFixed(1), blocks, c.ok ? "ok" : c.problems.length + " problems"]);
      json[name] = { bytes: c.bytes, budgetBytes: DEFAULT_MAX_BYTES, blocksIfInRam: blocks, checksOk: c.ok };
    }
    ctx.progress(1, 1, "sizes");
    return { table: formatTable(rows), json };
  },
};
