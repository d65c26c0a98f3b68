// The safety check on hand-made breaches: an index running twice, work where its constraints do not
// let it, and a clean world.
import { describe, expect, it } from 'vitest';
import { parseScenarioText, startSimulation } from '../../src/sim.js';
import { checkSafety } from '../../src/testing/index.js';

const world = () => {
  const sim = startSimulation(
    parseScenarioText(
      `seed: 2\nduration: 2m\nstartup: 1s\ncells:\n  - { count: 3, zones: [z1, z2], memoryMB: 4096, diskMB: 8192, containers: 20 }\n  - { count: 1, zones: [z1], memoryMB: 4096, diskMB: 8192, containers: 20, placementTags: [gold], prefix: gold }\napps: [{ name: web, instances: 3, memoryMB: 64 }]\n`,
      'safety.yaml',
    ),
  );
  sim.runUntil(60_000);
  return sim.world;
};

describe('checkSafety', () => {
  it('holds on a converged world', () => {
    expect(checkSafety(world())).toEqual([]);
  });

  it('sees an index running on two cells the BBS can see, whichever cell holds the stray copy', () => {
    const w = world();
    const home = w.cells.find((c) => c.rep.state.LRPs.some((l) => l.process_guid === 'web' && l.index === 1))!;
    const lrp = home.rep.state.LRPs.find((l) => l.process_guid === 'web' && l.index === 1)!;
    const other = w.cells.find((c) => c !== home && c.id.startsWith('cell-'))!;
    other.rep.handle({ kind: 'perform', cell: other.id, work: { LRPs: [{ ...lrp, instance_guid: 'stray' }], Tasks: [], cell_id: other.id } });
    expect(checkSafety(w)).toEqual([{ property: 'one-ordinary-instance', detail: 'web.1: 2 instances on live cells, 1 allowed' }]);
  });

  it('counts every container once: a record naming a container of another index does not hide a stray copy', () => {
    const w = world();
    const home = w.cells.find((c) => c.rep.state.LRPs.some((l) => l.process_guid === 'web' && l.index === 1))!;
    const running = home.rep.state.LRPs.find((l) => l.process_guid === 'web' && l.index === 1)!;
    // web.2's SUSPECT copy names web.1's container on its cell (a broken BBS), and a stray web.0 runs there too.
    const g2 = w.bbs.group('web', 2)!;
    g2.suspect = { ...w.bbs.group('web', 1)!.copyOrdinary('SUSPECT'), processGuid: 'web', index: 2 };
    const web0 = w.cells.flatMap((c) => c.rep.state.LRPs).find((l) => l.process_guid === 'web' && l.index === 0)!;
    home.rep.handle({ kind: 'perform', cell: home.id, work: { LRPs: [{ ...web0, instance_guid: 'stray' }], Tasks: [], cell_id: home.id } });
    expect(running.instance_guid).toBe(g2.suspect.instanceGuid);
    expect(checkSafety(w).filter((x) => x.property === 'one-ordinary-instance')).toEqual([{ property: 'one-ordinary-instance', detail: 'web.0: 2 instances on live cells, 1 allowed' }]);
  });

  it("counts a container against its own app, whatever app's context it carries", () => {
    const w = world();
    // A copy of a web instance (carrying web's context, as a spread copies it) renamed to an app the BBS does not know.
    const lrp = w.cells.flatMap((c) => c.rep.state.LRPs).find((l) => l.process_guid === 'web')!;
    const other = w.cells.find((c) => c.id.startsWith('cell-') && !c.rep.state.LRPs.includes(lrp))!;
    other.rep.handle({ kind: 'perform', cell: other.id, work: { LRPs: [{ ...lrp, process_guid: 'other', instance_guid: 'o1' }], Tasks: [], cell_id: other.id } });
    expect(checkSafety(w)).toEqual([]);
    // The same copy twice is an index of that app running twice.
    const third = w.cells.find((c) => c.id.startsWith('cell-') && c !== other)!;
    third.rep.handle({ kind: 'perform', cell: third.id, work: { LRPs: [{ ...lrp, process_guid: 'other', instance_guid: 'o2' }], Tasks: [], cell_id: third.id } });
    expect(checkSafety(w)).toEqual([{ property: 'one-ordinary-instance', detail: `other.${lrp.index}: 2 instances on live cells, 1 allowed` }]);
  });

  it('sees work on a cell whose placement tags or rootfs do not let it there', () => {
    const w = world();
    const lrp = w.cells.flatMap((c) => c.rep.state.LRPs).find((l) => l.process_guid === 'web')!;
    const gold = w.cells.find((c) => c.id.startsWith('gold'))!;
    // Two on the gold cell: the second is judged by the same rootfs as the first (a check works each
    // rootfs out once per cell), and named as well.
    gold.rep.handle({ kind: 'perform', cell: gold.id, work: { LRPs: [{ ...lrp, process_guid: 'other', instance_guid: 'g1' }, { ...lrp, process_guid: 'other2', instance_guid: 'g2' }], Tasks: [], cell_id: gold.id } });
    const plain = w.cells.find((c) => c.id.startsWith('cell-'))!;
    plain.rep.handle({ kind: 'perform', cell: plain.id, work: { LRPs: [{ ...lrp, process_guid: 'win', instance_guid: 'w1', RootFs: 'preloaded:windows2016' }], Tasks: [], cell_id: plain.id } });
    const v = checkSafety(w).filter((x) => x.property === 'placement-constraints');
    expect(v.map((x) => x.detail).sort()).toEqual([
      `other.${lrp.index} on ${gold.id}: placement tags [] do not match the cell's required [gold] and optional []`,
      `other2.${lrp.index} on ${gold.id}: placement tags [] do not match the cell's required [gold] and optional []`,
      `win.${lrp.index} on ${plain.id}: rootfs preloaded:windows2016 is not offered by the cell`,
    ]);
  });

  it('sees a record in a state Diego does not know, a copy that is not RUNNING or CLAIMED, and one in the wrong slot', () => {
    const w = world();
    const g0 = w.bbs.group('web', 0)!;
    (g0 as { state: string }).state = 'STOPPED';
    const g1 = w.bbs.group('web', 1)!;
    g1.suspect = { ...g1.copyOrdinary('SUSPECT'), state: 'UNCLAIMED' };
    const g2 = w.bbs.group('web', 2)!;
    g2.evacuating = g2.copyOrdinary('SUSPECT');
    const v = checkSafety(w).filter((x) => x.property === 'valid-records');
    expect(v.map((x) => x.detail)).toEqual([
      'web.0: STOPPED/ORDINARY in the ORDINARY slot',
      'web.1: UNCLAIMED/SUSPECT in the SUSPECT slot',
      'web.2: RUNNING/SUSPECT in the EVACUATING slot',
    ]);
  });

  it('finds each desired app\'s records whatever order the BBS lists its apps in', () => {
    const sim = startSimulation(
      parseScenarioText(
        `seed: 3\nduration: 2m\nstartup: 1s\ncells:\n  - { count: 3, zones: [z1], memoryMB: 4096, diskMB: 8192, containers: 20 }\napps:\n  - { name: web, instances: 2, memoryMB: 64 }\n  - { name: api, instances: 2, memoryMB: 64 }\n  - { name: db, instances: 1, memoryMB: 64 }\n`,
        'order.yaml',
      ),
    );
    sim.runUntil(60_000);
    const w = sim.world;
    expect(checkSafety(w)).toEqual([]);
    // The desired table now lists web last, the table of records first (as after web was desired again).
    const web = w.bbs.desired.get('web')!;
    w.bbs.desired.delete('web');
    w.bbs.desired.set('web', web);
    expect([...w.bbs.desired.keys()]).toEqual(['api', 'db', 'web']);
    expect([...w.bbs.actual.keys()]).toEqual(['web', 'api', 'db']);
    expect(checkSafety(w)).toEqual([]);
    w.bbs.group('web', 1)!.dropOrdinary();
    w.bbs.group('db', 0)!.dropOrdinary();
    expect(checkSafety(w).filter((x) => x.property === 'desired-accounted').map((x) => x.detail)).toEqual(['db.0 is desired but has no ActualLRP', 'web.1 is desired but has no ActualLRP']);
  });

  it('sees a desired index with no ordinary record', () => {
    const w = world();
    w.bbs.group('web', 2)!.dropOrdinary();
    expect(checkSafety(w).filter((x) => x.property === 'desired-accounted')).toEqual([{ property: 'desired-accounted', detail: 'web.2 is desired but has no ActualLRP' }]);
  });
});
