// The built bundles on the real Espruino 2v29 interpreter (../shared/espruino), flashed the way
// `npm run flash` flashes them (.bootcde, then load()), on the paced clock at a Pico's cost per
// token, with the amp's hardware modelled in ES5 inside the interpreter (tools/device/hardware.js).
// Here time, memory and language behaviour are the device's, not V8's.
//
// What the firmware does not yet achieve on the device is pinned with `it.failing` (issue 9): each
// such test asserts the target and starts failing the day the target is met, so it must then be
// turned into a plain test.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DeviceRun, interpreterMissing, replies, runOnDevice, Step } from "../../tools/device/runDevice";
import { parseStatus as statusOf } from "../../tools/statusFields";

const missing = interpreterMissing();
if (missing) {
  // A user's own machine may not have shared/; CI always does (.ci/run installs qemu-user).
  console.warn("real-interpreter tests skipped: " + missing);
}
const describeReal = missing ? describe.skip : describe;


function firstStatus(run: DeviceRun) {
  const s = run.usb.find((u) => u.text.startsWith("STATUS "));
  return s ? statusOf(s.text) : undefined;
}

describeReal("Pico bundle on the real interpreter", () => {
  let run: DeviceRun;
  const dcAtMs = 9000;

  beforeAll(() => {
    const script: Step[] = [
      [8000, "line", "vol -30"],
      [8100, "line", "vol -35.5"],
      [8200, "line", "vol 7x"],
      [8300, "line", "set maxvol -3"],
      [dcAtMs, "dc", [2, 1.0]],
      [9500, "mem"],
      [9600, "end"],
    ];
    run = runOnDevice({ board: "pico", script });
  });

  it("boots from .bootcde with no uncaught error and no memory failure", () => {
    expect(run.errors).toEqual([]);
    expect(run.usb.some((u) => u.text.startsWith("BOOT amp-controller"))).toBe(true);
    expect(run.ended).toBe(true);
  });

  it("boots muted: the first status has the output open for the power-on delay", () => {
    const s = firstStatus(run);
    expect(s && s.out).toBe("open");
    expect(s && s.mute).toContain("power-on");
    const close = run.relay.find((r) => r.closed);
    expect(close).toBeDefined();
    expect(close!.ms).toBeGreaterThan(1000);
  });

  it("parses console numbers with the interpreter's own string handling", () => {
    const r = replies(run);
    // (levels below the 3.5 mm jack's -20 dB cap, so the reply is the number asked for)
    expect(r).toContain("ok vol -30");
    expect(r).toContain("ok vol -35.5");
    expect(r).toContain("err 7 bad arguments"); // "vol 7x"
    expect(r).toContain("ok maxvol -3");
  });

  it("opens the output relay on a 1 V DC step on a leg", () => {
    const open = run.relay.find((r) => !r.closed && r.ms >= dcAtMs);
    expect(open).toBeDefined();
  });

  it("opens the output relay within 20 ms of a 1 V DC step right after console moves (a moving tick looks at the DC fast path between its parts; it took ~160)", () => {
    const open = run.relay.find((r) => !r.closed && r.ms >= dcAtMs);
    expect(open!.ms - dcAtMs).toBeLessThanOrEqual(20);
  });

  it("a DC step found between a tick's parts keeps the relay open: the same tick does not close it again on the reasons it had before", () => {
    expect(run.relay.filter((r) => r.closed && r.ms > dcAtMs)).toEqual([]);
  });

  it.failing("uses at most 60 % of the JsVars at rest (issue 9)", () => {
    const m = run.mem[run.mem.length - 1];
    expect(m.used / m.total).toBeLessThanOrEqual(0.6);
  });
});

describeReal("Pico bundle at rest on the real interpreter", () => {
  let run: DeviceRun;
  /** DC steps at rest (nothing moved for seconds), at eleven phases across a full rest period
   *  (FULL_REST_MS: one full tick in it, ~2,000 tokens) and two rest ticks. */
  const dcAtMs = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((i) => 20003.3 + 97.3 * i);
  const latencies: number[] = [];

  beforeAll(() => {
    run = runOnDevice({ board: "pico", script: [[11500, "cpuReset"], [19500, "cpu"], [19500, "mem"], [dcAtMs[0], "dc", [2, 1.0]], [20500, "end"]] }); // (measurements held clear of the DC steps)
    for (const at of dcAtMs) {
      const r = at === dcAtMs[0] ? run : runOnDevice({ board: "pico", script: [[at, "dc", [1, -1.0]], [at + 400, "end"]] });
      const open = r.relay.find((e) => !e.closed && e.ms >= at);
      latencies.push(open ? open.ms - at : Infinity);
    }
  });

  it("opens the output relay on a 1 V DC step within a rest tick's worst (100 ms), at any phase", () => {
    expect(run.errors).toEqual([]);
    for (const l of latencies) expect(l).toBeLessThanOrEqual(100);
  });

  it("opens the output relay within 10 ms of a 1 V DC step at any phase (the full rest tick polls the scan between its parts)", () => {
    console.log("DC latencies at rest, ms: " + latencies.map((l) => l.toFixed(1)).join(" "));
    for (const l of latencies) expect(l).toBeLessThanOrEqual(10);
  });

  it("at rest, ticks only when something is due: a full tick a second, the watchdog's kick every 500 ms (it was ten a second)", () => {
    const tick = run.cpu.find((c) => c.periodMs === 10)!; // the control tick (started at the fast period)
    expect(tick.calls).toBeGreaterThanOrEqual(14); // 8 s: 8 full ticks, a light one between each
    expect(tick.calls).toBeLessThanOrEqual(30);
  });

  it.failing("no periodic callback starts more than one period late at rest (issue 9: the full rest tick, ~2,000 tokens once a second, holds the 5 ms scan's timer off for ~20 ms; its polls stand in for it)", () => {
    for (const c of run.cpu) expect(c.worstLateMs).toBeLessThanOrEqual(c.periodMs === 10 ? 100 : c.periodMs);
  });

  it("uses at most 10 % of the CPU at rest, counting every token the firmware runs (its timeouts and watches too, not only its intervals)", () => {
    const ns = run.cpu.reduce((a, c) => a + c.tokens, 0) * 13086;
    expect(ns / 8e9).toBeLessThanOrEqual(0.1);
    expect(run.cpuAll).toHaveLength(1);
    expect(run.cpuAll[0].windowMs).toBeGreaterThanOrEqual(7990);
    expect(run.cpuAll[0].tokens).toBeGreaterThanOrEqual(run.cpu.reduce((a, c) => a + c.tokens, 0));
    expect((run.cpuAll[0].tokens * 13086) / 1e6 / run.cpuAll[0].windowMs).toBeLessThanOrEqual(0.1);
  });
});

describeReal("settings on the real interpreter survive a reboot", () => {
  it("a setting saved before a power cycle is loaded at the next boot", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "amp-reboot-"));
    const first = runOnDevice({ board: "pico", flashDir: dir, script: [[6000, "line", "set maxvol -7"], [14000, "end"]] });
    expect(replies(first)).toContain("ok maxvol -7");
    const second = runOnDevice({ board: "pico", flashDir: dir, reboot: true, script: [[6000, "line", "get maxvol"], [6500, "end"]] });
    expect(second.errors).toEqual([]);
    const info = second.usb.find((u) => u.text.startsWith("INFO "));
    expect(info && info.text).toContain("settings=");
    expect(info && info.text).not.toContain("settings=defaults");
    expect(info && info.text).toContain("bad=0");
    expect(replies(second)).toContain("ok maxvol -7");
  });
});

describeReal("Pico bundle over a minute of use on the real interpreter", () => {
  it("JsVar use stays steady over 60 s of device time with moves, console commands and saves (grows by at most 20)", () => {
    const script: Step[] = [[14000, "mem"], [15000, "line", "vol -30"], [20000, "line", "status"], [30000, "line", "vol -20"], [40000, "line", "get maxvol"], [50000, "line", "vol -35"], [55000, "line", "faults"], [74000, "mem"], [74010, "end"]];
    const run = runOnDevice({ board: "pico", script });
    expect(run.errors).toEqual([]);
    expect(replies(run).filter((r) => r.startsWith("ok ")).length).toBe(5); // (status answers with a STATUS line)
    expect(run.mem.length).toBe(2);
    expect(run.mem[1].ms - run.mem[0].ms).toBeGreaterThanOrEqual(59990);
    expect(run.mem[1].used - run.mem[0].used).toBeLessThanOrEqual(20);
  }, 120000);
});

describeReal("calibration on the real interpreter (Pico)", () => {
  // the heaviest moment in memory: the sweep's closures and normal equations (~270 JsVars) on
  // top of everything else, for about a minute of device time
  it("runs to done with no memory failure, and the tables it made are stored", () => {
    const run = runOnDevice({ board: "pico", script: [[6000, "line", "cal start"], [6500, "mem"], [80000, "line", "cal status"], [80000, "mem"], [80100, "end"]] });
    expect(run.errors).toEqual([]);
    expect(replies(run)).toContain("ok cal done");
    expect(run.usb.some((u) => u.text === "INFO cal done")).toBe(true);
    expect(run.usb.some((u) => u.text === "INFO cal not stored")).toBe(false);
    for (const m of run.mem) expect(m.total - m.used).toBeGreaterThan(150);
  }, 180000);
});

describeReal("Pico bundle moving on the real interpreter", () => {
  // DC steps while the pot travels (a moving tick is ~6,000 tokens, ~80 ms of a Pico: the DC fast
  // path's own timer cannot run meanwhile), at phases spread over a tick and across the move
  const latencies: number[] = [];
  const reclosed: number[] = [];
  beforeAll(() => {
    for (const at of [14611, 15043, 15088, 15131, 15177, 15219, 16003, 16551]) {
      const run = runOnDevice({ board: "pico", script: [[14000, "line", "vol -45"], [at, "dc", [2, 1.0]], [at + 400, "end"]] });
      const open = run.errors.length ? undefined : run.relay.find((r) => !r.closed && r.ms >= at);
      latencies.push(open ? open.ms - at : Infinity);
      reclosed.push(...run.relay.filter((r) => r.closed && r.ms > at).map((r) => r.ms - at));
    }
    console.log("DC latencies moving, ms: " + latencies.map((l) => l.toFixed(1)).join(" "));
  }, 120000);

  // (runs on a loaded host are not all alike: at one of these phases, under some timings, a step
  // lands in a ~50 ms stretch near the end of the move that is still unpolled; issue 9)
  it("opens the output relay within 20 ms of a 1 V DC step at 7 of 8 moments of a move, and within 60 ms at all (it took 30-170)", () => {
    expect(latencies.filter((l) => l > 20).length).toBeLessThanOrEqual(1);
    for (const l of latencies) expect(l).toBeLessThanOrEqual(60);
  });

  it("the relay a DC step opened stays open (a step found between a tick's parts was undone by that tick's older reasons)", () => {
    expect(reclosed).toEqual([]);
  });

  describe("six moves on the 6.3 mm output, a settings save after each", () => {
    // the nominal 15A pot; each move's level is saved SAVE_DELAY_MS after it (a save was one
    // ~210 ms stretch of JavaScript in which the legs went unread)
    const targets = [-10, -30, -20, -40, -5, -35];
    let moves: DeviceRun;
    beforeAll(() => {
      const script: Step[] = [[2000, "line", "out se63"], [13990, "gap"]];
      targets.forEach((db, i) => {
        script.push([14000 + i * 12000, "line", "vol " + db]);
        script.push([14000 + i * 12000 + 11000, "pos"]);
      });
      script.push([14000 + targets.length * 12000 - 10, "gap"], [14000 + targets.length * 12000, "end"]);
      moves = runOnDevice({ board: "pico", script, jacks: 8 });
    }, 120000);

    it("every move arrives within 0.3 dB or says why: a miss the corrections could not mend is a FAULT line, not a silent stop", () => {
      expect(moves.errors).toEqual([]);
      expect(moves.pos.length).toBe(targets.length);
      targets.forEach((db, i) => {
        const t0 = 14000 + i * 12000;
        const said = moves.usb.some((u) => u.ms > t0 && u.ms < moves.pos[i].ms && u.text.startsWith("FAULT "));
        expect([db, Math.abs(moves.pos[i].db - db) < 0.3 || said]).toEqual([db, true]);
      });
    });

    it("every move above -28 dB arrives within 0.1 dB, at -30/-35 within 0.25, with no fault (the brake is looked at between a tick's parts: its timer cannot fire during one, and ticks ~80 ms long had braked up to 3.7 dB late)", () => {
      // (at -30..-35 dB the settled estimate scatters: a move ends when its error is within the
      // estimate's spread, and whether and which of these two misses 0.1 dB, by up to ~0.16 on a
      // loaded host, changes with the timing; the 0.1 dB goal there is open, issue 9)
      expect(moves.usb.filter((u) => u.text.startsWith("FAULT "))).toEqual([]);
      const errs = targets.map((db, i) => [db, Math.round(Math.abs(moves.pos[i].db - db) * 1000) / 1000]);
      expect(errs.filter(([db, e]) => db >= -28 && e > 0.1)).toEqual([]);
      expect(errs.filter(([db, e]) => db < -28 && db >= -36 && e > 0.25)).toEqual([]);
    });

    it("the legs go unread for at most 30 ms through the moves, their console commands and the settings saves", () => {
      expect(moves.gaps.length).toBe(2);
      expect(moves.gaps[1].maxMs).toBeLessThanOrEqual(30);
    });

    // (the 10 ms DC latency at every moment needs a look at least every ~5 ms: the parts of
    // a moving tick between two looks are still up to ~20 ms of a Pico; a cheaper tick is issue 9's)
    it.failing("the legs are never unread for more than 10 ms while the pot moves (issue 9)", () => {
      expect(moves.gaps[1].over).toBe(0);
    });
  });
});

// the straight two-segment 15A line at both ends of the catalogue's ±20 %: 12 % and 18 % of the
// ratio at half travel (the nominal curve the firmware starts from is neither)
for (const half of [0.12, 0.18]) {
  describeReal(`a pot at ${half * 100} % at half travel, off the nominal taper, on the real interpreter (Pico, issue 13)`, () => {
    const targets = [-10, -30, -20, -40, -5, -35];
    let run: DeviceRun;
    beforeAll(() => {
      const script: Step[] = [[2000, "line", "out se63"], [6000, "line", "cal start"], [88000, "line", "cal status"]];
      targets.forEach((db, i) => {
        script.push([90000 + i * 12000, "line", "vol " + db]);
        script.push([90000 + i * 12000 + 11000, "pos"]);
        script.push([90000 + i * 12000 + 11010, "line", "status"]);
      });
      script.push([90000 + targets.length * 12000, "end"]);
      run = runOnDevice({ board: "pico", script, taperHalf: half, jacks: 8 });
    }, 300000);

    /** The status line that followed each look at the shaft at rest. */
    const statusAfter = (i: number) => {
      const s = run.usb.find((u) => u.ms >= run.pos[i].ms && u.text.startsWith("STATUS "));
      return s ? statusOf(s.text) : ({} as Record<string, string>);
    };

    it("calibrates, and then knows the level wherever the shaft stops to a tenth of a dB", () => {
      expect(run.errors).toEqual([]);
      expect(replies(run)).toContain("ok cal done");
      expect(run.pos.length).toBe(targets.length);
      const believed = run.pos.map((p, i) => +statusAfter(i).vol);
      expect(run.pos.map((p, i) => Math.abs(p.db - believed[i]) < 0.1)).toEqual(targets.map(() => true));
    });

    it("every move afterwards arrives within 0.1 dB (above -40 dB; at -40 within 0.25)", () => {
      // (the paced Pico's tick decides on readings ~70 ms old: its motor commands are timed from
      // their own instant, or a short correction's drive is seen ~5 times too long)
      const errs = targets.map((db, i) => Math.abs(run.pos[i].db - db));
      expect(targets.map((db, i) => errs[i] < (db > -40 ? 0.1 : 0.25))).toEqual(targets.map(() => true));
    });

    it("no move is cut short as if a hand had held the knob: each target stays the one asked for, and no FAULT line", () => {
      // (a model off the pot surprises the loop; only motion the decks read is a hand's)
      expect(run.usb.filter((u) => u.ms > 88000 && u.text.startsWith("FAULT "))).toEqual([]);
      expect(targets.map((db, i) => +statusAfter(i).target)).toEqual(targets);
    });
  });
}

describeReal("MDBT42Q bundle on the Pico's interpreter (its 5,100 JsVars: the code paths, memory aside)", () => {
  // the MDBT42Q's own paths (the DC mux, the Bluetooth console) on the real interpreter, on a board
  // with room for them; the in-ear jack: its -20 dB cap heard is -26 dB on the pot (+6 dB output)
  let run: DeviceRun;
  beforeAll(() => {
    run = runOnDevice({ board: "mdbt42q", interpreter: "pico", jacks: 2, script: [[6000, "line", "vol -20"], [14000, "pos"], [14500, "dc", [1, 1.0]], [15000, "end"]] });
  });

  it("boots with no error, connects once healthy, and a capped request arrives where the reply says", () => {
    expect(run.errors).toEqual([]);
    expect(run.usb.some((u) => u.text.startsWith("BOOT amp-controller") && u.text.includes("board=mdbt42q"))).toBe(true);
    expect(run.relay[0]).toMatchObject({ closed: true });
    const reply = run.usb.find((u) => u.text.startsWith("ok vol"))!;
    expect(reply.text).toBe("ok vol -26");
    expect(Math.abs(run.pos[0].db + 26)).toBeLessThanOrEqual(0.1);
  });

  it("a 1 V DC step read through the mux opens the output relay within 10 ms", () => {
    const open = run.relay.find((r) => !r.closed && r.ms >= 14500)!;
    expect(open.ms - 14500).toBeLessThanOrEqual(10);
  });
});

describeReal("MDBT42Q bundle on the real interpreter", () => {
  it.failing("boots within the module's 2,950 JsVars (issue 9)", () => {
    const run = runOnDevice({ board: "mdbt42q", script: [[3000, "end"]] });
    expect(run.errors).toEqual([]);
    expect(run.usb.some((u) => u.text.startsWith("BOOT amp-controller"))).toBe(true);
  });
});
