// The amplifier's hardware for the real Espruino interpreter, in ES5, installed as `.boot0` so it is
// there when the flashed `.bootcde` boots (load() clears everything else). Every function the
// firmware calls in place of a native one is held out of the paced CPU count (E.paceHoldFn), so
// the budget measures the firmware alone. The host fills in HW_CFG (pin roles from the board file)
// and HW_SCRIPT (timed actions) before this text.
//
// Model: a shaft at x (0..1 of travel) turned by the motor at up to 1/fullTravelS per second with a
// static-friction dead zone and a first-order spin-up; both monitoring decks read the nominal 15A
// taper (or a two-segment one: HW_CFG.taperHalf); DC legs, rail, thermistor, jack ladder and AC sense are set by the script. Relay pins and
// the 74HC595 are decoded; the output relay's edges are printed as "HW relay <0|1> <ms>".
var HW = { x: HW_CFG.startX, v: 0, a: 0, b: 0, t: getTime(), t0: getTime(), legs: [0, 0, 0, 0], ac: 1, jacks: HW_CFG.jacks,
  level: {}, watches: [], sr: 0, latched: 0, mux: 0, relay: 0, usbData: null, usbOut: "", iv: [] };
function hwHold(f) { E.paceHoldFn(f); return f; }
function hwMs() { return Math.round((getTime() - HW.t0) * 1e5) / 100; }
function hwPrint(s) { console.log("HW " + s); }
// Pins are their names (strings): the firmware only passes them back to these stand-ins, and a
// string costs one or two JsVars where an object with a toString costs five (the model's memory
// is counted in the board's JsVars like the firmware's).
(function () {
  var n;
  for (n in HW_CFG.roles) global[n] = n;
})();
// 15A nominal taper (firmware/volume/position.ts): dB = -SLOPE*u - TOE*(u/0.9)^16 above the knee;
// or, with HW_CFG.taperHalf, the straight two-segment 15A line (that share of the ratio at half
// travel, linear in ratio on either side): up to +46 dB louder than nominal at the bottom.
var hwTaper = hwHold(function (x) {
  var h = HW_CFG.taperHalf;
  if (h) return x <= 0 ? 0 : x < 0.5 ? 2 * h * x : x >= 1 ? 1 : h + (1 - h) * 2 * (x - 0.5);
  if (x >= 0.1) { var u = 1 - x, q = u / 0.9; q = q * q; q = q * q; q = q * q; q = q * q;
    return Math.pow(10, (-34.0528 * u - 44.3525 * q) / 20); }
  return x <= 0 ? 0 : Math.pow(10, -75 / 20) * x / 0.1;
});
// Integrate the shaft from HW.t to now: drive = a - b (duty), dead zone, 25 ms spin-up, end stops.
// The DC fast path's looks at the legs (a scan or a poll reads leg 0 first): the longest time
// without one and how many were over HW_GAP_MS, since the last "gap" step.
var HW_GAP_MS = 10;
HW.legT = 0; HW.gapMax = 0; HW.gapsOver = 0;
var hwLegLook = hwHold(function () {
  var now = hwMs(), g = now - HW.legT;
  if (HW.legT) { if (g > HW.gapMax) HW.gapMax = g; if (g > HW_GAP_MS) HW.gapsOver++; }
  HW.legT = now;
});
// While a move is measured (HW.goal, the "move" step) the path is integrated in HW_GOAL_STEP_S
// steps, so that its extreme and the last instant it moved are seen between the firmware's calls.
var HW_GOAL_STEP_S = 0.0005;
/** Below this speed (share of travel per second) the shaft counts as still: the brake's tail. */
var HW_STILL = 0.001;
var hwAdvance = hwHold(function () {
  var now = getTime(), dt = now - HW.t, drive = HW.a - HW.b, target, h, g = HW.goal;
  if (dt <= 0) return;
  target = Math.abs(drive) < HW_CFG.deadZone ? 0 : drive / HW_CFG.fullTravelS;
  if (HW.a > 0.5 && HW.b > 0.5) target = 0; // brake
  while (dt > 0) {
    h = g && dt > HW_GOAL_STEP_S ? HW_GOAL_STEP_S : dt;
    HW.v += (target - HW.v) * (1 - Math.exp(-h / 0.025));
    HW.x += HW.v * h;
    if (HW.x < 0) { HW.x = 0; HW.v = 0; }
    if (HW.x > 1) { HW.x = 1; HW.v = 0; }
    HW.t += h; dt -= h;
    if (g) {
      if (Math.abs(HW.v) > HW_STILL) g.last = HW.t;
      if (HW.x > g.hi) g.hi = HW.x;
      if (HW.x < g.lo) g.lo = HW.x;
    }
  }
  HW.t = now;
});
/** The drive's direction (0: off or braking); a change of sign while a move is measured is a
 *  reversal. A state that lasts under HW_GLITCH_S is one pin written before the other (brake to
 *  off: A low, then B), not a drive. */
var HW_GLITCH_S = 0.001;
var hwDriveSeen = hwHold(function (g) {
  if (g.pend !== 0 && HW.t - g.pendT >= HW_GLITCH_S) { if (g.sign !== 0 && g.pend !== g.sign) g.rev++; g.sign = g.pend; }
});
var hwDriveSign = hwHold(function () {
  var d = HW.a - HW.b, s = HW.a > 0.5 && HW.b > 0.5 ? 0 : d > 0 ? 1 : d < 0 ? -1 : 0, g = HW.goal;
  if (g) { hwDriveSeen(g); g.pend = s; g.pendT = HW.t; }
  if (HW_CFG.traceDrive) hwPrint("drive " + HW.a.toFixed(2) + " " + HW.b.toFixed(2) + " " + HW.x.toFixed(5) + " " + hwDb(HW.x).toFixed(3) + " " + HW.v.toFixed(4) + " " + hwMs());
});
/** The level the decks read at x (dB; -Infinity at the bottom stop). */
var hwDb = hwHold(function (x) { return 20 * Math.log(hwTaper(x)) / Math.LN10; });
/** Shaft position (0..1) where the decks read db (the taper is monotonic: bisection). */
var hwXForDb = hwHold(function (db) {
  var lo = 0, hi = 1, i, mid, r = Math.pow(10, db / 20);
  for (i = 0; i < 50; i++) { mid = (lo + hi) / 2; if (hwTaper(mid) < r) lo = mid; else hi = mid; }
  return (lo + hi) / 2;
});
var hwSetPin = hwHold(function (pin, value) {
  var n = String(pin), r = HW_CFG.roles[n], old = HW.level[n] || 0;
  HW.level[n] = value;
  if (r === "motorA" || r === "motorB") { hwAdvance(); if (r === "motorA") HW.a = value; else HW.b = value; hwDriveSign(); }
  else if (r === "muteRelay" && (value > 0.5) !== (HW.relay > 0.5)) { HW.relay = value > 0.5 ? 1 : 0; hwPrint("relay " + HW.relay + " " + hwMs()); }
  else if (r === "srClock" && value > 0.5 && old < 0.5) HW.sr = ((HW.sr << 1) | (HW.level[HW_CFG.srData] > 0.5 ? 1 : 0)) & 255;
  else if (r === "srLatch" && value > 0.5 && old < 0.5) HW.latched = HW.sr;
  else if (r === "mux0" || r === "mux1") HW.mux = (HW.level[HW_CFG.mux0] > 0.5 ? 1 : 0) + (HW.level[HW_CFG.mux1] > 0.5 ? 2 : 0);
});
global.Pin = hwHold(function (n) { return global[String(n)]; });
global.digitalWrite = hwHold(function (pin, v) { hwSetPin(pin, v ? 1 : 0); });
global.analogWrite = hwHold(function (pin, v) { hwSetPin(pin, v); });
global.digitalRead = hwHold(function (pin) {
  var r = HW_CFG.roles[String(pin)];
  if (r === "acSense") return HW.ac;
  if (r === "ocLeft" || r === "ocRight" || r === "encA" || r === "encB" || r === "encPush" || r === "ir") return 1;
  return HW.level[String(pin)] > 0.5 ? 1 : 0;
});
global.analogRead = hwHold(function (pin) {
  var r = HW_CFG.roles[String(pin)];
  if (r === "deck5" || r === "deck6") { hwAdvance(); return hwTaper(HW.x); }
  if (HW.dcAt <= hwMs() && (r === "dcMux" || (r && r.substring(0, 3) === "leg"))) hwDcDue();
  if (r === "dcMux") return 0.5 + HW.legs[HW.mux] / (HW_CFG.dcGain * HW_CFG.vref);
  if (r === "leg0") hwLegLook();
  if (r && r.substring(0, 3) === "leg") return 0.5 + HW.legs[+r.charAt(3)] / (HW_CFG.dcGain * HW_CFG.vref);
  if (r === "railSense") return HW.ac ? HW_CFG.railV / HW_CFG.railGain / HW_CFG.vref : 0;
  if (r === "thermistor") return 0.5; // 25 degC: NTC equals its series resistor
  if (r === "jackSense") return (1 + HW.jacks) / 17;
  return 0;
});
global.pinMode = hwHold(function () {});
global.setWatch = hwHold(function (fn, pin, opts) { HW.watches.push({ fn: fn, pin: String(pin), edge: opts && opts.edge }); return HW.watches.length; });
global.clearWatch = hwHold(function () {});
// The console port. USB is a built-in object that survives load(): its methods are replaced, not
// the object (a new global.USB is not seen by .bootcde); the host build has no Bluetooth at all.
var hwPort = {
  write: hwHold(function (t) {
    var i;
    HW.usbOut += t;
    while ((i = HW.usbOut.indexOf("\n")) >= 0) { console.log("USB " + hwMs() + " " + HW.usbOut.substring(0, i).replace("\r", "")); HW.usbOut = HW.usbOut.substring(i + 1); }
  }),
  on: hwHold(function (ev, fn) { if (ev === "data") HW.usbData = fn; })
};
USB.write = hwPort.write;
USB.on = hwPort.on;
if (typeof Bluetooth === "undefined") global.Bluetooth = hwPort;
else { Bluetooth.write = hwPort.write; Bluetooth.on = hwPort.on; }
E.setConsole = hwHold(function () {});
E.enableWatchdog = hwHold(function () {});
E.kickWatchdog = hwHold(function () {});
// Periodic callbacks: tokens per call and lateness, for the CPU table.
// Lateness is against the period in force (changeInterval sets it, and restarts the wait).
var hwSetInterval = setInterval, hwChangeInterval = changeInterval;
global.setInterval = hwHold(function (fn, ms) {
  var s = { ms: ms, cur: ms, n: 0, tok: 0, max: 0, last: 0, late: 0, id: 0 };
  HW.iv.push(s);
  s.id = hwSetInterval(hwHold(function () {
    var now = getTime(), t;
    if (s.last && (now - s.last) * 1000 > 2 * s.cur && (now - s.last) * 1000 - s.cur > s.late) s.late = (now - s.last) * 1000 - s.cur;
    s.last = now;
    t = E.paceCall(fn, undefined, 1);
    s.n++; s.tok += t; if (t > s.max) s.max = t;
  }), ms);
  return s.id;
});
global.changeInterval = hwHold(function (id, ms) {
  var i;
  for (i = 0; i < HW.iv.length; i++) if (HW.iv[i].id === id) { HW.iv[i].cur = ms; HW.iv[i].last = getTime(); }
  return hwChangeInterval(id, ms);
});
// An edge on a watched pin, as Espruino delivers it: from the main loop, timestamped.
function hwEdge(role, state) {
  var pin = HW_CFG.pinOf[role], i, w;
  for (i = 0; i < HW.watches.length; i++) {
    w = HW.watches[i];
    if (w.pin === pin && (w.edge === "both" || (w.edge === "rising") === !!state)) w.fn({ state: state, time: getTime(), lastTime: getTime() });
  }
}
var HW_ACTIONS = {
  line: function (a) { if (HW.usbData) HW.usbData(a + "\n"); },
  dc: function (a) { hwDcDue(); hwPrint("dc " + a[0] + " " + a[1] + " " + hwMs()); },
  ac: function (a) { HW.ac = a; hwPrint("ac " + a + " " + hwMs()); hwEdge("acSense", a); },
  pos: function () { hwAdvance(); hwPrint("pos " + HW.x.toFixed(5) + " db " + hwDb(HW.x).toFixed(3) + " v " + HW.v.toFixed(4) + " " + hwMs()); },
  // a measured move: the request, sent now, and the shaft's path from here; "moved" reports it
  move: function (db) { hwAdvance(); HW.goal = { db: db, t0: HW.t, x0: HW.x, gx: hwXForDb(db), hi: HW.x, lo: HW.x, last: HW.t, rev: 0, sign: 0, pend: 0, pendT: HW.t }; if (HW.usbData) HW.usbData("vol " + db + "\n"); },
  moved: function () { var g = HW.goal; hwAdvance(); if (!g) return; hwDriveSeen(g); HW.goal = null;
    hwPrint("moved " + g.db + " " + [g.x0, g.gx, g.hi, g.lo, HW.x].map(function (x) { return x.toFixed(6) + " " + hwDb(x).toFixed(4); }).join(" ") + " " + Math.round((g.last - g.t0) * 1e5) / 100 + " " + g.rev + " " + (Math.abs(HW.v) > HW_STILL ? 0 : 1) + " " + hwMs()); },
  gap: function () { hwPrint("gap " + HW.gapMax.toFixed(2) + " " + HW.gapsOver + " " + hwMs()); HW.gapMax = HW.gapsOver = 0; },
  mem: function () { var m = process.memory(); hwPrint("mem " + m.usage + " " + m.total + " " + hwMs()); },
  cpuReset: function () { var i; HW.cpuT0 = hwMs(); HW.tok0 = E.paceTokens(); for (i = 0; i < HW.iv.length; i++) { HW.iv[i].n = 0; HW.iv[i].tok = 0; HW.iv[i].max = 0; HW.iv[i].late = 0; } },
  cpu: function () { var i, s, w = Math.round(hwMs() - (HW.cpuT0 || 0)); for (i = 0; i < HW.iv.length; i++) { s = HW.iv[i]; hwPrint("cpu " + s.ms + " " + s.n + " " + s.tok + " " + s.max + " " + Math.round(s.late * 100) / 100 + " " + w); }
    hwPrint("cpuall " + (E.paceTokens() - HW.tok0) + " " + w); }, // (all the firmware's work: timeouts, watches, console too)
  prof: function (n) { E.paceProfile(n === undefined ? 25 : n, true); },
  end: function () { hwPrint("end " + hwMs()); clearInterval(); clearTimeout(); }
};
// One timer at a time walks the script (a timer and closure per step would cost JsVars). The
// action's own work is the simulation's, not the firmware's, but the firmware callbacks it
// triggers (a console line, an AC edge) run on the paced clock.
var hwStep = 0;
// A DC step is physics, not a callback: it is on the legs from its time on, whenever the busy
// interpreter gets round to the script's timer, and whatever steps before it are still under way
// (a reading taken meanwhile sees it). HW.dcAt: the time of the next one not yet on the legs.
HW.dcNext = 0;
var hwDcDue = hwHold(function () {
  var s;
  for (;;) {
    while (HW.dcNext < HW_SCRIPT.length && HW_SCRIPT[HW.dcNext][1] !== "dc") HW.dcNext++;
    s = HW_SCRIPT[HW.dcNext];
    HW.dcAt = s ? s[0] : 1e15;
    if (!s || hwMs() < s[0]) return;
    HW.legs[s[2][0]] = s[2][1];
    HW.dcNext++;
  }
});
hwDcDue();
function hwNext() {
  var s = HW_SCRIPT[hwStep];
  if (s) setTimeout(function () { hwStep++; HW_ACTIONS[s[1]](s[2]); hwNext(); }, Math.max(0, s[0] - hwMs()));
}
hwNext();
