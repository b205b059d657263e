// The protection supervisor on the built bundle in the Espruino emulation: faults made in the
// simulated amp (DC on a leg, shorts, a single-ended plug in a TRRS jack, heat, mains loss) and
// what the headphones would see (the output relay contact), the console and the fault log.
import { Board, OutputName } from "../../boards/board";
import { BOARDS } from "../../boards/index";
import { FAULT_LOG_FILE } from "../../firmware/faultLog";
import { FULL_REST_MS } from "../../firmware/main";
import { BOARD_NAMES, boot, lastStatus, Rig, settle, status } from "../helpers/device";

/** Advance in 0.05 ms steps until the output relay's contact is open; returns the time taken. */
function msUntilOpen(rig: Rig, limitMs: number): number {
  const t0 = rig.amp.clock.nowMs();
  while (rig.amp.outputConnected()) {
    if (rig.amp.clock.nowMs() - t0 > limitMs) return Infinity;
    rig.run(0.05);
  }
  return rig.amp.clock.nowMs() - t0;
}



function ready(boardName: string, output: OutputName = "bal35", seed = 5): Rig {
  const rig = boot(boardName, { seed });
  rig.amp.plug(output, true);
  rig.run(1600);
  expect(rig.amp.outputConnected()).toBe(true);
  return rig;
}


describe.each(BOARD_NAMES)("%s protection", (boardName) => {
  const board = BOARDS[boardName];

  test("a 1 V step on each leg opens the output within 10 ms, at any tick phase", () => {
    for (let leg = 0; leg < 4; leg++) {
      for (const phase of [0, 2.5, 5, 7.5, 9.9]) {
        const rig = ready(boardName, "bal35", 10 + leg);
        rig.run(phase);
        rig.amp.setLegDc(leg as 0 | 1 | 2 | 3, leg % 2 ? -1 : 1);
        expect(msUntilOpen(rig, 50)).toBeLessThanOrEqual(10);
      }
    }
  });

  test("a DC step latches: removing it does not reconnect; clear does once the legs are clean", () => {
    const rig = ready(boardName);
    rig.amp.setLegDc(2, 0.8);
    rig.run(100);
    expect(status(rig)).toMatchObject({ out: "open", mute: "dc" });
    expect(status(rig).faults).toContain("dc-step");
    rig.amp.setLegDc(2, 0);
    rig.run(5000);
    expect(rig.amp.outputConnected()).toBe(false);
    expect(status(rig).faults).toBe("dc-step");
    expect(rig.command("clear")).toMatch(/^ok/);
    rig.run(300);
    expect(rig.amp.outputConnected()).toBe(true);
    expect(status(rig).faults).toBe("none");
  });

  test("clear is refused while the DC is still there", () => {
    const rig = ready(boardName);
    rig.amp.setLegDc(0, 1);
    rig.run(100);
    expect(rig.command("clear")).toMatch(/^err 5/);
    rig.run(1000);
    expect(rig.amp.outputConnected()).toBe(false);
  });

  test("slow DC creep beyond ±80 mV (filtered) opens the output; it reconnects by itself once gone", () => {
    const rig = ready(boardName);
    rig.amp.setLegDc(3, 0.06); // inside the window: nothing happens
    rig.run(2000);
    expect(rig.amp.outputConnected()).toBe(true);
    rig.amp.setLegDc(3, -0.15);
    const took = msUntilOpen(rig, 1000);
    expect(took).toBeGreaterThan(20); // filtered: not on one sample
    expect(took).toBeLessThan(200);
    expect(status(rig).faults).toBe("dc-creep");
    rig.amp.setLegDc(3, 0);
    rig.run(1500);
    expect(rig.amp.outputConnected()).toBe(false);
    rig.run(2000);
    expect(rig.amp.outputConnected()).toBe(true);
  });

  test("a short on one channel opens the output at once and latches until clear", () => {
    const rig = ready(boardName);
    rig.amp.setShort("right", true);
    expect(msUntilOpen(rig, 20)).toBeLessThanOrEqual(board.relayTiming.releaseMs + 0.2);
    rig.run(100);
    expect(status(rig)).toMatchObject({ mute: "over-current", faults: "oc-right" });
    expect(rig.amp.motorDrive()).toBe(0);
    rig.amp.setShort("right", false);
    rig.run(3000);
    expect(rig.amp.outputConnected()).toBe(false);
    expect(rig.command("clear")).toMatch(/^ok/);
    rig.run(200);
    expect(rig.amp.outputConnected()).toBe(true);
  });

  test("clear with the short still there: it trips again at once and stays latched", () => {
    const rig = ready(boardName);
    rig.amp.setShort("left", true);
    rig.run(100);
    rig.command("clear");
    rig.run(2000);
    expect(rig.amp.outputConnected()).toBe(false);
    expect(status(rig).faults).toBe("oc-left");
    expect(rig.amp.relayEventsWhileConnected()).toEqual([]);
  });

  test("a single-ended plug in a TRRS jack is recognised as such; pulling it out clears it", () => {
    const rig = ready(boardName, "bal35");
    rig.amp.plugSingleEndedIntoTrrs("bal44", true); // selected on insertion, trips when it connects
    for (let t = 0; t < 10000 && !/se-plug/.test(rig.dev.output()); t += 50) rig.run(50);
    rig.run(100);
    expect(rig.amp.outputConnected()).toBe(false);
    expect(status(rig)).toMatchObject({ output: "bal44", mute: "over-current", faults: "se-plug" });
    expect(rig.dev.lines().some((l) => /faults=se-plug/.test(l))).toBe(true);
    rig.run(3000);
    expect(rig.amp.outputConnected()).toBe(false);
    rig.amp.plugSingleEndedIntoTrrs("bal44", false);
    rig.run(200);
    expect(status(rig).faults).toBe("none");
    rig.amp.plug("bal44", true); // proper balanced headphones
    settle(rig);
    expect(rig.amp.outputConnected()).toBe(true);
    expect(rig.amp.outputsLive()).toEqual(["bal44"]);
  });

  test("AC loss: output open within a tick plus the relay release of the AC-sense drop, motor halted, back after the power-on delay", () => {
    const rig = ready(boardName);
    rig.amp.setAcPresent(false);
    rig.run(rig.amp.unit.acDetectMs);
    expect(msUntilOpen(rig, 50)).toBeLessThanOrEqual(board.tickMs + board.relayTiming.releaseMs);
    rig.run(50);
    expect(rig.amp.motorDrive()).toBe(0);
    expect(status(rig).faults).toBe("ac-loss");
    rig.run(500);
    rig.amp.setAcPresent(true);
    rig.run(rig.amp.unit.acDetectMs + board.protection.powerOnDelayMs * 0.8);
    expect(rig.amp.outputConnected()).toBe(false);
    rig.run(board.protection.powerOnDelayMs * 0.5);
    expect(rig.amp.outputConnected()).toBe(true);
  });

  test("rail sag opens the output; a full power-on delay after the rail is back", () => {
    const rig = ready(boardName);
    rig.amp.setRailV(board.protection.railMinV - 4);
    expect(msUntilOpen(rig, 50)).toBeLessThanOrEqual(board.tickMs + board.relayTiming.releaseMs);
    expect(status(rig).faults).toBe("rail-sag");
    rig.amp.setRailV(30);
    rig.run(board.protection.powerOnDelayMs * 0.8);
    expect(rig.amp.outputConnected()).toBe(false);
    rig.run(board.protection.powerOnDelayMs * 0.5);
    expect(rig.amp.outputConnected()).toBe(true);
  });

  test("thermal: derate at 60 °C caps the volume, trip at 70 °C mutes, re-arm below 45 °C", () => {
    const rig = boot(boardName, { seed: 7, heatsinkC: 55 });
    rig.amp.plug("bal35", true);
    rig.run(1600);
    expect(rig.amp.outputConnected()).toBe(true);
    const target = Number(status(rig).target);
    rig.amp.setHeatsinkC(66);
    while (rig.amp.thermistorC() < 61) rig.run(100);
    rig.run(600);
    const st = status(rig);
    expect(st.faults).toBe("derate");
    expect(Number(st.target)).toBeLessThanOrEqual(target - 6 + 1e-6);
    expect(rig.command("vol 0")).toMatch(/^ok/);
    rig.run(20);
    expect(Number(status(rig).target)).toBeLessThanOrEqual(target - 6 + 1e-6);
    expect(rig.amp.outputConnected()).toBe(true);
    rig.amp.setHeatsinkC(90);
    while (rig.amp.thermistorC() < board.protection.thermal.tripC) rig.run(10);
    // at rest the heat is looked at once every FULL_REST_MS, or sooner when its reading moves
    expect(msUntilOpen(rig, FULL_REST_MS + 600)).toBeLessThanOrEqual(FULL_REST_MS + 510 + board.relayTiming.releaseMs);
    expect(status(rig).faults).toContain("thermal");
    rig.amp.setHeatsinkC(20);
    while (rig.amp.thermistorC() > 50) rig.run(100);
    rig.run(1000);
    expect(rig.amp.outputConnected()).toBe(false); // cooler than the trip, not yet re-armed
    while (rig.amp.thermistorC() > board.protection.thermal.rearmC) rig.run(100);
    rig.run(700);
    expect(rig.amp.outputConnected()).toBe(true);
    expect(status(rig).faults).toBe("none");
  });

  test("faults go to the flash log (never while the power is lost) and survive a reboot", () => {
    const rig = ready(boardName);
    rig.amp.setShort("left", true);
    rig.run(100);
    rig.amp.setAcPresent(false);
    rig.run(100);
    const writes = rig.amp.flash.writes;
    rig.run(20000);
    expect(rig.amp.flash.writes).toBe(writes); // power lost: nothing written
    rig.amp.setAcPresent(true);
    rig.run(2000);
    const log = rig.amp.flash.read(FAULT_LOG_FILE) || "";
    expect(log).toMatch(/^0,0\.000,0,0\n3,[\d.]+,1,1\n8,[\d.]+,0,0\n$/); // boot, oc-left on bal35, ac-loss
    // A reboot with that flash: muted, motor off, the log still there.
    const again = boot(boardName, { seed: 5, flash: rig.amp.flash });
    again.run(5);
    expect(again.amp.outputConnected()).toBe(false);
    expect(again.amp.motorDrive()).toBe(0);
    expect(again.amp.flash.read(FAULT_LOG_FILE)).toBe(log);
  });

  test("the status line names the fault and the mute reason whenever they change", () => {
    const rig = ready(boardName);
    rig.amp.setLegDc(1, -1);
    rig.run(50);
    expect(lastStatus(rig.dev)).toMatchObject({ out: "open", mute: "dc" });
    expect(lastStatus(rig.dev).faults).toMatch(/dc-step/);
  });
});
