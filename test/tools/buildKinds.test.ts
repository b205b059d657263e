// Each board's bundle carries only its own kind of DC sensing and relay drive: rollup.config.js
// defines the built board's kinds (firmware/buildKinds.d.ts) and the minifier folds them away.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { espruinoMinify } = require("../../tools/espruinoMinify");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { boardKinds } = require("../../rollup.config.js");

const SOURCE = 'export function scan(dc) { if (typeof AMP_DC_DIRECT === "boolean" ? AMP_DC_DIRECT : dc.kind === "direct") directLegs(dc); else muxLegs(dc); }';

async function minified(defs: object): Promise<string> {
  const plugin = espruinoMinify({ mangleProperties: false, defs });
  return (await plugin.renderChunk(SOURCE.replace("export ", "") + "scan(BOARD.dcSense);")).code;
}

describe("a board's hardware kinds fixed at build time", () => {
  it("leaves out the other kind's code once the kind is defined", async () => {
    const direct = await minified({ AMP_DC_DIRECT: true });
    expect(direct).toContain("directLegs");
    expect(direct).not.toContain("muxLegs");
    expect(direct).not.toContain("AMP_DC_DIRECT");
    const mux = await minified({ AMP_DC_DIRECT: false });
    expect(mux).toContain("muxLegs");
    expect(mux).not.toContain("directLegs");
  });

  it("keeps both, decided by the board at run time, where nothing is defined (the sources in the unit tests)", async () => {
    const out = await minified({});
    expect(out).toContain("directLegs");
    expect(out).toContain("muxLegs");
  });

  it("defines each board's kinds from its wiring: the Pico's direct legs, shift register and USB console, the MDBT42Q's mux, direct relays and Bluetooth console", () => {
    expect(boardKinds("pico")).toEqual({ AMP_DC_DIRECT: true, AMP_RELAYS_DIRECT: false, AMP_CONSOLE_USB: true });
    expect(boardKinds("mdbt42q")).toEqual({ AMP_DC_DIRECT: false, AMP_RELAYS_DIRECT: true, AMP_CONSOLE_USB: false });
  });
});
