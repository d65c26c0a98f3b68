// Work already running when a run starts (`runningOn`, what `import cfdot` writes): on its cells at
// t=0 in the BBS, the reps and the route table alike; what cannot be there is auctioned and said;
// faults on it are recovered with nothing lost, run twice or orphaned.
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { scenarioProblems as bad } from './scenario-problems.js';
import { parseScenarioText, scenarioDocument, simulate, startSimulation, type Simulation } from '../../src/sim.js';
import { checkSafety } from '../../src/testing/index.js';

// Every instance on a live cell, `<app>.<index>@<cell>`, sorted.
function instances(sim: Simulation): string[] {
  return sim.world.cells.filter((c) => c.alive).flatMap((c) => c.rep.state.LRPs.map((l) => `${l.process_guid}.${l.index}@${c.id}`)).sort();
}


const CELLS = `
name: foundation
duration: 3m
startup: 2s
cells:
  - { count: 4, zones: [z1, z2], memoryMB: 4096, diskMB: 8192, containers: 10 }
`;

const FOUNDATION = `${CELLS}
apps:
  - { name: web, instances: 4, memoryMB: 1024, runningOn: [cell-00, cell-00, cell-01, null] }
  - { name: api, instances: 2, memoryMB: 512, runningOn: [cell-02, cell-03] }
events:
  - { at: 0s, task: { name: job, memoryMB: 512, duration: 90s, runningOn: cell-03 } }
`;

describe('work running from the start (runningOn)', () => {
  it('is RUNNING on its cells at t=0 in the BBS, the reps and the routes; an index without a cell is auctioned', () => {
    const sim = startSimulation(parseScenarioText(FOUNDATION, 'f.yaml'));
    sim.runUntil(0);
    const w = sim.world;
    const where = (guid: string) => [...(w.bbs.actual.get(guid)?.values() ?? [])].map((g) => `${g.index}:${g.ordinary?.state}@${g.ordinary?.cell}`).sort();
    expect(where('web')).toEqual(['0:RUNNING@cell-00', '1:RUNNING@cell-00', '2:RUNNING@cell-01', '3:UNCLAIMED@']);
    expect(where('api')).toEqual(['0:RUNNING@cell-02', '1:RUNNING@cell-03']);
    // The reps hold their resources and list them running, not starting.
    const c0 = w.cellById.get('cell-00')!.rep.state;
    expect([c0.AvailableResources.MemoryMB, c0.LRPs.map((l) => l.state), c0.StartingContainerCount]).toEqual([2048, ['RUNNING', 'RUNNING'], 0]);
    expect(w.bbs.tasks.get('job')).toMatchObject({ state: 'RUNNING', cell: 'cell-03', starts: 1 });
    expect(w.cellById.get('cell-03')!.rep.state.AvailableResources.MemoryMB).toBe(4096 - 512 - 512);
    expect([w.routableOf('web'), w.routableOf('api'), w.bbs.missing]).toEqual([3, 2, 1]);
    expect(checkSafety(w)).toEqual([]);
    const r = sim.finish();
    expect(r.summary.initial).toEqual({ instances: 5, tasks: 1, refused: 0, refusals: [] });
    // Only web.3 went to auction; the task ran once, for its duration from t=0.
    expect([r.summary.placed, r.summary.missingAtEnd, r.summary.tasksCompleted, r.summary.tasksRunTwice]).toEqual([1, 0, 1, 0]);
  });

  it('work that cannot be on its cell (full, unknown rootfs) goes to auction, and the summary says which and why', () => {
    const sim = startSimulation(
      parseScenarioText(
        `${CELLS}apps:\n  - { name: big, instances: 2, memoryMB: 3000, runningOn: [cell-00, cell-00] }\n  - { name: win, instances: 1, rootfs: "preloaded:windows2019", runningOn: [cell-01] }\n`,
        'f.yaml',
      ),
      { safety: true },
    );
    const r = sim.finish();
    expect(r.summary.initial).toEqual({
      instances: 1,
      tasks: 0,
      refused: 2,
      refusals: ['big.1 on cell-00: insufficient resources: memory', 'win.0 on cell-01: failed to create container: rootfs preloaded:windows2019 not found'],
    });
    // big.1 found another cell; win fits nowhere and fails its auctions as Diego's would.
    const big = instances(sim).filter((x) => x.startsWith('big.'));
    expect(big).toHaveLength(2);
    expect(big[0]).toBe('big.0@cell-00');
    expect(big[1]).not.toBe('big.1@cell-00');
    expect(r.summary.failuresByReason).toEqual({ 'found no compatible cell for required rootfs': expect.any(Number) });
    expect(r.safety?.violations).toEqual([]);
  });

  it('turns work away from a cell its placement tags exclude, or one cut off, as from a full one: auctioned, said, safety kept', () => {
    const text = `${CELLS}  - { count: 1, zones: [z3], prefix: iso, memoryMB: 4096, placementTags: [iso] }
apps:
  - { name: plain, instances: 1, runningOn: [iso-00] }
  - { name: tagged, instances: 1, placementTags: [iso], runningOn: [cell-00] }
  - { name: late, instances: 1, at: 1m, runningOn: [cell-01] }
events:
  - { at: 0s, task: { name: job, runningOn: iso-00 } }
  - { at: 30s, partition: z2 }
`;
    const r = simulate(parseScenarioText(text, 'f.yaml'), { safety: true });
    expect(r.summary.initial?.refusals).toEqual([
      "plain.0 on iso-00: placement tags [] do not match the cell's required [iso] and optional []",
      "tagged.0 on cell-00: placement tags [iso] do not match the cell's required [] and optional []",
      "task job on iso-00: placement tags [] do not match the cell's required [iso] and optional []",
      'late.0 on cell-01: the cell is cut off (zone z2 is partitioned)',
    ]);
    expect(r.safety?.violations).toEqual([]);
    expect([r.summary.missingAtEnd, r.summary.extraAtEnd]).toEqual([0, 0]);
  });

  it('a cell killed under them: its instances come back elsewhere once, its running task fails (Diego never runs a task twice)', () => {
    const text = `${FOUNDATION}  - { at: 40s, kill: { ids: [cell-03] } }\nexpect: { converged: true, safe: true, noTaskRanTwice: true }\n`;
    const sim = startSimulation(parseScenarioText(text, 'f.yaml'), { safety: true });
    sim.runUntil(39_000);
    const onCell03 = instances(sim).filter((x) => x.endsWith('@cell-03'));
    // api.1, and web.3, which its auction put on the emptiest cell.
    expect(onCell03).toEqual(['api.1@cell-03', 'web.3@cell-03']);
    const r = sim.finish();
    expect(r.expectations.every((e) => e.ok)).toBe(true);
    expect(r.summary.faults[0]).toMatchObject({ kind: 'kill', displaced: 2, back: 2 });
    expect(r.summary.taskFailures).toEqual({ 'cell disappeared before completion': 1 });
    // Each desired index runs exactly once at the end, nothing extra.
    expect(instances(sim).map((x) => x.split('@')[0])).toEqual(['api.0', 'api.1', 'web.0', 'web.1', 'web.2', 'web.3']);
    expect(r.summary.extraAtEnd).toBe(0);
  });

  it('starts every strategy from the same foundation, and runs to the same digest twice', () => {
    const s = parseScenarioText(FOUNDATION, 'f.yaml');
    const at0 = (strategy: string) => {
      const sim = startSimulation(s, { strategy });
      sim.runUntil(0);
      return sim.world.cells.map((c) => c.rep.state.LRPs.map((l) => `${l.process_guid}.${l.index}`).sort().join(','));
    };
    expect(at0('best-fit')).toEqual(at0('diego'));
    expect(simulate(s).digest).toBe(simulate(s).digest);
  });

  it('prints runningOn and the task fields, and the printed scenario runs to the same digest', () => {
    const s = parseScenarioText(FOUNDATION, 'f.yaml');
    const printed = stringify(scenarioDocument(s));
    expect(printed).toContain('runningOn:\n      - cell-00');
    expect(printed).toContain('runningOn: cell-03');
    expect(simulate(parseScenarioText(printed, 'printed.yaml')).digest).toBe(simulate(s).digest);
  });

  it('refuses runningOn on a group, a pushed app, more cells than instances, and cells that do not exist, one line each', () => {
    expect(bad(`${CELLS}apps: [{ name: a, count: 2, runningOn: [cell-00] }]`)).toEqual(['bad.yaml: apps[0].runningOn: expected an app of count 1 with it (each index runs on one cell), got count 2']);
    expect(bad(`${CELLS}apps: [{ name: a, push: true, runningOn: [cell-00] }]`)).toEqual([
      'bad.yaml: apps[0].runningOn: expected an app desired directly with it, not pushed (a pushed app runs nothing until it is staged)',
    ]);
    expect(bad(`${CELLS}apps: [{ name: a, instances: 1, runningOn: [cell-00, cell-01] }]`)).toEqual(['bad.yaml: apps[0].runningOn: expected at most 1 cell (one per instance), got 2']);
    expect(bad(`${CELLS}apps: [{ name: a, instances: 2, runningOn: [cell-00, cell-09] }]`)).toEqual(['bad.yaml: apps[0].runningOn[1]: no cell named "cell-09" (cells are cell-00 to cell-03)']);
    expect(bad(`${CELLS}apps: [{ name: a, runningOn: [""] }]`)).toEqual(['bad.yaml: apps[0].runningOn[0]: expected a cell id or null, got ""']);
    expect(bad(`${CELLS}apps: [{ name: a, runningOn: [7] }]`)).toEqual(['bad.yaml: apps[0].runningOn[0]: expected a cell id or null, got 7']);
    expect(bad(`${CELLS}events: [{ at: 0s, task: { name: t, runningOn: __proto__ } }]`)).toEqual(['bad.yaml: events[0].task: no cell named "__proto__" (cells are cell-00 to cell-03)']);
  });
});
