// The cf push story in the simulator: staging through the auction, droplets, health checks and
// routes, zero-downtime deploys with a floor, isolation segments and stacks.
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, parseScenarioText, simulate } from '../../src/sim.js';
import { runReport } from '../../src/report/build.js';

const pushOne = (push: string, extra = '') =>
  parseScenarioText(
    `duration: 5m
cells:
  - { count: 6, zones: [z1, z2, z3], memoryMB: 8192 }
apps:
  - { name: web, instances: 4, memoryMB: 256, dropletMB: 100, healthCheck: { delay: 3s }, push: ${push} }
${extra}`,
    'push.yaml',
  );

describe('cf push', () => {
  it('a push stages through the auction, stores the droplet, and ends with every instance routable', () => {
    const r = simulate(pushOne('{ duration: 40s }'));
    const last = r.series[r.series.length - 1]!;
    expect(last.routes['web']).toBe(4);
    expect(last.desired).toBe(4);
    expect(r.summary.tasksCompleted).toBe(1);
    // Nothing runs before staging is done: 40 s of staging, then download (1 s) and health check (3 s).
    const firstRoutable = r.series.find((s) => s.routable > 0)!;
    expect(firstRoutable.t).toBeGreaterThanOrEqual(40_000 + 1000 + 3000);
    expect(r.series.filter((s) => s.t < 40_000).every((s) => s.desired === 0)).toBe(true);
  });

  it('a failed staging leaves no LRP desired', () => {
    const r = simulate(pushOne('{ failureProbability: 1 }'));
    expect(r.summary.taskFailures).toEqual({ 'staging failed': 1 });
    expect(r.series.every((s) => s.desired === 0 && s.routable === 0)).toBe(true);
    expect(r.summary.desiredAtEnd).toBe(0);
  });

  it('a failing health check crashes the instance instead of running it; it is restarted', () => {
    const s = parseScenarioText(
      'duration: 6m\ncells: [{ count: 3, zones: [z1], memoryMB: 4096 }]\napps: [{ name: flaky, instances: 10, memoryMB: 128, healthCheck: { delay: 1s, failureProbability: 0.3 } }]\nexpect: { converged: true }',
      'flaky.yaml',
    );
    const r = simulate(s);
    expect(r.summary.crashes).toBeGreaterThan(0);
    expect(r.series[r.series.length - 1]!.routes['flaky']).toBe(10);
    expect(r.expectations.every((e) => e.ok)).toBe(true);
  });

  it('push-storm: 300 pushes in a minute end converged; each staging failure leaves its app undesired', () => {
    const r = simulate(loadScenarioFile('scenarios/push-storm.yaml'));
    const failedStagings = r.summary.taskFailures['staging failed'] ?? 0;
    expect(r.summary.tasksCompleted + failedStagings).toBe(300);
    expect(r.summary.desiredAtEnd).toBe((300 - failedStagings) * 2);
    expect(r.series[r.series.length - 1]!.routes['app']).toBe(r.summary.desiredAtEnd);
    expect(r.expectations.every((e) => e.ok)).toBe(true);
  });
});

describe('deploys and the routable floor', () => {
  it('rolling-deploy keeps every app at or above the declared floor under the default strategy, and the report shows the routes', () => {
    const r = simulate(loadScenarioFile('scenarios/rolling-deploy.yaml'));
    expect(r.expectations.find((e) => e.name === 'routableFloor')).toMatchObject({ ok: true });
    expect(Object.keys(r.summary.routes).sort()).toEqual(['web', 'worker']);
    for (const low of Object.values(r.summary.routes)) expect(low.minFraction).toBeGreaterThanOrEqual(0.8);
    // The deploy really replaced every instance: the new versions run, the old are gone.
    const web = r.placement.apps.map((a) => a.guid).filter((g) => g.startsWith('web'));
    expect(web).toEqual(['web@v2']);
    const report = runReport(r);
    const chart = report.sections.flatMap((s) => s.charts).find((c) => c.id === 'routes')!;
    expect(chart.caption).toMatch(/Lowest once whole: (web|worker) \d+\/\d+ \(\d+%\) at \d+\.\d min/);
    expect(chart.config.data.datasets.map((d) => d['label']).sort()).toEqual(['web', 'worker']);
  });

  it('a fault that takes half the cells dips below the floor, and the expectation says how far and when', () => {
    const s = parseScenarioText(
      `duration: 6m
cells: [{ count: 6, zones: [z1, z2, z3], memoryMB: 16384 }]
startup: 20s
apps: [{ name: web, instances: 12, memoryMB: 256 }]
events: [{ at: 2m, kill: 50% }]
expect: { routableFloor: 0.8 }`,
      'dip.yaml',
    );
    const r = simulate(s);
    const floor = r.expectations.find((e) => e.name === 'routableFloor')!;
    expect(floor.ok).toBe(false);
    expect(floor.detail).toMatch(/^lowest: web \d+\/12 routable \(\d+%\) at 2\.\d min; floor 80%; below it: web$/);
    expect(r.summary.routes['web']!.minFraction).toBeLessThan(0.8);
    // The minimum during the event, per app.
    expect(r.summary.routesDuringEvents.map((e) => [e.event, e.atMs])).toEqual([['kill 50% of cells', 120_000]]);
    expect(r.summary.routesDuringEvents[0]!.lows['web']).toEqual(r.summary.routes['web']);
  });
});

describe('isolation segments and stacks', () => {
  const r = simulate(loadScenarioFile('scenarios/isolation-segments.yaml'));
  const cellOf = new Map(r.placement.cells.map((c) => [c.id, c]));
  const instancesOf = (prefix: string) =>
    r.placement.cells.flatMap((c) => c.lrps.map((a) => ({ app: r.placement.apps[a]!.guid, cell: c.id }))).filter((x) => x.app.startsWith(prefix));

  it('windows apps never land on linux cells, docker apps never on windows cells', () => {
    expect(instancesOf('win-app')).toHaveLength(10);
    for (const x of instancesOf('win-app')) expect(x.cell).toMatch(/^win-/);
    for (const x of instancesOf('docker-app')) expect(x.cell).not.toMatch(/^win-/);
  });

  it('tagged apps run only in their segment, untagged apps never in one', () => {
    for (const x of instancesOf('silver-app')) expect(x.cell).toMatch(/^silver-/);
    for (const x of instancesOf('shared')) expect(cellOf.get(x.cell)!.id).toMatch(/^cell-/);
  });

  it("when the gold segment is lost its apps fail with Diego's placement-tag error while the others run", () => {
    expect(Object.keys(r.summary.failuresByReason)).toEqual(['found no compatible cell with placement tag "gold"']);
    expect(r.summary.missingAtEnd).toBe(10);
    expect(instancesOf('gold-app')).toEqual([]);
    expect(instancesOf('shared')).toHaveLength(60);
    expect(instancesOf('silver-app')).toHaveLength(20);
  });
});
