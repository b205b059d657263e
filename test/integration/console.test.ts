// The console protocol on the built bundle: the same controllers and limits as the knob, strict
// about what it accepts, bounded whatever arrives, and in a production build the only thing that
// answers: JavaScript gets an err and changes nothing. The deliberate unlock gives the REPL back.
import fc from "fast-check";
import { createSimFlash, MemoryFlash } from "../../hal/sim/flash";
import { boot, BOARD_NAMES, lastStatus, parseStatus, Rig } from "../helpers/device";

const READY_MS = 1500;
const USER_KEYS = ["step", "maxvol", "startcap", "mutelevel", "jackselect", "ab", "gainstaging", "cap.bal44", "cap.bal35", "cap.xlr", "cap.se63", "password"];

/** owner: the knob's button held pushed at power-on (the owner's act on the amp). */
function ready(boardName: string, flash: MemoryFlash = createSimFlash(), owner = false): Rig {
  const rig = boot(boardName, { flash, knobHeldAtPowerOnMs: owner ? 1200 : 0 });
  rig.run(READY_MS);
  return rig;
}

/** Everything a console command could have changed, as text: the settings and the status. */
function fingerprint(rig: Rig): string {
  const st = parseStatus(rig.command("status", 0));
  const keys = USER_KEYS.map((k) => rig.command("get " + k, 0).trim());
  return [st.output, st.gain, st.target, /user/.test(st.mute), ...keys].join(" | ");
}

function flashText(flash: MemoryFlash): string {
  return flash.list().map((f) => f + "=" + flash.read(f)).join("\n");
}

describe.each(BOARD_NAMES)("%s console", (boardName) => {
  test("status is the machine-readable status line, with where the settings came from", () => {
    const rig = ready(boardName);
    const reply = rig.command("status");
    expect(reply).toMatch(/^STATUS board=\S+( [a-z_0-9]+=\S+)+\r\n$/);
    expect(parseStatus(reply)).toMatchObject({ board: boardName, cfg: "defaults", output: rig.board.outputs.defaultOutput });
  });

  test("JavaScript on the console of a production build: err, and nothing changes", () => {
    const flash = createSimFlash();
    const rig = ready(boardName, flash);
    rig.run(5000);
    const before = fingerprint(rig);
    const flashBefore = flashText(flash);
    const motor = JSON.stringify(rig.board.pins.motorA);
    const attempts = [
      `digitalWrite(${motor}, 1)`,
      `analogWrite(${motor}, 0.9)`,
      "E.setConsole(USB)",
      'E.setConsole("Bluetooth", {force:true})',
      'require("Storage").erase("amp.s0")',
      "reset()",
      "load()",
      "save()",
      "process.memory()",
      "x=1",
      "vol -10;digitalWrite(B8,1)",
      "\x03",
      "\x10print(1)",
      "1+1",
    ];
    for (const js of attempts) expect(rig.command(js)).toMatch(/^err \d+ [a-z ]+\r\n$/);
    rig.run(500);
    expect(rig.dev.replAttached()).toBe(false);
    expect(rig.dev.errors).toEqual([]);
    expect(rig.amp.motorDrive()).toBe(0);
    expect(fingerprint(rig)).toBe(before);
    expect(flashText(flash)).toBe(flashBefore);
  });

  test("a console request has no back door past the user's maximum or the output cap", () => {
    const rig = ready(boardName);
    const offset = rig.board.outputs.offsetDb[rig.board.outputs.defaultOutput];
    const heard = () => Number(lastStatus(rig.dev).target) + Number(lastStatus(rig.dev).gain) + offset;
    rig.command("set cap.bal35 24");
    rig.command("set maxvol -25");
    expect(rig.command("vol 0")).toMatch(/^ok vol /);
    rig.command("status");
    expect(heard()).toBeLessThanOrEqual(-25 + 1e-9);
    rig.command("vol +30");
    rig.command("status");
    expect(heard()).toBeLessThanOrEqual(-25 + 1e-9);
    rig.command("set maxvol none");
    rig.command("set cap.bal35 -32");
    rig.command("vol 0");
    rig.command("status");
    expect(heard()).toBeLessThanOrEqual(-32 + 1e-9);
  });

  test("with a DC fault active, unmuting from the console does not connect the headphones", () => {
    const rig = ready(boardName);
    expect(rig.amp.outputConnected()).toBe(true);
    rig.amp.setLegDc(1, 1.0);
    rig.run(200);
    expect(rig.command("mute off")).toBe("ok mute off\r\n");
    rig.run(500);
    expect(rig.amp.outputConnected()).toBe(false);
    expect(rig.command("faults")).toMatch(/^ok faults=\S*dc\S* mute=\S*dc/);
  });

  test("a line too long, a flood, a half line: bounded replies, and the console keeps working", () => {
    const rig = ready(boardName);
    expect(rig.command("v".repeat(5000))).toBe("err 1 too long\r\n");
    rig.dev.takeOutput();
    rig.dev.send("status\r\n".repeat(500));
    rig.run(10);
    const flood = rig.dev.takeOutput().split("\r\n").filter(Boolean);
    expect(flood.filter((l) => l.startsWith("STATUS")).length).toBeLessThanOrEqual(21);
    expect(flood.filter((l) => l === "err 13 flood").length).toBe(1);
    rig.run(2000);
    rig.dev.send("vol -2");
    rig.run(15_000);
    expect(rig.command("0")).toBe("err 2 unknown command\r\n"); // the half line was forgotten
    expect(rig.command("vol -33")).toBe("ok vol -33\r\n");
    expect(rig.dev.errors).toEqual([]);
  });

  test("fuzz on the bundle: random and mutated lines never throw, never unlock, and an err changes nothing", () => {
    const rig = ready(boardName);
    const valid = ["vol -30", "vol +2", "mute on", "mute off", "out xlr", "gain 9", "set step 2", "set ab xlr,se63", "get maxvol", "cal status", "faults", "unlock abcdef1"];
    const chars = "abcdefghijklmnopqrstuvwxyz0123456789 +-.,;()\"=\t\x00\x7f\xff";
    const line = fc.oneof(
      fc.tuple(fc.constantFrom(...valid), fc.nat(), fc.constantFrom(...chars), fc.nat(3)).map(([v, at, c, op]) => {
        const i = at % (v.length + 1);
        return op === 0 ? v.slice(0, i) + c + v.slice(i + 1) : op === 1 ? v.slice(0, i) + c + v.slice(i) : op === 2 ? v.slice(0, i) : v + " " + c;
      }),
      fc.array(fc.constantFrom(...chars), { maxLength: 90 }).map((a) => a.join(""))
    );
    let errs = 0;
    fc.assert(
      fc.property(line, (text) => {
        rig.run(1200); // what the last line started has settled; the flood allowance is back
        const before = fingerprint(rig);
        rig.run(800);
        const reply = rig.command(text.replace(/[\r\n]/g, ""), 0);
        for (const l of reply.split("\r\n").filter(Boolean)) expect(l).toMatch(/^(ok( \S+)*|err \d+ [a-z ]+|STATUS .*)$/);
        if (/^err /.test(reply)) {
          errs++;
          expect(fingerprint(rig)).toBe(before);
        }
        expect(rig.dev.replAttached()).toBe(false);
      }),
      { numRuns: 150, seed: 57 }
    );
    expect(errs).toBeGreaterThan(40);
    expect(rig.dev.errors).toEqual([]);
  });
});

describe("deliberate unlock (production build)", () => {
  test("set a password at the bench, unlock: the REPL has the console; a reboot locks it again", () => {
    const flash = createSimFlash();
    const rig = ready("mdbt42q", flash, true);
    expect(rig.command("unlock letmein1")).toBe("err 14 no password\r\n");
    expect(rig.command("set password Bench2024")).toBe("ok\r\n");
    expect(rig.command("get password")).toBe("ok password set\r\n");
    rig.run(4000); // saved with the settings
    expect(rig.command("unlock Bench2024")).toBe("ok unlocked\r\n");
    expect(rig.dev.replAttached()).toBe(true);
    expect(rig.command("1+2")).toBe("=3\r\n");

    rig.dev.powerOff();
    const next = ready("mdbt42q", flash);
    expect(next.dev.replAttached()).toBe(false);
    expect(next.command("1+2")).toMatch(/^err /);
    expect(next.command("unlock Bench2024")).toBe("ok unlocked\r\n");
    expect(next.dev.replAttached()).toBe(true);
  });

  test("on the Bluetooth board the first password needs the owner's act (anyone in range could set it)", () => {
    const rig = ready("mdbt42q");
    expect(rig.command("set password Bench2024")).toBe("err 10 not allowed\r\n");
    expect(rig.command("get password")).toBe("ok password none\r\n");
    // on the USB board, the cable is the physical act
    const pico = ready("pico");
    expect(pico.command("set password Bench2024")).toBe("ok\r\n");
  });

  test("after the first minute, a password can no longer be set from scratch", () => {
    const rig = ready("pico");
    rig.run(60_000);
    expect(rig.command("set password Bench2024")).toBe("err 10 not allowed\r\n");
    expect(rig.command("get password")).toBe("ok password none\r\n");
  });

  test("guessing: five wrong passwords lock every attempt out for a minute", () => {
    const rig = ready("mdbt42q", createSimFlash(), true);
    rig.command("set password Bench2024");
    for (let i = 0; i < 5; i++) expect(rig.command("unlock guess" + i + "xyz")).toBe("err 12 wrong password\r\n");
    expect(rig.command("unlock Bench2024")).toBe("err 11 locked out\r\n");
    rig.run(30_000);
    expect(rig.command("unlock Bench2024")).toBe("err 11 locked out\r\n");
    expect(rig.dev.replAttached()).toBe(false);
    rig.run(31_000);
    expect(rig.command("unlock Bench2024")).toBe("ok unlocked\r\n");
  });
});
