// The browser control page's server (npm start -- --web): serves web/ and, at /ws, a WebSocket to a
// simulated amplifier running the built bundle in real time. The page speaks the same console
// protocol over it as over Web Serial or Web Bluetooth to a real amp; the simulation's own actions
// (plug a jack, inject DC, ...) are a second kind of message, the scenario files' action language.
//   page -> server  {"line": "vol -30"}        a console line
//                   {"sim": "plug se63"}       a simulator action (tools/scenario/actions.ts)
//   server -> page  {"line": "ok vol -30"}     every line the firmware prints
//                   {"hello": {...}}           on connect: board name, output offsets and caps
//                   {"simErr": "..."}          a simulator action that did not parse
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import { WebSocket, WebSocketServer } from "ws";
import { Board } from "../../boards/board";
import { BOARDS } from "../../boards/index";
import { applyAction, parseAction } from "../scenario/actions";
import { SimSession } from "../scenario/session";

const ROOT = path.resolve(__dirname, "../..");
const WEB = path.join(ROOT, "web");
/** The simulation advances by wall-clock time in steps of this (ms). */
const FRAME_MS = 20;
/** A frame never advances more than this (a stalled host does not make the amp jump). */
const MAX_STEP_MS = 200;
const TYPES: Record<string, string> = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".png": "image/png" };

export interface WebServer {
  /** The port it listens on (an ephemeral one when started with port 0). */
  port: number;
  session: SimSession;
  close(): Promise<void>;
}

export function startWebServer(o: { board: Board; code: string; seed: number; port: number; host?: string }): Promise<WebServer> {
  const session = new SimSession({ board: o.board, code: o.code, seed: o.seed });
  const clients = new Set<WebSocket>();
  session.onConsoleLine = (line) => {
    if (line.startsWith("> ")) return; // (the session's echo of what was sent)
    const msg = JSON.stringify({ line });
    for (const c of clients) if (c.readyState === WebSocket.OPEN) c.send(msg);
  };
  let last = Date.now();
  const timer = setInterval(() => {
    const now = Date.now();
    session.advance(Math.min(MAX_STEP_MS, now - last));
    last = now;
  }, FRAME_MS);

  const server = http.createServer((req, res) => {
    const url = (req.url || "/").split("?")[0];
    if (url === "/boards.json") {
      // what the page needs to show levels as heard on a real amp too: each board's offsets and caps
      const out: Record<string, unknown> = {};
      for (const [name, b] of Object.entries(BOARDS)) out[name] = { offsetDb: b.outputs.offsetDb, capDb: b.outputs.capDb };
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(out));
      return;
    }
    const rel = url === "/" ? "index.html" : path.normalize(url).replace(/^([/\\])+/, "");
    const file = path.join(WEB, rel);
    if (!file.startsWith(WEB + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found: " + url);
      return;
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream", "cache-control": "no-store" });
    fs.createReadStream(file).pipe(res);
  });
  const wss = new WebSocketServer({ server, path: "/ws" });
  wss.on("connection", (ws) => {
    clients.add(ws);
    ws.send(JSON.stringify({ hello: { board: o.board.name, simulated: true, offsetDb: o.board.outputs.offsetDb, capDb: o.board.outputs.capDb } }));
    ws.on("message", (data) => {
      let m: { line?: unknown; sim?: unknown };
      try {
        m = JSON.parse(String(data));
      } catch {
        return;
      }
      if (typeof m.line === "string" && m.line.length <= 200) session.command(m.line);
      else if (typeof m.sim === "string") {
        try {
          applyAction(session, parseAction(m.sim));
        } catch (e) {
          ws.send(JSON.stringify({ simErr: (e as Error).message }));
        }
      }
    });
    ws.on("close", () => clients.delete(ws));
  });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host ?? "127.0.0.1", () => {
      const addr = server.address();
      resolve({
        port: typeof addr === "object" && addr ? addr.port : o.port,
        session,
        close: () =>
          new Promise<void>((done) => {
            clearInterval(timer);
            for (const c of clients) c.terminate();
            wss.close();
            server.close(() => done());
          }),
      });
    });
  });
}
