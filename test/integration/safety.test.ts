// What a hostile or unlucky user does to the built bundle, and what the listener and the
// headphones must not suffer (issue 10): requests and switches in the moments after a hand, ADC
// garbage on a monitoring deck, `clear` into a fault that is still there, error replies that must
// change nothing, replies that must tell what the amp does, limits only the owner may lift.
import { OutputName } from "../../boards/board";
import { BOARD_NAMES, boot, heardDb, reply, Rig, settle, status } from "../helpers/device";

/** The owner's act: the knob's button held pushed at power-on. */
const OWNER = { knobHeldAtPowerOnMs: 1200 };

/** Runs until the motor is off and the shaft still for 300 ms (at least minMs). */
function still(rig: Rig, minMs = 500, limitMs = 30000): void {
  let quiet = 0;
  for (let t = 0; t < limitMs && (t < minMs || quiet < 300); t += 10) {
    rig.run(10);
    quiet = rig.amp.shaftSpeed() === 0 && rig.amp.motorDrive() === 0 ? quiet + 10 : 0;
  }
}

/** Playing on `out` at pot level `db`, everything at rest. */
function playing(board: string, out: OutputName, db: number, plugged: OutputName[] = [out], seed = 5): Rig {
  const rig = boot(board, { seed, plugged });
  rig.run(1500);
  expect(reply(rig, "out " + out)).toMatch(/^ok/);
  settle(rig);
  expect(reply(rig, "vol " + db)).toMatch(/^ok/);
  still(rig, 2000);
  expect(rig.amp.outputConnected()).toBe(true);
  return rig;
}

/** Runs ms, returns the longest stretch (ms) the motor was driven with the shaft not turning. */
function stalledMs(rig: Rig, ms: number): number {
  let run = 0;
  let worst = 0;
  for (let t = 0; t < ms; t += 10) {
    rig.run(10);
    run = rig.amp.motorDrive() !== 0 && rig.amp.shaftSpeed() === 0 ? run + 10 : 0;
    if (run > worst) worst = run;
  }
  return worst;
}

describe.each(BOARD_NAMES)("%s: the moments after a hand", (board) => {
  it("a level asked for while a hand holds the knob is where the pot goes once it lets go", () => {
    const rig = playing(board, "se63", -30);
    rig.amp.handTurn(rig.amp.shaftDeg() + 35, 70);
    rig.run(200); // the hand is turning, and the firmware follows it
    expect(reply(rig, "vol -20")).toBe("ok vol -20");
    still(rig, 1500);
    const a = rig.amp.audioDb();
    expect(Math.abs((a.left + a.right) / 2 + 20)).toBeLessThan(0.6);
    expect(status(rig).target).toBe("-20");
  });

  it.each([0, 300, 800, 1300])("a switch to the in-ear jack %i ms after a hand turned the level up plays at or below its cap", (delay) => {
    const rig = playing(board, "se63", -25, ["se63", "bal35"]);
    rig.amp.handTurn(rig.amp.shaftDeg() + 100, 150);
    rig.run(100);
    while (rig.amp.shaftSpeed() !== 0) rig.run(10);
    expect(heardDb(rig)).toBeGreaterThan(-16); // well above the in-ear cap
    rig.run(delay);
    expect(reply(rig, "out bal35")).toMatch(/^ok/);
    let worst = -Infinity;
    for (let t = 0; t < 8000; t += 10) {
      rig.run(10);
      if (rig.amp.outputConnected() && rig.amp.outputsLive()[0] === "bal35") worst = Math.max(worst, heardDb(rig));
    }
    expect(worst).toBeGreaterThan(-60); // it does play
    expect(worst).toBeLessThanOrEqual(rig.board.outputs.capDb.bal35 + 1);
  });
});

describe.each(BOARD_NAMES)("%s: garbage on a monitoring deck", (board) => {
  it.each([NaN, Infinity, -1, 1.5])("a deck reading %s: a named deck fault, the other deck carries on, the pot still arrives", (value) => {
    const rig = playing(board, "se63", -30);
    rig.dev.takeOutput();
    rig.amp.setAnalogGarbage("deck5", value);
    rig.run(1000);
    expect(rig.dev.output()).toMatch(/FAULT deck5 deck 5 reads garbage \(not a number in 0\.\.1\); running on deck 6/);
    expect(reply(rig, "vol -10")).toMatch(/^ok/);
    expect(stalledMs(rig, 15000)).toBeLessThan(200);
    const a = rig.amp.audioDb();
    expect(Math.abs((a.left + a.right) / 2 + 10)).toBeLessThan(1.5);
    expect(status(rig).vol).not.toBe("none");
    expect(rig.dev.errors).toEqual([]);
  });

  it("a frozen deck (the same reading while the shaft turns): named, left out; the level heard stays near the target", () => {
    const rig = playing(board, "se63", -30);
    rig.dev.takeOutput();
    rig.amp.setAnalogGarbage("deck6", "freeze");
    expect(reply(rig, "vol -10")).toMatch(/^ok/);
    let worst = -Infinity;
    for (let t = 0; t < 15000; t += 10) {
      rig.run(10);
      if (rig.amp.outputConnected()) worst = Math.max(worst, heardDb(rig));
    }
    expect(rig.dev.output()).toMatch(/FAULT deck6 deck 6 is frozen/);
    expect(worst).toBeLessThan(-10 + 1.5);
    expect(status(rig).faults).toContain("deck6");
  });

  it("both decks unreadable from power-on with the shaft left high: where it is is unknown, so the output stays open", () => {
    const rig = boot(board, { seed: 5, startDeg: 270, plugged: ["se63"] });
    rig.amp.setAnalogGarbage("deck5", NaN);
    rig.amp.setAnalogGarbage("deck6", NaN);
    let connected = false;
    for (let t = 0; t < 15000; t += 10) {
      rig.run(10);
      connected = connected || rig.amp.outputConnected();
    }
    expect(heardDb(rig)).toBeGreaterThan(-10); // (the shaft is still up there: nothing moved it)
    expect(connected).toBe(false);
    expect(status(rig).mute).toMatch(/level/);
    expect(rig.dev.output()).toMatch(/no deck readable, motor stopped/);
  });

  it("both decks garbage: the motor stops and stays stopped, a request is refused", () => {
    const rig = playing(board, "se63", -30);
    rig.dev.takeOutput();
    rig.amp.setAnalogGarbage("deck5", NaN);
    rig.amp.setAnalogGarbage("deck6", NaN);
    rig.run(1000);
    expect(rig.dev.output()).toMatch(/no deck readable, motor stopped/);
    expect(reply(rig, "vol -5")).toMatch(/^err 5/);
    expect(stalledMs(rig, 10000)).toBe(0);
    expect(rig.amp.motorDrive()).toBe(0);
  });
});

describe.each(BOARD_NAMES)("%s: clear into a fault that is still there", (board) => {
  it("a short still there: clears back off, the relay closes into it a few times in 20 s, the fault logged once with a count", () => {
    const rig = playing(board, "bal35", -40);
    rig.amp.setShort("left", true);
    rig.run(200);
    expect(rig.amp.outputConnected()).toBe(false);
    const replies: string[] = [];
    let closes = 0;
    let was = false;
    for (let i = 0; i < 200; i++) {
      replies.push(reply(rig, "clear"));
      for (let k = 0; k < 100; k++) {
        rig.run(1);
        const c = rig.amp.outputConnected();
        if (c && !was) closes++;
        was = c;
      }
    }
    expect(closes).toBeGreaterThanOrEqual(1);
    expect(closes).toBeLessThanOrEqual(6);
    expect(replies.filter((r) => r === "err 5 refused by protection").length).toBeGreaterThan(180);
    const log = reply(rig, "faults");
    expect(log).toMatch(/faults=oc-left/);
    expect(log.match(/oc-left@/g)).toHaveLength(1);
    expect(log).toMatch(/oc-left@[\d.]+:1,\d+\*\d+/);
    // the short gone and the hold-off over: one clear plays again
    rig.amp.setShort("left", false);
    rig.run(61000);
    expect(reply(rig, "clear")).toBe("ok");
    rig.run(500);
    expect(rig.amp.outputConnected()).toBe(true);
  });
});

describe.each(BOARD_NAMES)("%s: an err reply changes nothing", (board) => {
  it("clear refused (a DC step still there) leaves a latched over-current latched too", () => {
    const rig = playing(board, "bal35", -40);
    rig.amp.setShort("right", true);
    rig.run(100);
    rig.amp.setShort("right", false);
    rig.amp.setLegDc(1, 1);
    rig.run(200);
    const before = status(rig).faults;
    expect(before).toMatch(/oc-right/);
    expect(before).toMatch(/dc-step/);
    expect(reply(rig, "clear")).toMatch(/^err 5/);
    rig.run(100);
    expect(status(rig).faults).toBe(before);
  });

  it("a level refused during calibration does not end a mute-to-level", () => {
    const rig = playing(board, "se63", -20);
    expect(reply(rig, "set mutelevel -50")).toMatch(/^ok/);
    expect(reply(rig, "mute on")).toBe("ok mute on");
    still(rig, 1000);
    expect(reply(rig, "cal start")).toBe("ok");
    rig.run(200);
    expect(reply(rig, "vol -10")).toMatch(/^err 4/);
    expect(reply(rig, "cal abort")).toBe("ok");
    still(rig, 3000);
    expect(status(rig).target).toBe("-50"); // still turned down to the mute level
    // unmuting brings back the level from before the mute, not the refused one
    expect(reply(rig, "mute off")).toBe("ok mute off");
    still(rig, 1000);
    expect(status(rig).target).toBe("-20");
  });

  it("switching to an empty jack while another holds a plug plays nothing into it", () => {
    const rig = playing(board, "bal35", -40, ["bal35"]);
    expect(reply(rig, "out se63")).toBe("ok out se63");
    rig.run(3000);
    expect(rig.amp.outputConnected()).toBe(false);
    expect(status(rig).mute).toMatch(/no-output/);
    rig.amp.plug("se63", true);
    rig.run(3000);
    expect(rig.amp.outputConnected()).toBe(true);
    expect(rig.amp.outputsLive()).toEqual(["se63"]);
  });
});

describe.each(BOARD_NAMES)("%s: replies tell what the amp does", (board) => {
  it("gain with gain staging holding the relays lower at a low level: the reply names the gain in use", () => {
    const rig = playing(board, "se63", -55);
    expect(reply(rig, "set gainstaging on")).toMatch(/^ok/);
    const r = reply(rig, "gain 18");
    rig.run(3000);
    expect(r).toBe("ok gain " + rig.amp.gainDb() + (rig.amp.gainDb() === 18 ? "" : " staged 18"));
    expect(status(rig).gain).toBe(String(rig.amp.gainDb()));
  });
});

describe.each(BOARD_NAMES)("%s: the same level request twice, with gain staging at work", (board) => {
  it.each(["gain 9", "gain 18"])("after %s chosen at a low level, every vol request means the pot at that gain: the same reply and the same level heard both times", (gain) => {
    const rig = playing(board, "se63", -55);
    expect(reply(rig, "set gainstaging on")).toMatch(/^ok/);
    expect(reply(rig, gain)).toMatch(/ staged /); // (held lower down here)
    still(rig, 2000);
    for (const v of ["vol -30", "vol -60", "vol -45", "vol -20"]) {
      const first = reply(rig, v);
      still(rig, 3000);
      const heard = heardDb(rig);
      const second = reply(rig, v);
      still(rig, 3000);
      expect(second).toBe(first.replace(/ gain \d+$/, "")); // (the first may say the gain it moved)
      expect(Math.abs(heardDb(rig) - heard)).toBeLessThan(0.3);
    }
    // and the level is the pot's at the chosen gain: vol -30 at gain 9 or 18
    reply(rig, "vol -30");
    still(rig, 3000);
    expect(status(rig).gain).toBe(gain.split(" ")[1]);
    expect(status(rig).target).toBe("-30");
  });
});

describe.each(BOARD_NAMES)("%s: the user's gain is followed with gain staging off too", (board) => {
  it("gain 18 with staging on, gain 0 with it off, then on again: vol -30 is the pot at -30 at gain 0, not 18 dB up", () => {
    const rig = playing(board, "se63", -20);
    expect(reply(rig, "set gainstaging on")).toMatch(/^ok/);
    expect(reply(rig, "gain 18")).toBe("ok gain 18");
    still(rig, 2000);
    expect(reply(rig, "set gainstaging off")).toMatch(/^ok/);
    expect(reply(rig, "gain 0")).toBe("ok gain 0");
    still(rig, 2000);
    expect(reply(rig, "set gainstaging on")).toMatch(/^ok/);
    expect(reply(rig, "vol -30")).toBe("ok vol -30");
    still(rig, 3000);
    expect(status(rig).gain).toBe("0");
    expect(heardDb(rig)).toBeLessThan(-30 + 1);
  });
});

describe.each(BOARD_NAMES)("%s: limits only the owner may lift", (board) => {
  it("without the owner's act a cap, the maximum and the start-up cap can be lowered but not raised", () => {
    const rig = playing(board, "bal35", -40);
    expect(reply(rig, "set cap.bal35 24")).toBe("err 10 not allowed");
    expect(reply(rig, "set cap.bal35 -25")).toBe("ok cap.bal35 -25");
    expect(reply(rig, "set maxvol -10")).toBe("ok maxvol -10");
    expect(reply(rig, "set maxvol none")).toBe("err 10 not allowed");
    expect(reply(rig, "set startcap 0")).toBe("err 10 not allowed");
    expect(reply(rig, "get cap.bal35")).toBe("ok cap.bal35 -25");
    expect(reply(rig, "get maxvol")).toBe("ok maxvol -10");
    // and nothing on the console gets the in-ear jack past its cap
    reply(rig, "gain 18");
    reply(rig, "vol 0");
    let worst = -Infinity;
    for (let t = 0; t < 15000; t += 10) {
      rig.run(10);
      if (rig.amp.outputConnected()) worst = Math.max(worst, heardDb(rig));
    }
    expect(worst).toBeLessThanOrEqual(-25 + 1);
  });

  it("the knob's button held pushed at power-on lets the console raise them for a while", () => {
    const rig = boot(board, { seed: 5, plugged: ["bal35"], ...OWNER });
    rig.run(1500);
    expect(reply(rig, "set cap.bal35 -10")).toBe("ok cap.bal35 -10");
    expect(reply(rig, "set maxvol none")).toBe("ok maxvol none");
    expect(status(rig).mute).not.toMatch(/user/); // (the hold at power-on is not a mute press)
    rig.run(120000);
    expect(reply(rig, "set cap.bal35 0")).toBe("err 10 not allowed");
  });
});

describe.each(BOARD_NAMES)("%s: power-on with the heat sink already warm", (board) => {
  it("derating from the start: the output still plays, 6 dB under the start-up level, low in the pot's blind bottom", () => {
    const rig = boot(board, { seed: 1, heatsinkC: 65 });
    rig.run(4000);
    expect(status(rig).faults).toContain("derate");
    expect(rig.amp.outputConnected()).toBe(true);
    expect(heardDb(rig)).toBeLessThanOrEqual(-60 + 1.5); // (the louder channel, low where the gang tracks worst)
  });
});
