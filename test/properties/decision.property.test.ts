// One set of rules, checked differentially: random plans (the generators of src/testing) drive the
// simulator; at every step its BBS records are read as the real auctioneer would see them (copies on
// present cells, copies last reported by vanished cells, auctions in flight, crash records, suspect
// copies), and the real auctioneer's applier (planLRPConvergence) must act on each index exactly as
// the simulator's converger does on the same records (decideLRPGroup), for every kind of action.
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadScenarioFile, parseScenario, startSimulation } from '../../src/sim.js';
import { lrpAuctionId } from '../../src/core/batch.js';
import { decideLRPGroup, LRP_ACTION } from '../../src/core/convergence/decide.js';
import { planLRPConvergence, type CrashRecord, type ObservedInstance, type SuspectCopy } from '../../src/core/convergence/plan.js';
import { planArb, planToScenario } from '../../src/testing/plan.js';

/** Plans per run: a fixed CI budget, larger under `npm run test:soak`. */
const RUNS = process.env['AUCTIONLAB_SOAK'] ? 300 : 40;

type World = ReturnType<typeof startSimulation>['world'];

/** How many index decisions were compared, and which kinds of action they included. */
const seen = { compared: 0, kinds: new Set<string>() };

/**
 * Judges every index of the simulator's BBS at `now`, with `presentCells` present and every app
 * `shrink` instances smaller, both ways, and expects the same actions.
 */
function compare(w: World, now: number, presentCells: ReadonlySet<string>, shrink: number): void {
  const staleMs = w.scenario.convergence.staleUnclaimedMs;
  const present = (cell: string) => presentCells.has(cell);
  // The simulator's records, as the real auctioneer would observe them.
  const instances: ObservedInstance[] = [];
  const lost: ObservedInstance[] = [];
  const inFlight = new Map<string, number>();
  const crashes = new Map<string, CrashRecord>();
  const suspects = new Map<string, SuspectCopy>();
  const expected = new Map<string, number>();
  for (const [guid, byIndex] of w.bbs.actual) {
    for (const g of byIndex.values()) {
      const id = lrpAuctionId(guid, g.index);
      const o = g.ordinary;
      // An index both crashed and evacuating is one the real backend replaces from the evacuating
      // copy at once (its evacuation handler does what Diego's BBS does on evacuation): not compared.
      if (o?.state === 'CRASHED' && g.evacuating) continue;
      const copy = (r: { cell: string; instanceGuid: string; state: string }, evacuating: boolean): ObservedInstance => ({ cell: r.cell, processGuid: guid, index: g.index, instanceGuid: r.instanceGuid, running: r.state === 'RUNNING', evacuating });
      if (o && (o.state === 'RUNNING' || o.state === 'CLAIMED')) (present(o.cell) ? instances : lost).push(copy(o, false));
      if (o?.state === 'UNCLAIMED') inFlight.set(id, o.since);
      if (o?.state === 'CRASHED') crashes.set(id, { count: o.crashCount, crashedAtMs: o.since });
      if (g.evacuating && present(g.evacuating.cell)) instances.push(copy(g.evacuating, true));
      if (g.suspect) {
        suspects.set(id, { cell: g.suspect.cell, instanceGuid: g.suspect.instanceGuid });
        if (present(g.suspect.cell)) instances.push(copy(g.suspect, false));
      }
      const d = g.app.desired;
      expected.set(id, decideLRPGroup(g, g.index, d ? d.instances - shrink : -1, present, now, staleMs));
    }
  }
  const plan = planLRPConvergence({
    nowMs: now,
    desired: [...w.bbs.desired.values()].map((d) => ({ processGuid: d.processGuid, instances: d.instances - shrink })),
    instances,
    crashes,
    inFlight,
    present: presentCells,
    lost,
    suspects,
    staleAfterMs: staleMs,
  });
  const started = new Map(plan.start.map((x) => [lrpAuctionId(x.processGuid, x.index), x.reason]));
  const stopped = new Map<string, string[]>();
  for (const x of plan.stop) {
    const id = lrpAuctionId(x.processGuid, x.index);
    stopped.set(id, [...(stopped.get(id) ?? []), x.reason]);
  }
  for (const [id, act] of expected) {
    const at = `${id} at ${now} ms, present ${[...presentCells].join(',')}, shrink ${shrink} (bits ${act})`;
    seen.compared++;
    const start = started.get(id);
    if (act & LRP_ACTION.SUSPECT_AND_REPLACE) expect(start, at).toBe('cell-gone');
    else if (act & LRP_ACTION.REAUCTION_STALE) expect(start, at).toBe('stale');
    else if (act & LRP_ACTION.RESTART_CRASHED) expect(start, at).toBe('crashed');
    else if (act & (LRP_ACTION.PROMOTE_SUSPECT | LRP_ACTION.RETIRE)) expect(start, at).toBeUndefined();
    if (act & LRP_ACTION.DROP_SUSPECT) expect(stopped.get(id), at).toContain('suspect');
    if (act & LRP_ACTION.PROMOTE_SUSPECT) expect(plan.forgetSuspect, at).toContain(id);
    if (act & LRP_ACTION.RETIRE && instances.some((x) => lrpAuctionId(x.processGuid, x.index) === id)) expect(stopped.get(id), at).toContain('extra');
    if (act === LRP_ACTION.NONE && crashes.has(id)) expect(plan.backingOff, at).toContain(id);
    if (act === LRP_ACTION.NONE && !crashes.has(id)) expect(start, at).toBeUndefined();
    for (const [k, bit] of Object.entries(LRP_ACTION)) if (bit !== 0 && act & bit) seen.kinds.add(k);
  }
}

describe('the simulator and the real auctioneer apply one decision', () => {
  beforeEach(() => {
    seen.compared = 0;
    seen.kinds.clear();
  });

  it('at every step of random plans, both act alike on every index (auction, suspect, stop, back off)', () => {
    fc.assert(
      fc.property(planArb(['crash', 'kill', 'evacuate', 'partition'], 12), fc.nat(10_000), (steps, seed) => {
        const sim = startSimulation(parseScenario(planToScenario(steps, seed).doc));
        const w = sim.world;
        // Every step's moment, and every 2 s of simulated time through the plan and a minute after.
        const times = new Set<number>();
        let t = 0;
        for (const s of steps) {
          t += s.gapMs;
          times.add(t + 1);
        }
        for (let x = 2_000; x <= t + 60_000; x += 2_000) times.add(x);
        for (const time of [...times].sort((a, b) => a - b)) {
          sim.runUntil(time);
          const actual = new Set(w.cells.filter((c) => c.present).map((c) => c.id));
          // The records as they are; and the same records judged later, with a cell gone, or with
          // every app one instance smaller: both functions are pure, so what-ifs compare as well,
          // and they reach the rules the simulator's own timing rarely leaves visible.
          const gone = w.cells[Math.floor(time / 2_000) % w.cells.length]?.id ?? '';
          compare(w, w.kernel.now, actual, 0);
          compare(w, w.kernel.now + 35_000, actual, 0);
          compare(w, w.kernel.now, new Set([...actual].filter((c) => c !== gone)), 0);
          compare(w, w.kernel.now, actual, 1);
        }
      }),
      { numRuns: RUNS, seed: 16 },
    );
    expect(seen.compared).toBeGreaterThan(1000);
    for (const k of ['SUSPECT_AND_REPLACE', 'REAUCTION_STALE', 'RETIRE']) expect([...seen.kinds], `${k} (seen: ${[...seen.kinds].join(', ')})`).toContain(k);
  });

  it('through the bundled default scenario (crash-looping apps, a killed cell): both act alike, every 5 s for 20 minutes', () => {
    const sim = startSimulation(loadScenarioFile('scenarios/default.yaml'));
    const w = sim.world;
    for (let time = 5_000; time <= 20 * 60_000; time += 5_000) {
      sim.runUntil(time);
      const actual = new Set(w.cells.filter((c) => c.present).map((c) => c.id));
      const gone = w.cells[(time / 5_000) % w.cells.length]?.id ?? '';
      compare(w, w.kernel.now, actual, 0);
      compare(w, w.kernel.now + 35_000, actual, 0);
      compare(w, w.kernel.now, new Set([...actual].filter((c) => c !== gone)), 0);
      compare(w, w.kernel.now, actual, 1);
    }
    // Every kind of action was compared, not only the quiet ones.
    for (const k of ['SUSPECT_AND_REPLACE', 'REAUCTION_STALE', 'RESTART_CRASHED', 'RETIRE']) expect([...seen.kinds], `${k} (seen: ${[...seen.kinds].join(', ')})`).toContain(k);
  });
});
