// The volume pot on the built bundle in the Espruino emulation, driven through the console the
// way a user or a host would: levels, calibration stored in flash, a hand on the knob, motor and
// deck faults, the tracking check. Everything is judged on the simulated amp's truth.
import { BOARDS } from "../../boards/index";
import { createSimAmp, drawUnit } from "../../hal/sim/amp";
import { bootBundle } from "../../hal/sim/espruinoEmu";
import { nominalDb } from "../../hal/sim/decks";
import { twoSegmentRatio } from "../helpers/tapers";
import { SimAmp } from "../../hal/sim/types";
import { BOARD_NAMES, boot, readBundle, reply as replyOf, Rig, settleMotor, status as statusOf } from "../helpers/device";

const mean = (amp: SimAmp) => {
  const a = amp.audioDb();
  return (a.left + a.right) / 2;
};

// (the helpers with the command's usual 50 ms after it)
const settle = settleMotor;
const reply = (rig: Rig, line: string) => replyOf(rig, line, 50);
const status = (rig: Rig) => statusOf(rig, 50);

function calibrate(rig: Rig): string {
  expect(reply(rig, "cal start")).toMatch(/^ok/);
  let s = "";
  for (let i = 0; i < 150; i++) {
    rig.run(1000);
    s = reply(rig, "cal status");
    if (!/running/.test(s)) break;
  }
  settle(rig);
  return s;
}

/** Single-ended output: no output cap, so the whole pot range is settable. */
function fullRange(rig: Rig): void {
  rig.run(1500);
  expect(reply(rig, "out se63")).toMatch(/^ok/);
  settle(rig);
}

describe.each(BOARD_NAMES)("volume on %s", (board) => {
  it("vol <dB> puts the pot there, and the status line says where it is", () => {
    const rig = boot(board, { seed: 51 });
    fullRange(rig);
    for (const db of [-12, -35, -6]) {
      expect(reply(rig, "vol " + db)).toMatch(/^ok/);
      settle(rig);
      expect(Math.abs(mean(rig.amp) - db)).toBeLessThan(0.5); // uncalibrated: the nominal taper
      const s = status(rig);
      expect(+s.target).toBe(db);
      expect(Math.abs(+s.vol - db)).toBeLessThan(0.3);
      expect(rig.amp.motorDrive()).toBe(0);
    }
  });

  it("calibration from the console: muted while it sweeps, stored in flash, used after a reboot", () => {
    const rig = boot(board, { seed: 52 });
    fullRange(rig);
    rig.command("vol -25");
    settle(rig);
    expect(reply(rig, "cal start")).toMatch(/^ok/);
    rig.run(2000);
    expect(reply(rig, "cal status")).toMatch(/^ok cal running \d+$/);
    expect(reply(rig, "vol -10")).toMatch(/^err 4/); // busy
    let loudest = -Infinity;
    let connectedLoud = false;
    for (let i = 0; i < 150 && /running/.test(reply(rig, "cal status")); i++) {
      for (let k = 0; k < 10; k++) {
        rig.run(100);
        loudest = Math.max(loudest, mean(rig.amp));
        if (mean(rig.amp) > -20 && rig.amp.outputConnected()) connectedLoud = true;
      }
    }
    expect(loudest).toBeGreaterThan(-0.1); // it went all the way up...
    expect(connectedLoud).toBe(false); // ...with the headphones disconnected
    expect(reply(rig, "cal status")).toBe("ok cal done");
    settle(rig);
    expect(Math.abs(mean(rig.amp) + 25)).toBeLessThan(0.15); // back where it was, calibrated
    rig.run(4000); // settings writes the record once power allows
    const again = boot(board, { seed: 52, flash: rig.amp.flash });
    expect(again.dev.output()).toMatch(/cal=(newest|older)/);
    fullRange(again);
    again.command("vol -45");
    settle(again);
    expect(Math.abs(mean(again.amp) + 45)).toBeLessThan(0.2);
  });
});

describe("volume (pico)", () => {
  it("a hand on the knob: the motor never fights it, and its level becomes the target", () => {
    const rig = boot("pico", { seed: 53 });
    fullRange(rig);
    rig.command("vol -30");
    settle(rig);
    rig.amp.handTurn(rig.amp.shaftDeg() + 35, 70);
    rig.run(2000);
    const s = status(rig);
    expect(Math.abs(+s.target - mean(rig.amp))).toBeLessThan(0.6);
    expect(+s.target).toBeGreaterThan(-25);
    // against a move
    rig.command("vol -5");
    rig.run(400);
    rig.amp.handTurn(rig.amp.shaftDeg() - 30, 90);
    let drivenAgainst = 0;
    for (let i = 0; i < 200; i++) {
      rig.run(10);
      if (rig.amp.motorDrive() !== 0 && rig.amp.shaftSpeed() < 0) drivenAgainst++;
    }
    expect(drivenAgainst).toBeLessThan(8);
    settle(rig);
    expect(Math.abs(+status(rig).target - mean(rig.amp))).toBeLessThan(0.6);
    expect(rig.dev.output()).not.toMatch(/FAULT motor/);
  });

  // The pots of this type (the 15A definition: 15 % of the ratio at half travel, ±20 %) run from the
  // nominal curve's steep toe up to the straight two-segment line, ~46 dB louder at the knee.
  /** Monitoring-deck deviations (dB, 201 knots) that make the sim's decks the two-segment line. */
  const twoSegmentDev = (half: number) =>
    Array.from({ length: 201 }, (_, k) => (k === 200 ? 0 : 20 * Math.log10(twoSegmentRatio(Math.max(k, 1) / 200, half)) - nominalDb(Math.max(k, 1) / 200)));
  const quietest = Array.from({ length: 11 }, (_, k) => (k === 10 ? 0 : -1.9)); // nominal, 12 % at half travel

  it.each([
    ["the loudest (two-segment, 18 % at half travel)", twoSegmentDev(0.18)],
    ["a two-segment one at 12 %", twoSegmentDev(0.12)],
    ["the quietest (the nominal curve 20 % down)", quietest],
  ])("any pot of the 15A range calibrates, and then every move arrives: %s", (_, dev) => {
    const rig = boot("pico", { seed: 3, plugged: ["se63"], unit: { deck5Dev: dev as number[], deck6Dev: dev as number[] } });
    fullRange(rig);
    reply(rig, "clear"); // (uncalibrated, a move at boot may have missed on such a pot, and said so)
    const from = rig.dev.output().length;
    expect(calibrate(rig)).toBe("ok cal done");
    for (const db of [-10, -30, -20, -40, -5, -35]) {
      expect(reply(rig, "vol " + db)).toMatch(/^ok/);
      settle(rig);
      rig.run(1500);
      expect(Math.abs(mean(rig.amp) - db)).toBeLessThan(0.15);
    }
    expect(rig.dev.output().slice(from)).not.toMatch(/FAULT /);
  });

  it("a pot outside the 15A range fails calibration by name and keeps the nominal tables", () => {
    const rig = boot("pico", { seed: 3, plugged: ["se63"], unit: { deck5Dev: twoSegmentDev(0.5), deck6Dev: twoSegmentDev(0.5) } });
    fullRange(rig);
    expect(calibrate(rig)).toBe("ok cal failed taper");
    rig.run(4000);
    const again = boot("pico", { seed: 3, flash: rig.amp.flash });
    expect(again.dev.output()).toMatch(/cal=none/);
  });

  it("a pot off the nominal taper, uncalibrated: a move arrives or says why, never silently ends elsewhere", () => {
    // monitoring decks up to 12 dB off the nominal curve at the bottom (inside the ALPS band only
    // at the top): the model's surprise is the model's fault, not a hand's
    const dev = Array.from({ length: 11 }, (_, k) => (k === 10 ? 0 : 12 * Math.pow(1 - k / 10, 2)));
    const rig = boot("pico", { seed: 3, plugged: ["se63"], unit: { deck5Dev: dev, deck6Dev: dev } });
    fullRange(rig);
    let arrived = 0;
    for (const db of [-40, -10, -30, -5, -45, -20]) {
      rig.dev.takeOutput();
      expect(reply(rig, "vol " + db)).toMatch(/^ok/);
      settle(rig);
      rig.run(1500);
      const s = status(rig);
      const said = /FAULT /.test(rig.dev.output());
      if (Math.abs(mean(rig.amp) - db) < 0.6) arrived++;
      else expect(said).toBe(true); // elsewhere: only with a fault line
      if (!said) expect(+s.target).toBe(db); // no fault: the target is still the one asked for
    }
    expect(arrived).toBeGreaterThanOrEqual(2);
  });

  it("a stalled motor: FAULT motor-stall, bridge released; the next request works once it turns", () => {
    const rig = boot("pico", { seed: 54 });
    fullRange(rig);
    rig.command("vol -30");
    settle(rig);
    rig.amp.setMotorStalled(true);
    rig.dev.takeOutput();
    rig.command("vol -10");
    rig.run(1500);
    expect(rig.dev.output()).toMatch(/FAULT motor-stall/);
    expect(rig.amp.motorDrive()).toBe(0);
    rig.amp.setMotorStalled(false);
    expect(reply(rig, "vol -10")).toMatch(/^ok/);
    settle(rig);
    expect(Math.abs(mean(rig.amp) + 10)).toBeLessThan(0.5);
  });

  it("reversed wiring: FAULT motor-reversed, latched: refused until clear", () => {
    const rig = boot("pico", { seed: 55 });
    fullRange(rig);
    rig.command("vol -30");
    settle(rig);
    rig.amp.setMotorReversed(true);
    rig.command("vol -10");
    rig.run(1500);
    expect(rig.dev.output()).toMatch(/FAULT motor-reversed/);
    expect(rig.amp.motorDrive()).toBe(0);
    expect(Math.abs(mean(rig.amp) + 30)).toBeLessThan(1.5);
    expect(reply(rig, "vol -20")).toMatch(/^err 5/);
    rig.amp.setMotorReversed(false);
    rig.command("clear");
    expect(reply(rig, "vol -20")).toMatch(/^ok/);
    settle(rig);
    expect(Math.abs(mean(rig.amp) + 20)).toBeLessThan(0.5);
  });

  it("a deck open, shorted or dirty: named, the amp keeps working on the other deck", () => {
    const first = boot("pico", { seed: 56 });
    fullRange(first);
    expect(calibrate(first)).toBe("ok cal done");
    first.run(4000); // stored
    for (const [deck, fault] of [
      [5, "open"],
      [6, "shorted"],
      [6, "dirty"],
    ] as const) {
      const rig = boot("pico", { seed: 56, flash: first.amp.flash });
      fullRange(rig);
      rig.amp.setDeckFault(deck, fault);
      rig.command("vol -18");
      settle(rig);
      rig.command("vol -32");
      settle(rig);
      expect(rig.dev.output()).toMatch(new RegExp("FAULT deck" + deck + " deck " + deck + " .*running on deck " + (11 - deck)));
      expect(Math.abs(mean(rig.amp) + 32)).toBeLessThan(0.3);
    }
  });

  it("a pot outside its tracking band: FAULT tracking with the error, level and band", () => {
    const board = BOARDS.pico;
    const u = drawUnit(board, 57);
    const amp = createSimAmp(board, { seed: 57, unit: { deck6Dev: u.deck6Dev.map((d, i) => (i === 10 ? 0 : d + 3.2)) } });
    const dev = bootBundle({ board, amp, code: readBundle("pico") });
    const rig: Rig = {
      board,
      amp,
      dev,
      run: (ms) => amp.clock.advance(ms),
      command: (line) => {
        dev.takeOutput();
        dev.send(line + "\r\n");
        amp.clock.advance(50);
        return dev.takeOutput();
      },
    };
    fullRange(rig);
    rig.command("vol -20");
    settle(rig);
    rig.run(3000);
    expect(dev.output()).toMatch(/FAULT tracking L\/R -[\d.]+ dB at -\d+ dB, band 2 dB/);
  });
});
