// The build: npm start builds only when a source changed since the last build (issue 12).
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");
const BUILD = path.join(ROOT, "tools", "build.js");

describe("build --if-stale", () => {
  test("right after a build (npm test builds first) the bundles are up to date and left alone", () => {
    const file = path.join(ROOT, "dist", "pico", "firmware.js");
    const before = fs.statSync(file).mtimeMs;
    const r = spawnSync(process.execPath, [BUILD, "--if-stale", "--board", "pico"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("bundles up to date: pico");
    expect(fs.statSync(file).mtimeMs).toBe(before);
  });
});
