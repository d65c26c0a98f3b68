// Recurring tasks (`cron:`): one task per tick, named for it; the concurrency policies as Kubernetes
// documents them; ticks due while no auctioneer holds the lock caught up or missed; a deadline that
// cancels; a history that is trimmed; and never a tick run twice, across an auctioneer's death too.
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseScenarioText, scenarioDocument, simulate, startSimulation } from '../../src/sim.js';
import type { CronSummary } from '../../src/results/run-result.js';
import { scenarioProblems as bad } from './scenario-problems.js';

const CELLS = `
name: cron
duration: 30m
cells: [{ count: 4, zones: [z1, z2], memoryMB: 8192 }]
`;

function cron(text: string, opts: { safety?: boolean } = {}): { byName: Map<string, CronSummary>; r: ReturnType<typeof simulate> } {
  const r = simulate(parseScenarioText(`${CELLS}${text}`, 'cron.yaml'), opts);
  return { byName: new Map((r.summary.cron ?? []).map((c) => [c.name, c])), r };
}

describe('cron entries', () => {
  it('allow runs every tick; forbid skips a tick while the last still runs; replace cancels it for the new one', () => {
    const { byName, r } = cron(`cron:
  - { name: report, schedule: "*/5 * * * *", duration: 2m }
  - { name: sync, schedule: "@every 90s", concurrency: forbid, duration: 2m }
  - { name: backup, schedule: "@every 4m", concurrency: replace, duration: 6m }
`);
    // Ticks at 5, 10, ..., 30 min: the last one, at the very end, has its record on its way (a BBS write).
    expect(byName.get('report')).toMatchObject({ ticks: 6, created: 5, started: 5, onTime: 5, late: 0, missed: 0, skipped: 0, waiting: 1, replaced: 0, succeeded: 5 });
    // A 2 min task every 90 s: forbid holds a tick back while the one before runs, then runs it late
    // (Kubernetes); a tick held back when a newer one comes is skipped. Every tick is accounted for.
    const sync = byName.get('sync')!;
    expect(sync).toMatchObject({ ticks: 20, created: 14, skipped: 5, waiting: 1, replaced: 0, missed: 0 });
    expect(sync.created + sync.skipped + sync.missed + sync.waiting).toBe(sync.ticks);
    expect(sync.late).toBeGreaterThan(0);
    // A 6 min task every 4 min: each tick but the first cancels the one before.
    expect(byName.get('backup')).toMatchObject({ ticks: 7, created: 7, replaced: 6, succeeded: 0, failures: { 'task was cancelled': 6 } });
    expect(r.summary.tasksRunTwice).toBe(0);
  });

  it('names each tick task for its entry and its time on the calendar (simulated 0 is Monday 2024-01-01 00:00 UTC)', () => {
    const text = `${CELLS.replace('duration: 30m', 'duration: 144h')}cron:\n  - { name: report, schedule: "0 9 * * 1-5", duration: 1m }\n`;
    const sim = startSimulation(parseScenarioText(text, 'c.yaml', { allowLarge: true }), { safety: false });
    const at = (h: number) => {
      sim.runUntil(h * 3_600_000 + 1000);
      return [...sim.world.bbs.tasks.keys()].filter((g) => g.startsWith('report-'));
    };
    expect(at(9)).toEqual(['report-20240101T090000Z']);
    expect(at(33)).toContain('report-20240102T090000Z');
    // Saturday and Sunday (days 5 and 6) do not tick.
    expect(at(5 * 24 + 9).some((g) => g.startsWith('report-20240106'))).toBe(false);
  });

  it('never runs a tick twice across an auctioneer killed at any instant of a tick: the record is written before the task is sent', () => {
    // serviceTime's BBS write (5 ms by default) is the record's: killed while it is on its way, the
    // record never lands and the successor sends the tick, late; killed after, the tick ran once.
    for (const at of ['5m', '5m0.002s', '5m0.004s', '5m0.005s', '5m0.006s', '5m1s']) {
      const { byName, r } = cron(`cron:\n  - { name: report, schedule: "*/5 * * * *", duration: 1s, historyLimit: 0 }\nevents:\n  - { at: ${at}, killAuctioneer: true }\n`, { safety: true });
      const c = byName.get('report')!;
      expect(c.created, at).toBeLessThanOrEqual(c.ticks);
      expect(c.created + c.skipped + c.missed + c.waiting, at).toBe(c.ticks);
      expect([c.duplicatesRejected, r.summary.tasksRunTwice], at).toEqual([0, 0]);
      expect(r.safety?.violations, at).toEqual([]);
    }
    // The history limit 0 deletes each task as it completes: even then the successor does not send it again.
    const { byName } = cron(`cron:\n  - { name: report, schedule: "*/5 * * * *", duration: 1s, historyLimit: 0 }\nlock: { ttl: 3m }\nevents:\n  - { at: 5m0.010s, killAuctioneer: true }\n`);
    expect(byName.get('report')).toMatchObject({ ticks: 6, duplicatesRejected: 0 });
    expect(byName.get('report')!.created).toBeLessThanOrEqual(5);
  });

  it('a tick due while no auctioneer holds the lock is caught up on its return, late; past the starting deadline it is missed', () => {
    const kill = 'events:\n  - { at: 9m59s, killAuctioneer: true }\n';
    // The standby takes the lock once the dead one's 15 s lease lapses: the 10 min tick runs ~14 s late.
    const late = cron(`cron:\n  - { name: report, schedule: "*/5 * * * *", duration: 1m }\n${kill}`).byName.get('report')!;
    expect([late.created, late.late, late.missed, late.waiting]).toEqual([5, 1, 0, 1]);
    expect(late.latenessMs.max).toBeGreaterThan(10_000);
    const missed = cron(`cron:\n  - { name: report, schedule: "*/5 * * * *", duration: 1m, startingDeadline: 5s }\n${kill}`).byName.get('report')!;
    expect([missed.created, missed.missed, missed.late, missed.waiting]).toEqual([4, 1, 0, 1]);
  });

  it('with no standby, ticks pile up waiting for an auctioneer that never comes: said as waiting at the end', () => {
    const text = `auctioneers: 1\ncron:\n  - { name: tick, schedule: "@every 1m", duration: 10s }\nevents:\n  - { at: 2m30s, killAuctioneer: true }\n`;
    const c = cron(text).byName.get('tick')!;
    // Ticks at 1..30 min; 1 and 2 ran; none after the only auctioneer died.
    expect([c.ticks, c.created, c.missed, c.waiting]).toEqual([30, 2, 0, 28]);
  });

  it('a task that cannot start within the starting deadline is cancelled and counted missed', () => {
    const c = cron(`cron:\n  - { name: huge, schedule: "@every 5m", memoryMB: 100000, startingDeadline: 1m }\n`).byName.get('huge')!;
    // The tick at the very end (30 min) has its record on its way.
    expect([c.ticks, c.created, c.started, c.missed, c.waiting]).toEqual([6, 5, 0, 5, 1]);
    expect(c.failures).toEqual({ 'task was cancelled': 5 });
  });

  it('keeps only the history limit of completed tick tasks in the BBS', () => {
    const sim = startSimulation(parseScenarioText(`${CELLS}cron:\n  - { name: tick, schedule: "@every 1m", duration: 5s, historyLimit: 2 }\n`, 'c.yaml'));
    sim.runUntil(20 * 60_000);
    const done = [...sim.world.bbs.tasks.values()].filter((t) => t.state === 'COMPLETED');
    expect(done.map((t) => t.guid)).toEqual(['tick-20240101T001800Z', 'tick-20240101T001900Z']);
  });

  it('prints its entries, and the printed scenario runs to the same digest; a scenario without cron entries is as before', () => {
    const s = parseScenarioText(`${CELLS}cron:\n  - { name: report, schedule: "*/5 * * * *", startingDeadline: 30s, cpuMilli: 500 }\n`, 'c.yaml');
    const printed = stringify(scenarioDocument(s));
    expect(printed).toContain('schedule: "*/5 * * * *"');
    expect(printed).toContain('startingDeadline: 30s');
    expect(simulate(parseScenarioText(printed, 'p.yaml')).digest).toBe(simulate(s).digest);
    expect(stringify(scenarioDocument(parseScenarioText(CELLS, 'n.yaml')))).not.toContain('cron:');
  });

  it('bad entries: one line each', () => {
    expect(bad(`${CELLS}cron: [{ name: r, schedule: "61 * * * *" }]`)).toEqual(['bad.yaml: cron[0].schedule: expected minute 0-59, hour 0-23, day of month 1-31, month 1-12 or JAN-DEC, day of week 0-7 or SUN-SAT (numbers, *, ranges a-b, steps /n, lists a,b), got "61 * * * *"']);
    expect(bad(`${CELLS}cron: [{ name: r, schedule: "0 0 L * *" }]`)).toHaveLength(1);
    expect(bad(`${CELLS}cron: [{ name: "a b", schedule: "@hourly" }]`)).toEqual(['bad.yaml: cron[0].name: expected letters, digits, "_" or "-" (1 to 100: its tasks are <name>-<tick time>), got "a b"']);
    expect(bad(`${CELLS}cron: [{ name: r, schedule: "@hourly", startingDeadline: 0s }]`)).toEqual(['bad.yaml: cron[0].startingDeadline: expected a duration above 0 (a task cannot start at the instant of its tick), got 0ms']);
    expect(bad(`${CELLS}cron: [{ name: r, schedule: "@hourly", from: 40m }]`)).toEqual(['bad.yaml: cron[0].from: expected a time within the run (up to 30m), got 40m']);
    expect(bad(`${CELLS}cron: [{ name: r, schedule: "@every 0s" }]`)).toEqual(['bad.yaml: cron[0].schedule: expected a period of at least 1s, got "@every 0s"']);
    expect(bad(`${CELLS}cron: [{ name: r, schedule: "@hourly" }, { name: r, schedule: "@daily" }]`)).toEqual(['bad.yaml: cron[1].name: duplicate cron entry "r"']);
    expect(bad(`${CELLS}cron: [{ name: r, schedule: "@hourly", concurrency: sometimes }]`)).toEqual(['bad.yaml: cron[0].concurrency: expected allow, forbid or replace, got "sometimes"']);
    expect(bad(`${CELLS}cron: [{ name: r, schedule: "@hourly", from: 10m, until: 5m }]`)).toEqual(['bad.yaml: cron[0].until: expected a time at or after from (10m), got 5m']);
    expect(bad(`${CELLS}cron: [{ name: r }]`)).toEqual(['bad.yaml: cron[0].schedule: missing (expected a schedule such as "*/5 * * * *" or "@every 90s")']);
  });
});
