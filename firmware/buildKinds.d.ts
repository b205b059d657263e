// The built board's hardware kinds (and its console, USB or Bluetooth), fixed when a bundle is
// built: rollup.config.js defines them for the board it builds and the minifier folds them, so
// that the code for the other kind (the DC mux or the direct legs, the 74HC595 or the direct
// relays, the other console) is not in that board's bundle. Run from the
// sources (the unit tests) they are not defined: read them only through `typeof X === "boolean"`,
// and let the board's own field decide otherwise.
declare const AMP_DC_DIRECT: boolean;
declare const AMP_RELAYS_DIRECT: boolean;
declare const AMP_CONSOLE_USB: boolean;
