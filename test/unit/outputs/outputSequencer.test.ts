// The relay sequencer on its own: mute first, wait for the mute contact to open, break before
// make with the board's gap, settle, and merge requests that arrive mid-sequence.
import PICO from "../../../boards/pico";
import { startOutputSequencer } from "../../../firmware/outputs/outputSequencer";

const T = PICO.relayTiming; // operate 4, release 4, gap 20, settle 100
const BAL44 = 1;
const BAL35 = 2;
const SE63 = 8;
const GAIN9 = 16;
const GAIN18 = 32;

/** Drives the sequencer like main.ts does: one tick every 10 ms, the mute relay opened by the
 *  shell in the same tick the sequencer first reports busy, closed once it is idle. */
function drive(initial: number) {
  const seq = startOutputSequencer(T, initial);
  let now = 0;
  let connected = false;
  let mutedAt = -1000;
  const log: { t: number; bits: number; connected: boolean }[] = [];
  let last = -1;
  function tick() {
    now += 10;
    const bits = seq.tick(now, connected, mutedAt);
    if (bits !== last) log.push({ t: now, bits, connected });
    last = bits;
    const busy = seq.busy();
    if (busy && connected) {
      connected = false;
      mutedAt = now;
    } else if (!busy && !connected) connected = true;
  }
  return {
    seq,
    log,
    run(ms: number) {
      for (let i = 0; i < ms / 10; i++) tick();
    },
    connected: () => connected,
    now: () => now,
  };
}

describe("output sequencer", () => {
  test("boot: operates the chosen output at once (already muted), then settles before unmuting", () => {
    const d = drive(BAL35);
    d.run(10);
    expect(d.log).toEqual([{ t: 10, bits: BAL35, connected: false }]);
    expect(d.seq.busy()).toBe(true);
    d.run(T.settleMs - 10);
    expect(d.seq.busy()).toBe(true);
    d.run(10);
    expect(d.seq.busy()).toBe(false);
  });

  test("switch: mute, release the old relay only after the mute contact is open, gap, operate, settle", () => {
    const d = drive(BAL35);
    d.run(300);
    expect(d.connected()).toBe(true);
    d.log.length = 0;
    const t0 = d.now();
    d.seq.want(SE63);
    d.run(400);
    // first tick: nothing moves, the shell opens the mute
    const [brk, make] = d.log;
    expect(brk.bits).toBe(0);
    expect(brk.connected).toBe(false);
    expect(brk.t - t0).toBeGreaterThanOrEqual(T.releaseMs + 10); // a tick after the mute opened
    expect(make.bits).toBe(SE63);
    expect(make.t - brk.t).toBeGreaterThanOrEqual(T.breakGapMs);
    expect(d.log).toHaveLength(2);
    expect(d.connected()).toBe(true);
  });

  test("never two outputs or two gain relays at once, whatever the requests", () => {
    const d = drive(BAL35 | GAIN9);
    d.run(200);
    const words = [SE63 | GAIN18, BAL44, BAL35 | GAIN9, SE63, BAL44 | GAIN18];
    for (const w of words) {
      d.seq.want(w);
      d.run(30); // requests land mid-sequence
    }
    d.run(500);
    for (const e of d.log) {
      const outs = e.bits & 15;
      expect(outs & (outs - 1)).toBe(0);
      expect(e.bits & (GAIN9 | GAIN18)).not.toBe(GAIN9 | GAIN18);
      expect(e.connected).toBe(false);
    }
    expect(d.seq.applied()).toBe(BAL44 | GAIN18);
    expect(d.connected()).toBe(true);
  });

  test("a request mid-sequence is merged: one muted stretch, ends on the last request", () => {
    const d = drive(BAL35);
    d.run(300);
    d.seq.want(SE63);
    d.run(20);
    d.seq.want(BAL44);
    d.run(20);
    d.seq.want(SE63);
    let reconnects = 0;
    let was = d.connected();
    for (let i = 0; i < 50; i++) {
      d.run(10);
      if (d.connected() && !was) reconnects++;
      was = d.connected();
    }
    expect(reconnects).toBe(1);
    expect(d.seq.applied()).toBe(SE63);
  });

  test("gain change from 9 to 18 breaks the 9 dB relay before making the 18 dB one", () => {
    const d = drive(BAL35 | GAIN9);
    d.run(300);
    d.log.length = 0;
    d.seq.want(BAL35 | GAIN18);
    d.run(300);
    expect(d.log.map((e) => e.bits)).toEqual([BAL35, BAL35 | GAIN18]);
    expect(d.log[1].t - d.log[0].t).toBeGreaterThanOrEqual(T.breakGapMs);
  });

  test("relays freeze while the output is connected, and move once it has been open releaseMs", () => {
    const seq = startOutputSequencer(T, BAL35);
    expect(seq.tick(10, false, 0)).toBe(BAL35);
    expect(seq.tick(200, false, 0)).toBe(BAL35);
    expect(seq.busy()).toBe(false);
    seq.want(SE63);
    expect(seq.tick(210, true, 0)).toBe(BAL35);
    expect(seq.tick(220, false, 218)).toBe(BAL35); // opened 2 ms ago: contact may still be closed
    expect(seq.tick(230, false, 218)).toBe(0);
    expect(seq.tick(240, true, 218)).toBe(0); // connected by mistake: nothing moves
    expect(seq.tick(260, false, 245)).toBe(SE63); // the gap since the release (230) has passed
  });

  test("resettle mutes for settleMs without moving a relay", () => {
    const d = drive(BAL35);
    d.run(300);
    d.log.length = 0;
    d.seq.resettle();
    d.run(10);
    expect(d.connected()).toBe(false);
    d.run(T.settleMs);
    expect(d.connected()).toBe(false);
    d.run(30);
    expect(d.connected()).toBe(true);
    expect(d.log).toEqual([]);
  });
});
