// The developer's way back to the REPL: a password (set once, at the bench), guessing slowed by a
// lockout that doubles, only a hash kept.
import { newAmpState } from "../../../firmware/ampState";
import { createUnlock, FIRST_SET_WINDOW_MS, newUnlockGuard, passwordHash } from "../../../firmware/console/unlock";
import { harness } from "./fakes";

function unlocker() {
  const state = newAmpState();
  let attached = 0;
  const u = createUnlock(state, () => attached++, false, newUnlockGuard());
  return { state, u, attached: () => attached };
}

describe("password", () => {
  test("a new amp has none, and then nothing unlocks it", () => {
    const { u, attached } = unlocker();
    expect(u.tryUnlock("", 1000)).toBe(14);
    expect(u.tryUnlock("anything1", 1000)).toBe(14);
    expect(attached()).toBe(0);
  });

  test("the first one is accepted only within the first minute after power-on", () => {
    const late = unlocker();
    expect(late.u.changePassword("benchpass1", FIRST_SET_WINDOW_MS + 1)).toBe(10);
    expect(late.state.pwHash).toBe(0);
    const early = unlocker();
    expect(early.u.changePassword("benchpass1", 30_000)).toBe(0);
    expect(early.u.tryUnlock("benchpass1", 40_000)).toBe(0);
    expect(early.attached()).toBe(1);
  });

  test("once set, it changes only with the current one; a bare new one is refused", () => {
    const { state, u } = unlocker();
    u.changePassword("first111", 1000);
    const h1 = state.pwHash;
    expect(u.changePassword("second22", 2000)).toBe(10);
    expect(u.changePassword("wrong000,second22", 2000)).toBe(12);
    expect(state.pwHash).toBe(h1);
    expect(u.changePassword("first111,second22", 900_000)).toBe(0);
    expect(u.tryUnlock("first111", 900_001)).toBe(12);
    expect(u.tryUnlock("second22", 900_002)).toBe(0);
  });

  test("6 to 24 letters and digits", () => {
    const { state, u } = unlocker();
    for (const bad of ["short", "x".repeat(25), "has-dash1", "spa ce123", "", "ünïcode12"]) expect(u.changePassword(bad, 1000)).toBe(3);
    expect(state.pwHash).toBe(0);
    expect(u.changePassword("Ab3456", 1000)).toBe(0);
  });

  test("only a 32-bit hash is kept, never 0 (= none), different for near passwords", () => {
    const hashes = new Set<number>();
    for (const p of ["abcdef", "abcdeg", "bbcdef", "abcdef1", "ABCDEF", "123456", "654321"]) {
      const h = passwordHash(p);
      expect(h).toBeGreaterThan(0);
      expect(h).toBeLessThan(2 ** 32);
      expect(Number.isInteger(h)).toBe(true);
      hashes.add(h);
    }
    expect(hashes.size).toBe(7);
    // FNV-1a of "a" (published check value)
    expect(passwordHash("a")).toBe(0xe40c292c);
  });
});

describe("lockout", () => {
  test("after 5 wrong passwords every attempt is refused for a minute, even the right one", () => {
    const { u, attached } = unlocker();
    u.changePassword("rightone1", 0);
    for (let i = 0; i < 5; i++) expect(u.tryUnlock("guess" + i + "xx", 1000 + i)).toBe(12);
    expect(u.tryUnlock("rightone1", 2000)).toBe(11);
    expect(u.tryUnlock("rightone1", 1004 + 59_000)).toBe(11);
    expect(attached()).toBe(0);
    expect(u.tryUnlock("rightone1", 1004 + 60_001)).toBe(0);
    expect(attached()).toBe(1);
  });

  test("each lockout doubles, up to an hour; a success resets it", () => {
    const { u } = unlocker();
    u.changePassword("rightone1", 0);
    let t = 1000;
    const lengths: number[] = [];
    for (let lockout = 0; lockout < 8; lockout++) {
      for (let i = 0; i < 5; i++) u.tryUnlock("nope1234", t);
      const start = t;
      while (u.tryUnlock("rightone1", t) === 11) t += 1000;
      lengths.push(Math.round((t - start) / 60_000));
      // unlocked: the right password also resets the count; lock again for the next round
    }
    expect(lengths).toEqual([1, 1, 1, 1, 1, 1, 1, 1]); // a success in between resets the doubling
    const { u: v } = unlocker();
    v.changePassword("rightone1", 0);
    const seen: number[] = [];
    t = 1000;
    for (let lockout = 0; lockout < 8; lockout++) {
      for (let i = 0; i < 5; i++) v.tryUnlock("nope1234", t);
      const start = t;
      while (v.tryUnlock("nope1234", t) === 11) t += 1000;
      seen.push(Math.round((t - start) / 60_000));
    }
    expect(seen).toEqual([1, 2, 4, 8, 16, 32, 60, 60]);
  });
});

describe("through the protocol", () => {
  test("set password, get password, unlock: the REPL gets the console", () => {
    const h = harness();
    h.nowMs = 5000;
    expect(h.send("set password Secret99")).toBe("ok");
    expect(h.send("get password")).toBe("ok password set");
    expect(h.send("unlock nothere1")).toBe("err 12 wrong password");
    expect(h.replAttached).toBe(false);
    expect(h.send("unlock Secret99")).toBe("ok unlocked");
    expect(h.replAttached).toBe(true);
  });

  test("the password never appears in the state or a reply", () => {
    const h = harness();
    h.send("set password Secret99");
    expect(JSON.stringify(h.state)).not.toContain("Secret99");
    for (const line of ["get password", "status", "help", "faults"]) expect(h.send(line)).not.toContain("Secret99");
  });
});
