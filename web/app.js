// The amp's control page: speaks the console protocol (docs/console-and-settings.md) over a
// WebSocket to the simulated amp (npm start -- --web), Web Serial to the Pico's USB console, or
// Web Bluetooth (Nordic UART service) to the MDBT42Q. Everything shown comes from the firmware's
// own replies: the STATUS line, the `faults` report, and the ok/err answers to what was sent.
"use strict";

const NUS_SERVICE = "6e400001-b5a3-f393-e0a9-e50e24dcca9e";
const NUS_RX = "6e400002-b5a3-f393-e0a9-e50e24dcca9e"; // the amp reads what we write here
const NUS_TX = "6e400003-b5a3-f393-e0a9-e50e24dcca9e"; // and notifies what it prints here
const BLE_CHUNK = 20; // bytes per write (the smallest MTU)
const STATUS_EVERY_MS = 500;
const FAULTS_EVERY_MS = 2000;
const OUTPUTS = ["bal44", "bal35", "xlr", "se63"];
const CONSOLE_KEEP = 200;

const $ = (id) => document.getElementById(id);
let transport = null;
let boards = {};
let board = null; // { offsetDb, capDb } of the connected amp's board
let status = {};
let stagedNote = "";
const consoleLines = [];

/** Splits a byte or text stream into lines. */
function lineSplitter(onLine) {
  let held = "";
  return (text) => {
    held += text;
    const parts = held.split(/\r?\n/);
    held = parts.pop();
    for (const p of parts) if (p) onLine(p);
  };
}

function wsTransport(url) {
  const ws = new WebSocket(url);
  const t = {
    kind: "sim",
    send: (line) => ws.readyState === 1 && ws.send(JSON.stringify({ line })),
    sim: (action) => ws.readyState === 1 && ws.send(JSON.stringify({ sim: action })),
    close: () => ws.close(),
  };
  return new Promise((resolve, reject) => {
    ws.onopen = () => resolve(t);
    ws.onerror = () => reject(new Error("cannot reach " + url));
    ws.onclose = () => disconnected("the simulated amp went away");
    ws.onmessage = (ev) => {
      const m = JSON.parse(ev.data);
      if (m.line) onLine(m.line);
      else if (m.hello) board = { offsetDb: m.hello.offsetDb, capDb: m.hello.capDb };
      else if (m.simErr) $("sim-err").textContent = m.simErr;
    };
  });
}

async function serialTransport() {
  if (!navigator.serial) throw new Error("this browser has no Web Serial (Chrome or Edge on a desktop has it)");
  const port = await navigator.serial.requestPort();
  await port.open({ baudRate: 115200 });
  const encoder = new TextEncoder();
  const writer = port.writable.getWriter();
  const split = lineSplitter(onLine);
  (async () => {
    const decoder = new TextDecoderStream();
    port.readable.pipeTo(decoder.writable).catch(() => {});
    const reader = decoder.readable.getReader();
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ done: true }));
      if (done) break;
      split(value);
    }
    disconnected("the USB console closed");
  })();
  return { kind: "serial", send: (line) => writer.write(encoder.encode(line + "\r\n")), close: () => port.close() };
}

async function bleTransport() {
  if (!navigator.bluetooth) throw new Error("this browser has no Web Bluetooth (Chrome on a desktop or Android has it)");
  const device = await navigator.bluetooth.requestDevice({ filters: [{ services: [NUS_SERVICE] }, { namePrefix: "MDBT42Q" }, { namePrefix: "Espruino" }], optionalServices: [NUS_SERVICE] });
  const server = await device.gatt.connect();
  const service = await server.getPrimaryService(NUS_SERVICE);
  const rx = await service.getCharacteristic(NUS_RX);
  const tx = await service.getCharacteristic(NUS_TX);
  const decoder = new TextDecoder();
  const split = lineSplitter(onLine);
  tx.addEventListener("characteristicvaluechanged", (ev) => split(decoder.decode(ev.target.value, { stream: true })));
  await tx.startNotifications();
  device.addEventListener("gattserverdisconnected", () => disconnected("Bluetooth disconnected"));
  const encoder = new TextEncoder();
  let queue = Promise.resolve();
  const send = (line) => {
    const bytes = encoder.encode(line + "\r\n");
    for (let i = 0; i < bytes.length; i += BLE_CHUNK) {
      const chunk = bytes.slice(i, i + BLE_CHUNK);
      queue = queue.then(() => rx.writeValue(chunk)).catch(() => {});
    }
  };
  return { kind: "ble", send, close: () => device.gatt.disconnect() };
}

async function connect(make, label) {
  if (transport) transport.close();
  transport = null;
  setConn("connecting to " + label + " ...");
  try {
    transport = await make();
  } catch (e) {
    setConn(e.message || String(e), true);
    return;
  }
  setConn("connected: " + label);
  $("sim").hidden = transport.kind !== "sim";
  send("status");
  send("faults");
}

function disconnected(why) {
  transport = null;
  setConn(why, true);
}

function setConn(text, bad) {
  $("conn").textContent = text;
  $("conn").className = bad ? "bad" : "dim";
}

function send(line) {
  if (!transport) return;
  transport.send(line);
}

function command(line) {
  $("reply").textContent = "> " + line;
  send(line);
}

// ---- what the firmware says ----

function onLine(line) {
  consoleLines.push(line);
  if (consoleLines.length > CONSOLE_KEEP) consoleLines.splice(0, consoleLines.length - CONSOLE_KEEP);
  if (!line.startsWith("STATUS ") && !line.startsWith("ok faults=")) {
    // (the page's own polls - status, faults - are shown in the panel, not here)
    const pre = $("console");
    pre.textContent = consoleLines.filter((l) => !l.startsWith("STATUS ") && !l.startsWith("ok faults=")).join("\n");
    pre.scrollTop = pre.scrollHeight;
  }
  if (line.startsWith("STATUS ")) return onStatus(line);
  if (line.startsWith("ok faults=")) return onFaults(line);
  if (/^(ok|err)\b/.test(line)) {
    $("reply").textContent = line;
    $("reply").className = "reply" + (line.startsWith("err") ? " bad" : "");
    const staged = /^ok gain (\d+) staged (\d+)/.exec(line);
    if (staged) stagedNote = " (gain staging: +" + staged[2] + " dB once the level is up)";
    else if (/^ok gain \d+$/.test(line)) stagedNote = "";
  }
}

function parseFields(line) {
  const out = {};
  for (const part of line.split(" ").slice(1)) {
    const eq = part.indexOf("=");
    if (eq > 0) out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}

function fmt(db) {
  return isFinite(db) ? (db > 0 ? "+" : "") + db.toFixed(1) : "--";
}

function onStatus(line) {
  status = parseFields(line);
  if (!board && boards[status.board]) board = boards[status.board];
  const vol = parseFloat(status.vol);
  const gain = parseFloat(status.gain);
  const off = board ? board.offsetDb[status.output] || 0 : 0;
  $("level").textContent = fmt(vol + gain + off);
  const relay = $("relay");
  relay.textContent = status.out === "connected" ? "playing" : "open";
  relay.className = "relay " + (status.out === "connected" ? "connected" : "open");
  $("output").textContent = status.output || "--";
  $("vol").textContent = status.vol;
  $("target").textContent = status.target;
  $("gain").textContent = "+" + status.gain + " dB" + stagedNote;
  const tr = parseFloat(status.track);
  $("tracking").textContent = isFinite(tr) ? "L−R " + fmt(tr) + " dB" + (/tracking/.test(status.faults || "") ? " (outside the band)" : "") : "--";
  const jm = parseInt(status.jacks, 10);
  $("jacks").textContent = OUTPUTS.filter((o, i) => jm & (1 << i)).join(", ") || "none";
  $("mute").textContent = (status.mute || "--") + (status.dim === "1" ? " (dimmed to the mute level)" : "");
  $("faults").textContent = status.faults || "--";
  $("faults").className = status.faults && status.faults !== "none" ? "fault" : "";
  for (const b of document.querySelectorAll("button.out")) b.classList.toggle("active", b.dataset.out === status.output);
  for (const b of document.querySelectorAll("button.gain")) b.classList.toggle("active", b.dataset.gain === status.gain);
  $("mute-btn").textContent = /user/.test(status.mute || "") || status.dim === "1" ? "Unmute" : "Mute";
  const rows = OUTPUTS.map((o, i) => {
    const heard = vol + gain + (board ? board.offsetDb[o] : 0);
    const cap = board ? board.capDb[o] : NaN;
    const live = o === status.output;
    return "<tr" + (live ? ' class="live"' : "") + "><td>" + o + (jm & (1 << i) ? " (plugged)" : "") + "</td><td>" + fmt(heard) + " dB</td><td>" + fmt(cap) + " dB</td></tr>";
  });
  document.querySelector("#levels tbody").innerHTML = rows.join("");
}

function onFaults(line) {
  const log = / log=(.*)$/.exec(line);
  $("faultlog").textContent = log ? log[1].split(" ").join("\n") : "--";
}

// ---- controls ----

function wire() {
  $("connect-sim").onclick = () => connect(() => wsTransport((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws"), "the simulated amp");
  $("connect-serial").onclick = () => connect(serialTransport, "USB");
  $("connect-ble").onclick = () => connect(bleTransport, "Bluetooth");
  $("vol-set").onclick = () => command("vol " + Number($("vol-input").value));
  $("vol-input").onkeydown = (e) => e.key === "Enter" && $("vol-set").onclick();
  $("vol-up").onclick = () => command("vol up 1");
  $("vol-down").onclick = () => command("vol down 1");
  $("mute-btn").onclick = () => command($("mute-btn").textContent === "Mute" ? "mute on" : "mute off");
  for (const b of document.querySelectorAll("button.out")) b.onclick = () => command("out " + b.dataset.out);
  for (const b of document.querySelectorAll("button.gain")) b.onclick = () => command("gain " + b.dataset.gain);
  $("ab").onclick = () => command("ab");
  $("clear").onclick = () => command("clear");
  $("unlock").onclick = () => command("unlock " + $("password").value);
  for (const b of document.querySelectorAll("button.plug")) {
    b.onclick = () => {
      const plugged = parseInt(status.jacks, 10) & (1 << OUTPUTS.indexOf(b.dataset.out));
      transport && transport.sim && transport.sim((plugged ? "unplug " : "plug ") + b.dataset.out);
    };
  }
  for (const b of document.querySelectorAll("#sim button[data-sim]")) b.onclick = () => transport && transport.sim && transport.sim(b.dataset.sim);
  setInterval(() => send("status"), STATUS_EVERY_MS);
  setInterval(() => send("faults"), FAULTS_EVERY_MS);
}

fetch("boards.json")
  .then((r) => (r.ok ? r.json() : {}))
  .catch(() => ({}))
  .then((b) => {
    boards = b;
  });
wire();
if (new URLSearchParams(location.search).has("sim")) $("connect-sim").onclick();
