import { describe, expect, it } from 'vitest';
import { loadScenarioFile, resolveScenarioPath, simulate } from '../../src/sim.js';
import { parseScenarioText } from '../../src/scenario/load.js';

const zoneOutage = () => loadScenarioFile(resolveScenarioPath('zone-outage'));

describe('explanations during a run', () => {
  it('explain every auction an instance went through, changing nothing of the run', () => {
    const plain = simulate(zoneOutage(), { seed: 1 });
    const end = zoneOutage().durationMs;
    const explained = simulate(zoneOutage(), { seed: 1, explain: { instances: [{ id: 'web-0.0' }, { id: 'web-1.2' }] }, status: [{ app: 'web', atMs: end }] });
    expect(explained.digest).toBe(plain.digest);
    expect(plain.explanations).toBeUndefined();
    const list = explained.explanations!;
    expect(list.length).toBeGreaterThanOrEqual(2);
    expect(new Set(list.map((x) => x.explanation.id))).toEqual(new Set(['web-0.0', 'web-1.2']));
    // Each in time order, and the last one of an instance names the cell it ends on (no fault moves it after).
    for (let i = 1; i < list.length; i++) expect(list[i]!.atMs).toBeGreaterThanOrEqual(list[i - 1]!.atMs);
    for (const id of ['web-0.0', 'web-1.2']) {
      const last = list.filter((x) => x.explanation.id === id).at(-1)!;
      const [guid, index] = [id.slice(0, id.lastIndexOf('.')), Number(id.slice(id.lastIndexOf('.') + 1))];
      const at = explained.status[0]!.instances.find((x) => x.processGuid === guid && x.index === index && x.presence === 'ORDINARY');
      expect(last.explanation.placedOn).toBe(at?.cell);
    }
  });

  it.each(['nomad', 'kubernetes', 'round-robin'])('%s: explained with a fork of the auctioneer\'s stream, so the explanation decides as the run did', (strategy) => {
    const end = zoneOutage().durationMs;
    const ids = ['web-0.0', 'web-3.1', 'single-5.0'];
    const plain = simulate(zoneOutage(), { seed: 2, strategy });
    const r = simulate(zoneOutage(), { seed: 2, strategy, explain: { instances: ids.map((id) => ({ id })) }, status: [{ app: 'web', atMs: end }, { app: 'single', atMs: end }] });
    expect(r.digest).toBe(plain.digest);
    for (const id of ids) {
      const last = r.explanations!.filter((x) => x.explanation.id === id).at(-1)!;
      expect(last.explanation.strategy).toBe(strategy);
      const [guid, index] = [id.slice(0, id.lastIndexOf('.')), Number(id.slice(id.lastIndexOf('.') + 1))];
      const at = r.status.flatMap((s) => s.instances).find((x) => x.processGuid === guid && x.index === index && x.presence === 'ORDINARY');
      expect(last.explanation.placedOn).toBe(at?.cell);
    }
  });

  it('with a time, only the last auction at or before it', () => {
    const r = simulate(zoneOutage(), { seed: 1, explain: { instances: [{ id: 'web-0.0', atMs: 60_000 }] } });
    expect(r.explanations).toHaveLength(1);
    expect(r.explanations![0]!.atMs).toBeLessThanOrEqual(60_000);
  });

  it('one example per failure reason', () => {
    const s = loadScenarioFile(resolveScenarioPath('isolation-segments'));
    const r = simulate(s, { seed: 1, explain: { failures: true } });
    const reasons = r.explanations!.map((x) => x.explanation.reason);
    expect(reasons.length).toBeGreaterThan(0);
    expect(new Set(reasons).size).toBe(reasons.length);
    for (const x of r.explanations!) expect(x.explanation.placedOn).toBeNull();
  });
});

describe('the report\'s placements', () => {
  // Every instance on the final map, by its cell, from the snapshot.
  const onMap = (r: ReturnType<typeof simulate>) => r.placement.cells.flatMap((c) => c.lrps.map((a, k) => ({ id: `${r.placement.apps[a]!.guid}.${c.indices[k]!}`, cell: c.id })));

  it.each(['diego', 'first-fit', 'nomad', 'all_rebid', 'pick_best', 'sparrow', 'random'])('%s: every instance on the map is explained by the auction that put it on its cell, and the run is the same', (strategy) => {
    const plain = simulate(zoneOutage(), { seed: 3, strategy });
    const r = simulate(zoneOutage(), { seed: 3, strategy, explain: { placements: true } });
    expect(r.digest).toBe(plain.digest);
    const p = r.placementReasons!;
    const instances = onMap(r);
    expect(instances.length).toBeGreaterThan(80);
    expect(p.unexplained + p.overCap).toBe(0);
    expect(Object.keys(p.instances).sort()).toEqual(instances.map((x) => x.id).sort());
    for (const { id, cell } of instances) {
      const why = p.instances[id]!.why;
      expect(why.placedOn).toBe(cell);
      // The winner leads the best cells (its bid or score), when the strategy ranked any.
      if (why.best.length > 0) expect(why.best[0]!.cell).toBe(cell);
    }
    // zone-outage kills a zone: instances were placed again after it, and their explanation is the later auction.
    expect(Math.max(...Object.values(p.instances).map((x) => x.atMs))).toBeGreaterThan(zoneOutage().events[0]!.at);
  });

  it('failures: one example per reason, each the reason the run counted', () => {
    const r = simulate(loadScenarioFile(resolveScenarioPath('isolation-segments')), { seed: 1, explain: { placements: true } });
    const reasons = Object.keys(r.summary.failuresByReason).sort();
    expect(reasons.length).toBeGreaterThan(0);
    expect(Object.keys(r.placementReasons!.failures).sort()).toEqual(reasons);
    for (const [reason, x] of Object.entries(r.placementReasons!.failures)) expect(x.why.rejected ?? x.why.reason).toBe(reason);
  });

  it('past its budget, a batch is skipped and its instances say so; later batches that fit are explained', () => {
    // zone-outage's first batch holds every instance (about 160 auctions over 30 cells: some 5,000
    // units); with a budget of 3,000 it is skipped, and the smaller batches after the outage fit.
    const r = simulate(zoneOutage(), { seed: 3, explain: { placements: true, budgets: { placements: 3_000 } } });
    const p = r.placementReasons!;
    expect(p.budget).toBe(3_000);
    expect(p.skippedAuctions).toBeGreaterThan(0);
    expect(p.unexplained).toBeGreaterThan(0);
    const explained = Object.values(p.instances);
    expect(explained.length).toBeGreaterThan(0);
    // Only auctions after the first batch were explained, and each names the cell its instance is on.
    for (const x of explained) expect(x.atMs).toBeGreaterThan(0);
    for (const c of r.placement.cells) c.lrps.forEach((a, k) => {
      const x = p.instances[`${r.placement.apps[a]!.guid}.${c.indices[k]!}`];
      if (x) expect(x.why.placedOn).toBe(c.id);
    });
    expect(explained.length + p.unexplained).toBe(r.placement.cells.reduce((n, c) => n + c.lrps.length, 0));
  });
});

describe('the report\'s placements across an auctioneer failover', () => {
  // An auctioneer killed while its batch is out (at 60,003 ms the cells have been sent the work;
  // at 60,002.3 ms not yet): the standby takes over and convergence places what was lost.
  const failover = (killAt: string) =>
    parseScenarioText(
      `duration: 6m
seed: 3
cells:
  - { count: 12, zones: [z1, z2, z3], memoryMB: 16384, diskMB: 32768, containers: 100 }
apps:
  - { name: web, count: 6, instances: 3, memoryMB: 512, diskMB: 1024 }
events:
  - { at: 1m, scale: { app: web, instances: 8 } }
  - { at: ${killAt}, killAuctioneer: true }
  - { at: 2m, scale: { app: web, instances: 12 } }
  - { at: 3m, kill: { fraction: 0.3 } }
`,
      'failover.yaml',
    );

  it('a batch skipped after a lost one does not revive the lost batch\'s decisions', () => {
    const sc = failover('60002.3ms');
    const full = simulate(sc, { explain: { placements: true } }).placementReasons!;
    const small = simulate(sc, { explain: { placements: true, budgets: { placements: 1_500 } } }).placementReasons!;
    expect(small.skippedAuctions).toBeGreaterThan(0);
    const explained = Object.entries(small.instances);
    expect(explained.length).toBeGreaterThan(0);
    // Whatever the budget explains is the auction the full budget names.
    for (const [id, x] of explained) expect(x.atMs, id).toBe(full.instances[id]!.atMs);
  });

  it('work sent by an auctioneer that stopped before reporting it is explained, and says so', () => {
    const r = simulate(failover('60003ms'), { explain: { placements: true } });
    const p = r.placementReasons!;
    expect(p.unexplained).toBe(0);
    const unreported = Object.entries(p.instances).filter(([, x]) => x.unreported === true);
    expect(unreported.length).toBeGreaterThan(0);
    for (const [, x] of unreported) expect(x.atMs).toBeLessThanOrEqual(60_003);
  });
});
