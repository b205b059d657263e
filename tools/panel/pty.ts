// Runs a terminal program in a pseudo-terminal and reads its screen the way a person would see
// it: keys go in, the bytes that come out are fed to a headless xterm (@xterm/headless), and the
// screen is read back as text. Used by the front panel's tests and by the panel capture
// (tools/panel/capture.ts).
//
// The pty comes from Python's standard pty module (python3 is on every Linux and macOS machine CI
// runs on), else from util-linux `script`. No native Node module: node-pty needs a compiler at
// install time, which `npm ci` on a fresh machine may not have or may not run.
import { ChildProcess, spawn, spawnSync } from "child_process";
import { Terminal } from "@xterm/headless";

/** A pty relay: forks the command on a pty of the given size, copies stdin to it and it to
 *  stdout, exits with the command's exit code. */
const PY_RELAY = `
import os, sys, pty, select, struct, fcntl, termios
rows, cols = int(sys.argv[1]), int(sys.argv[2])
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    os.execvp(sys.argv[3], sys.argv[3:])
def write_all(f, data):
    while data:
        n = os.write(f, data)
        data = data[n:]
stdin_open = True
while True:
    r, _, _ = select.select([fd] + ([0] if stdin_open else []), [], [])
    if fd in r:
        try:
            data = os.read(fd, 65536)
        except OSError:
            data = b""
        if not data:
            break
        write_all(1, data)
    if stdin_open and 0 in r:
        data = os.read(0, 65536)
        if data:
            write_all(fd, data)
        else:
            stdin_open = False
_, status = os.waitpid(pid, 0)
sys.exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))
`;

export type PtyMethod = "python3" | "script";

/** Which pty method works on this machine, or null. */
export function ptyMethod(): PtyMethod | null {
  const py = spawnSync("python3", ["-c", "import pty, termios, fcntl"], { stdio: "ignore" });
  if (py.status === 0) return "python3";
  const sc = spawnSync("script", ["--version"], { encoding: "utf8" });
  if (sc.status === 0 && /util-linux/.test(sc.stdout || "")) return "script";
  return null;
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : "'" + s.replace(/'/g, "'\\''") + "'";
}

/** Key sequences an xterm sends. */
export const KEYS = {
  up: "\x1b[A",
  down: "\x1b[B",
  right: "\x1b[C",
  left: "\x1b[D",
  shiftRight: "\x1b[1;2C",
  shiftLeft: "\x1b[1;2D",
  enter: "\r",
  escape: "\x1b",
  ctrlC: "\x03",
};

export interface PtyOptions {
  cols?: number;
  rows?: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export interface PtySession {
  /** Type: raw bytes (KEYS has the special keys). */
  type(keys: string): void;
  /** The screen now, one string per row (trailing spaces trimmed). */
  screen(): Promise<string[]>;
  /** Polls the screen until pred holds; rejects with the last screen after timeoutMs. */
  waitFor(pred: (screen: string) => boolean, timeoutMs: number, what?: string): Promise<string>;
  /** Everything the program wrote, raw (escape sequences included). */
  raw(): string;
  /** Resolves when the program exits. */
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(): void;
  child: ChildProcess;
}

export function runInPty(cmd: string[], o: PtyOptions = {}): PtySession {
  const cols = o.cols ?? 100;
  const rows = o.rows ?? 32;
  const method = ptyMethod();
  if (!method) throw new Error("no pseudo-terminal available: install python3 (or util-linux script)");
  const env = { ...process.env, ...o.env, TERM: "xterm-256color", COLUMNS: String(cols), LINES: String(rows) };
  const child =
    method === "python3"
      ? spawn("python3", ["-c", PY_RELAY, String(rows), String(cols), ...cmd], { cwd: o.cwd, env, stdio: ["pipe", "pipe", "pipe"] })
      : spawn("script", ["-qfec", `stty rows ${rows} cols ${cols}; exec ${cmd.map(shellQuote).join(" ")}`, "/dev/null"], { cwd: o.cwd, env, stdio: ["pipe", "pipe", "pipe"] });
  const term = new Terminal({ cols, rows, allowProposedApi: true });
  let raw = "";
  let pending = Promise.resolve();
  // Decode as a stream: a multi-byte character may be split across two chunks.
  child.stdout!.setEncoding("utf8");
  child.stdout!.on("data", (s: string) => {
    raw += s;
    pending = pending.then(() => new Promise<void>((res) => term.write(s, res)));
  });
  let errText = "";
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (d: string) => (errText += d));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.on("exit", (code, signal) => res({ code, signal })));

  const screen = async () => {
    await pending;
    const b = term.buffer.active;
    const out: string[] = [];
    for (let i = 0; i < rows; i++) out.push((b.getLine(b.viewportY + i)?.translateToString(true) ?? "").replace(/\s+$/, ""));
    return out;
  };

  return {
    child,
    type: (keys) => {
      child.stdin!.write(keys);
    },
    screen,
    waitFor: async (pred, timeoutMs, what = "the expected screen") => {
      const t0 = Date.now();
      let last = "";
      for (;;) {
        last = (await screen()).join("\n");
        if (pred(last)) return last;
        if (child.exitCode !== null) throw new Error(`the program exited (${child.exitCode}) before ${what}:\n${last}\n${errText}`);
        if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; the screen:\n${last}\n${errText}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    raw: () => raw,
    exited: () => exit,
    kill: () => {
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}
