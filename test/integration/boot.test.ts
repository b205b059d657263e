// Each board's built bundle boots in the Espruino emulation: muted, motor off, relays released,
// the control tick running and kicking the watchdog, status on the console.
import { BOARDS } from "../../boards/index";
import { BOARD_NAMES, boot, lastStatus, status } from "../helpers/device";

const rig0 = (name: string) => BOARDS[name];

describe.each(BOARD_NAMES)("%s bundle boots safe", (boardName) => {
  test("a status asked for before the first tick already says power-on (never mute=none with the relay open)", () => {
    const rig = boot(boardName);
    expect(status(rig)).toMatchObject({ out: "open", mute: "power-on" });
  });

  test("at load: output relay open, motor not driven, no output relay live, no errors", () => {
    const rig = boot(boardName);
    expect(rig.dev.errors).toEqual([]);
    rig.run(1); // let the relays' own release time pass
    expect(rig.amp.outputConnected()).toBe(false);
    expect(rig.amp.motorDrive()).toBe(0);
    expect(rig.amp.outputsLive()).toEqual([]);
    expect(rig.dev.lines()[0]).toMatch(new RegExp(`^BOOT amp-controller \\S+ board=${boardName}$`));
  });

  test("stays muted through the power-on delay, then connects once rails and legs are good", () => {
    const rig = boot(boardName);
    const delay = rig.board.protection.powerOnDelayMs;
    rig.run(delay * 0.8);
    expect(rig.amp.outputConnected()).toBe(false);
    expect(lastStatus(rig.dev).mute).toContain("power-on");
    rig.run(delay * 0.5 + 50);
    expect(rig.amp.outputConnected()).toBe(true);
    expect(lastStatus(rig.dev)).toMatchObject({ out: "connected", mute: "none" });
  });

  test("power-on wherever the shaft was left: the output connects only at or below the start-up cap and the jack's cap as heard", () => {
    const b = rig0(boardName);
    for (const startDeg of [20, 90, 150, 200, 270, 295]) {
      for (const out of ["bal35", "se63"] as const) {
        const rig = boot(boardName, { seed: 5, startDeg });
        rig.amp.plug(out, true);
        const cap = Math.min(b.volume.startCapDb, b.outputs.capDb[out]);
        let connectedMs = -1;
        for (let t = 0; t < 15_000; t += 10) {
          rig.run(10);
          if (!rig.amp.outputConnected()) continue;
          if (connectedMs < 0) connectedMs = t;
          const a = rig.amp.audioDb();
          // what the listener hears: the audio decks' level, the gain (0 dB at first boot), the output's offset
          expect((a.left + a.right) / 2 + b.outputs.offsetDb[out]).toBeLessThanOrEqual(cap + 1);
        }
        expect(connectedMs).toBeGreaterThan(0); // and it does connect, once the pot is down
        expect(rig.dev.errors).toEqual([]);
      }
    }
  });

  test("the scheduler ticks fast while anything moves, slowly at rest, and keeps the watchdog fed", () => {
    const rig = boot(boardName);
    rig.run(10_000);
    expect(rig.amp.watchdogFired()).toBe(false);
    const ticksAt = () => Number(/ticks=(\d+)/.exec(rig.command("status"))![1]);
    const before = ticksAt();
    rig.run(2000); // at rest: the rest period
    const rest = ticksAt() - before;
    expect(rest).toBeGreaterThanOrEqual(Math.floor(2000 / rig.board.restTickMs) - 1);
    expect(rest).toBeLessThanOrEqual(Math.ceil(2100 / rig.board.restTickMs) + 1);
    rig.command("vol -40", 0); // a move: the fast period from the command on
    const moving = ticksAt();
    rig.run(500);
    expect(ticksAt() - moving).toBeGreaterThanOrEqual(Math.floor(500 / rig.board.tickMs) - 2);
    expect(rig.amp.watchdogFired()).toBe(false);
    expect(rig.dev.errors).toEqual([]);
  });

  test("with the amp's rails down the controller rests (muted, the watchdog fed) and wakes when they come up: the power-on delay does not count without power", () => {
    const rig = boot(boardName);
    rig.amp.setRailV(rig.board.protection.railMinV - 6);
    rig.run(12_000);
    const t0 = Number(/ticks=(\d+)/.exec(rig.command("status"))![1]);
    rig.run(15_000); // (lively for 5 s after the status command, then calm)
    const t1 = Number(/ticks=(\d+)/.exec(rig.command("status"))![1]);
    expect(t1 - t0).toBeLessThanOrEqual(50 + 10 * 3 + 15); // 10 a second while lively, ~3 once calm (150 in all if never calm)
    expect(rig.amp.outputConnected()).toBe(false);
    expect(rig.amp.watchdogFired()).toBe(false);
    rig.amp.setRailV(30);
    rig.run(3000);
    expect(rig.amp.outputConnected()).toBe(true);
  });

  test("a hung main loop is caught by the watchdog", () => {
    const rig = boot(boardName);
    rig.run(100);
    rig.dev.powerOff(); // nothing kicks any more: same as a loop stuck in a busy wait
    rig.run(rig.board.watchdogS * 1000 + 100);
    expect(rig.amp.watchdogFired()).toBe(true);
  });

  test("with the rails absent at boot it never connects", () => {
    const rig = boot(boardName);
    rig.amp.setAcPresent(false);
    rig.amp.setRailV(0);
    rig.run(5000);
    expect(rig.amp.outputConnected()).toBe(false);
    expect(lastStatus(rig.dev).mute).toMatch(/rail/);
  });

  test("the production build detaches the REPL: JavaScript on the console is not evaluated", () => {
    const rig = boot(boardName);
    rig.run(200); // inside the power-on delay: the output relay must stay open
    expect(rig.dev.replAttached()).toBe(false);
    const reply = rig.command(`digitalWrite(${JSON.stringify(rig.board.pins.muteRelay)}, 1)`);
    expect(reply).toMatch(/^err /m);
    expect(rig.amp.outputConnected()).toBe(false);
    expect(rig.dev.errors).toEqual([]);
  });
});
