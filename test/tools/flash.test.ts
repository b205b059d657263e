// `npm run flash`: the dry run writes exactly what an upload would send (the bundle saved as
// .bootcde), and a flash that cannot work (no such port, a tool that does not finish) fails
// loudly with a message that says what went wrong, instead of the Espruino tool's exit code 0.
// Most cases call the tool's flash() in-process (each still runs the real Espruino CLI); one runs
// the command line to pin the exit code and the message format.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import * as vm from "vm";
import { flash, parseFlashArgs } from "../../tools/flash";

const ROOT = path.resolve(__dirname, "../..");

function runFlash(args: string[]): { lines: string[]; error: string } {
  const lines: string[] = [];
  try {
    flash(parseFlashArgs(["--no-build", ...args]), (s) => lines.push(s));
    return { lines, error: "" };
  } catch (e) {
    return { lines, error: (e as Error).message };
  }
}

/** Runs an upload script against a recording Storage: what would end up in each file. */
function replayUpload(upload: string): { [name: string]: string } {
  const files: { [name: string]: string } = {};
  const storage = {
    write: (name: string, data: string, offset?: number, size?: number) => {
      if (offset === undefined || files[name] === undefined) files[name] = size !== undefined ? " ".repeat(size) : "";
      const at = offset || 0;
      files[name] = files[name].slice(0, at) + data + files[name].slice(at + data.length);
      return true;
    },
  };
  vm.runInNewContext(upload, {
    require: (m: string) => {
      if (m !== "Storage") throw new Error("upload requires " + m);
      return storage;
    },
    load: () => undefined,
    E: { setBootCode: () => undefined, reboot: () => undefined },
    reset: () => undefined,
    save: () => undefined,
  });
  return files;
}

describe("flash", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "flash-test-"));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test("dry run writes the upload: the checked bundle, byte for byte, saved as .bootcde", () => {
    const out = path.join(tmp, "upload.js");
    const r = runFlash(["--board", "pico", "--dry-run", "--out", out]);
    expect(r.error).toBe("");
    expect(r.lines.join("\n")).toMatch(/checks passed[\s\S]*dry run: the upload for pico/);
    const upload = fs.readFileSync(out, "utf8");
    expect(upload).toContain('require("Storage").write(".bootcde"');
    const files = replayUpload(upload);
    expect(Object.keys(files)).toEqual([".bootcde"]);
    const bundle = fs.readFileSync(path.join(ROOT, "dist/pico/firmware.js"), "utf8");
    expect(files[".bootcde"].trim()).toBe(bundle.trim());
  });

  test("dry run without --out, or no port at all, is refused before anything runs", () => {
    expect(() => parseFlashArgs(["--board", "pico", "--dry-run"])).toThrow(/--dry-run needs --out FILE/);
    expect(() => parseFlashArgs(["--board", "pico"])).toThrow(/--port PORT is required/);
    expect(() => parseFlashArgs(["--board", "uno", "--port", "/dev/x"])).toThrow(/unknown board uno/);
  });

  test("--help gives the usage; a dry run into a folder that does not exist is one clear line", () => {
    expect(parseFlashArgs(["--help"]).help).toBe(true);
    expect(() => parseFlashArgs(["--bogus"])).toThrow(/unknown argument --bogus\nusage: npm run flash/);
    expect(() => parseFlashArgs(["--dry-run", "--out", path.join(tmp, "no-such-folder", "u.js")])).toThrow(/the folder .*no-such-folder does not exist/);
  });

  test("a port that does not exist: the message names the port and says it cannot connect", () => {
    for (const port of [path.join(tmp, "ttyNOPE"), "ttyNOT-A-PORT"]) {
      const r = runFlash(["--board", "pico", "--port", port, "--timeout", "30"]);
      const first = r.error.split("\n")[0];
      expect(first).toContain(port);
      expect(first).toMatch(/cannot connect/i);
    }
  });

  test("a tool that does not finish in time is stopped and the timeout named", async () => {
    // A local port that accepts connections and never answers; the timeout is far shorter than
    // the tool needs to start, so the run is cut off whatever the tool would have done.
    const server = net.createServer(() => undefined);
    await new Promise<void>((res) => server.listen(0, "127.0.0.1", () => res()));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const r = runFlash(["--board", "pico", "--port", `tcp://127.0.0.1:${port}`, "--timeout", "0.3"]);
      expect(r.error.split("\n")[0]).toMatch(/did not finish within 0\.3 s/);
    } finally {
      server.close();
    }
  });

  test("from the command line, a failed flash exits non-zero with one clear first line", () => {
    const port = path.join(tmp, "ttyGONE");
    const r = spawnSync(process.execPath, [path.join(ROOT, "tools/ts.js"), path.join(ROOT, "tools/flash.ts"), "--no-build", "--board", "pico", "--port", port], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    expect((r.stderr || "").split("\n")[0]).toMatch(new RegExp("^flash: cannot connect to " + port.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  });
});
