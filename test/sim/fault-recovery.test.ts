// Recovery per fault: hand-computed cases on the BBS and the tracker alone, then whole runs.
import { describe, expect, it } from 'vitest';
import { BBS } from '../../src/sim/actors/bbs.js';
import { FaultRecoveryTracker } from '../../src/sim/fault-recovery.js';
import { parseScenarioText, simulate } from '../../src/sim.js';

/** A BBS with `n` instances of `web` and `other` running on cell-a (web) and cell-b (other), at t = 0. */
function cluster(n: number) {
  let now = 0;
  const unreachable = new Set<string>();
  const bbs = new BBS(() => now);
  const tracker = new FaultRecoveryTracker(() => now, (cell) => !unreachable.has(cell));
  bbs.observer = tracker;
  for (const [app, cell] of [['web', 'cell-a'], ['other', 'cell-b']] as const) {
    bbs.desire({ processGuid: app, instances: n, memoryMB: 64, diskMB: 64, rootfs: 'preloaded:cflinuxfs4', placementTags: [], volumeDrivers: [], crash: null });
    for (let i = 0; i < n; i++) {
      bbs.createUnclaimed(app, i);
      bbs.claim(app, i, `${app}-${i}-a`, cell);
      bbs.start(app, i, `${app}-${i}-a`, cell);
    }
  }
  return { bbs, tracker, at: (t: number) => (now = t), unreachable };
}

describe('recovery per fault (hand-computed)', () => {
  it("a kill's figures follow only its own instances: a crash loop elsewhere does not move them", () => {
    const { bbs, tracker, at } = cluster(3);
    at(100_000);
    for (let i = 0; i < 3; i++) tracker.hit(bbs.group('web', i)!.ordinary!);
    tracker.mark('kill', '1 cell');
    // The other app crash-loops throughout (on its own cell): crashes, restarts, runs, crashes again.
    const loop = (t: number, k: number) => {
      at(t);
      bbs.crash('other', 0, `other-0-${k}`, 'cell-b');
      bbs.claim('other', 0, `other-0-${k + 1}`, 'cell-b');
      bbs.start('other', 0, `other-0-${k + 1}`, 'cell-b');
    };
    bbs.group('other', 0)!.ordinary!.instanceGuid = 'other-0-0';
    loop(105_000, 0);
    // The converger finds the cell gone at 127 s: the three become SUSPECT, replacements are made.
    at(127_000);
    for (let i = 0; i < 3; i++) bbs.suspect(bbs.group('web', i)!);
    loop(130_000, 1);
    // Placed at 131, 131 and 133 s; running at 134, 136 and 140 s.
    at(131_000);
    bbs.claim('web', 0, 'web-0-b', 'cell-c');
    bbs.claim('web', 1, 'web-1-b', 'cell-c');
    at(133_000);
    bbs.claim('web', 2, 'web-2-b', 'cell-c');
    at(134_000);
    bbs.start('web', 0, 'web-0-b', 'cell-c');
    at(136_000);
    bbs.start('web', 1, 'web-1-b', 'cell-c');
    loop(138_000, 2);
    at(140_000);
    bbs.start('web', 2, 'web-2-b', 'cell-c');
    loop(150_000, 3);
    const [f] = tracker.results(bbs);
    expect(f).toEqual({
      kind: 'kill',
      detail: '1 cell',
      at: 100_000,
      displaced: 3,
      back: 3,
      noticedAfterMs: 27_000,
      placedAfterMs: { count: 3, p50: 31_000, p90: 33_000, p99: 33_000, max: 33_000 },
      runningAfterMs: { count: 3, p50: 36_000, p90: 40_000, p99: 40_000, max: 40_000 },
      noLongerDesired: 0,
      notBack: {},
      recoveredAfterMs: 40_000,
    });
  });

  it('what never came back is counted by why; an index scaled away is no longer desired, not missing', () => {
    const { bbs, tracker, at } = cluster(4);
    at(10_000);
    for (let i = 0; i < 4; i++) tracker.hit(bbs.group('web', i)!.ordinary!);
    tracker.mark('kill', '1 cell');
    at(40_000);
    for (let i = 0; i < 4; i++) bbs.suspect(bbs.group('web', i)!);
    bbs.failPlacement('web', 0, 'insufficient resources: memory');
    bbs.claim('web', 1, 'web-1-b', 'cell-c');
    bbs.claim('web', 2, 'web-2-b', 'cell-c');
    at(45_000);
    bbs.start('web', 2, 'web-2-b', 'cell-c');
    bbs.scale('web', 3);
    const [f] = tracker.results(bbs);
    expect(f!.back).toBe(1);
    expect(f!.noLongerDesired).toBe(1);
    expect(f!.notBack).toEqual({ starting: 1, 'unplaced: insufficient resources: memory': 1 });
    expect(f!.recoveredAfterMs).toBeNull();
  });

  it("a zone cut off and healed before anyone noticed: its instances are back at the heal, in place", () => {
    const { bbs, tracker, at, unreachable } = cluster(2);
    at(60_000);
    for (let i = 0; i < 2; i++) tracker.hit(bbs.group('web', i)!.ordinary!);
    unreachable.add('cell-a');
    tracker.mark('partition', 'z1');
    at(65_000);
    unreachable.delete('cell-a');
    tracker.reconnected(bbs);
    const [f] = tracker.results(bbs);
    // Back in place: running again at the heal, never placed anywhere else.
    expect([f!.back, f!.noticedAfterMs, f!.placedAfterMs.count, f!.recoveredAfterMs]).toEqual([2, null, 0, 5_000]);
  });

  it('an index scaled to 0 and back (a new group in the BBS) is followed by app and index', () => {
    const { bbs, tracker, at } = cluster(1);
    at(1_000);
    tracker.hit(bbs.group('web', 0)!.ordinary!);
    tracker.mark('kill', '1 cell');
    at(20_000);
    bbs.suspect(bbs.group('web', 0)!);
    bbs.scale('web', 0);
    const g = bbs.group('web', 0)!;
    g.dropOrdinary();
    g.suspect = null;
    g.app.ordinaries = 0;
    bbs.dropGroup(g);
    at(30_000);
    bbs.scale('web', 1);
    bbs.createUnclaimed('web', 0);
    bbs.claim('web', 0, 'web-0-new', 'cell-c');
    at(33_000);
    bbs.start('web', 0, 'web-0-new', 'cell-c');
    expect(bbs.group('web', 0)).not.toBe(g);
    expect(tracker.results(bbs)[0]).toMatchObject({ back: 1, recoveredAfterMs: 32_000, notBack: {} });
  });

  it('an instance already displaced by an open fault is not displaced again by the next one', () => {
    const { bbs, tracker, at } = cluster(2);
    at(60_000);
    for (let i = 0; i < 2; i++) tracker.hit(bbs.group('web', i)!.ordinary!);
    tracker.mark('partition', 'z1');
    at(65_000);
    for (let i = 0; i < 2; i++) tracker.hit(bbs.group('web', i)!.ordinary!);
    tracker.mark('kill', '1 cell');
    expect(tracker.results(bbs).map((f) => f.displaced)).toEqual([2, 0]);
  });

  it('only the groups of displaced indices are followed, until their index runs again', () => {
    const { bbs, tracker, at } = cluster(2);
    at(10_000);
    tracker.hit(bbs.group('web', 0)!.ordinary!);
    // Followed from the hit, before the fault is even opened; its neighbour and the other app are not.
    expect([bbs.group('web', 0)!.followed, bbs.group('web', 1)!.followed, bbs.group('other', 0)!.followed]).toEqual([true, false, false]);
    tracker.mark('kill', '1 cell');
    at(20_000);
    bbs.suspect(bbs.group('web', 0)!);
    bbs.claim('web', 0, 'web-0-b', 'cell-c');
    at(25_000);
    bbs.start('web', 0, 'web-0-b', 'cell-c');
    expect(bbs.group('web', 0)!.followed).toBe(false);
    // Told of a change to a group no longer followed, the tracker leaves the fault's figures as they are.
    at(40_000);
    bbs.crash('web', 0, 'web-0-b', 'cell-c');
    expect(tracker.results(bbs)[0]).toMatchObject({ displaced: 1, back: 1, noticedAfterMs: 10_000, recoveredAfterMs: 15_000 });
  });

  it('a fault that displaced nothing is recovered at once', () => {
    const { bbs, tracker, at } = cluster(1);
    at(5_000);
    tracker.mark('killAuctioneer', 'auctioneer-0');
    expect(tracker.results(bbs)[0]).toMatchObject({ displaced: 0, back: 0, recoveredAfterMs: 0, noticedAfterMs: null });
  });
});

describe('recovery per fault (runs)', () => {
  const run = (extra: string) =>
    simulate(
      parseScenarioText(
        `seed: 4\nduration: 4m\nstartup: 2s\ncells: [{ count: 6, zones: [z1, z2, z3], memoryMB: 8192, diskMB: 16384, containers: 50 }]\n${extra}`,
        'recovery.yaml',
      ),
    );

  it('a kill amid a crash loop recovers within presence, one pass and start-up, while the crashing app is never whole', () => {
    const r = run(
      `apps:\n  - { name: web, count: 6, instances: 3, memoryMB: 256 }\n  - { name: loop, count: 4, instances: 2, memoryMB: 128, crash: { probability: 1, after: { uniform: [5s, 20s] } } }\nevents: [{ at: 1m, kill: { ids: [cell-02] } }]\nexpect: { converged: true }\n`,
    );
    const [f] = r.summary.faults;
    expect(f!.displaced).toBeGreaterThan(0);
    expect(f!.back).toBe(f!.displaced);
    // Presence lapses 10-15 s after the death; the next periodic pass comes within 30 s.
    expect(f!.noticedAfterMs!).toBeGreaterThanOrEqual(10_000);
    expect(f!.noticedAfterMs!).toBeLessThanOrEqual(45_000);
    expect(f!.recoveredAfterMs!).toBeLessThanOrEqual(45_000 + 10_000 + 2_000);
    expect(f!.runningAfterMs.max).toBe(f!.recoveredAfterMs);
    expect(f!.placedAfterMs.max).toBeLessThanOrEqual(f!.runningAfterMs.max);
    // The crash loop keeps instances missing at the end: Diego counts those as crashed, not missing.
    expect(r.summary.missingAtEnd).toBeGreaterThan(0);
    expect(r.summary.crashingAtEnd).toBe(r.summary.missingAtEnd);
    expect(r.expectations).toEqual([expect.objectContaining({ name: 'converged', ok: true })]);
  });

  it("instances with nowhere to go keep the fault open, say why, and fail `expect: converged`", () => {
    const r = simulate(
      parseScenarioText(
        `seed: 2\nduration: 3m\nstartup: 2s\ncells: [{ count: 2, zones: [z1], memoryMB: 1024, diskMB: 16384, containers: 50 }]\napps: [{ name: web, count: 3, instances: 1, memoryMB: 512 }]\nevents: [{ at: 30s, kill: { ids: [cell-01] } }]\nexpect: { converged: true }\n`,
        'full.yaml',
      ),
    );
    const [f] = r.summary.faults;
    expect(f!.recoveredAfterMs).toBeNull();
    expect(Object.keys(f!.notBack)).toEqual(['unplaced: insufficient resources: memory']);
    expect(f!.back + Object.values(f!.notBack).reduce((a, n) => a + n, 0)).toBe(f!.displaced);
    const e = r.expectations[0]!;
    expect(e.ok).toBe(false);
    expect(e.detail).toMatch(/not recovered: kill at 0\.5 min \(\d+ not back\)/);
  });
});
