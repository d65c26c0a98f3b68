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
    // Ticks at 5, 10, ..., 30 min: the last one at the very end has not started yet.
    expect(byName.get('report')).toMatchObject({ ticks: 6, created: 6, started: 5, onTime: 5, late: 0, missed: 0, skipped: 0, replaced: 0, succeeded: 5 });
    // A 2 min task every 90 s: every other tick finds the last one running.
    expect(byName.get('sync')).toMatchObject({ ticks: 20, created: 10, skipped: 10, started: 10, replaced: 0 });
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

  it('never runs a tick twice across an auctioneer killed between the desire and its record: the successor sends it again and the BBS refuses', () => {
    // serviceTime's BBS write (5 ms by default) is the window: the record of the 5 min tick lands at 5m0.005s.
    const { byName, r } = cron(`cron:\n  - { name: report, schedule: "*/5 * * * *", duration: 1m }\nevents:\n  - { at: 5m0.002s, killAuctioneer: true }\n`, { safety: true });
    const c = byName.get('report')!;
    expect(c.duplicatesRejected).toBe(1);
    expect([c.ticks, c.created, c.started, c.missed]).toEqual([6, 6, 5, 0]);
    expect(r.summary.tasksRunTwice).toBe(0);
    expect(r.safety?.violations).toEqual([]);
  });

  it('a tick due while no auctioneer holds the lock is caught up on its return, late; past the starting deadline it is missed', () => {
    const kill = 'events:\n  - { at: 9m59s, killAuctioneer: true }\n';
    // The standby takes the lock once the dead one's 15 s lease lapses: the 10 min tick runs ~14 s late.
    const late = cron(`cron:\n  - { name: report, schedule: "*/5 * * * *", duration: 1m }\n${kill}`).byName.get('report')!;
    expect([late.created, late.late, late.missed]).toEqual([6, 1, 0]);
    expect(late.latenessMs.max).toBeGreaterThan(10_000);
    const missed = cron(`cron:\n  - { name: report, schedule: "*/5 * * * *", duration: 1m, startingDeadline: 5s }\n${kill}`).byName.get('report')!;
    expect([missed.created, missed.missed, missed.late]).toEqual([5, 1, 0]);
  });

  it('with no standby, ticks pile up: the latest runs when an auctioneer returns, the ones before it are missed; those still waiting at the end are missed', () => {
    const text = `auctioneers: 1\ncron:\n  - { name: tick, schedule: "@every 1m", duration: 10s }\nevents:\n  - { at: 2m30s, killAuctioneer: true }\n`;
    const c = cron(text).byName.get('tick')!;
    // Ticks at 1..30 min; 1 and 2 ran; none after the only auctioneer died.
    expect([c.ticks, c.created, c.missed]).toEqual([30, 2, 28]);
  });

  it('a task that cannot start within the starting deadline is cancelled and counted missed', () => {
    const c = cron(`cron:\n  - { name: huge, schedule: "@every 5m", memoryMB: 100000, startingDeadline: 1m }\n`).byName.get('huge')!;
    // The tick at the very end (30 min) is still within its deadline.
    expect([c.ticks, c.created, c.started, c.missed]).toEqual([6, 6, 0, 5]);
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
    expect(bad(`${CELLS}cron: [{ name: r, schedule: "61 * * * *" }]`)).toEqual(['bad.yaml: cron[0].schedule: expected five cron fields (minute hour day-of-month month day-of-week, such as \'*/5 * * * *\'), a nickname (@hourly, @daily, @weekly, @monthly, @yearly) or \'@every <duration>\' (such as @every 90s): Invalid value for minute: 61, got "61 * * * *"']);
    expect(bad(`${CELLS}cron: [{ name: r, schedule: "@every 0s" }]`)).toEqual(['bad.yaml: cron[0].schedule: expected a period of at least 1s, got "@every 0s"']);
    expect(bad(`${CELLS}cron: [{ name: r, schedule: "@hourly" }, { name: r, schedule: "@daily" }]`)).toEqual(['bad.yaml: cron[1].name: duplicate cron entry "r"']);
    expect(bad(`${CELLS}cron: [{ name: r, schedule: "@hourly", concurrency: sometimes }]`)).toEqual(['bad.yaml: cron[0].concurrency: expected allow, forbid or replace, got "sometimes"']);
    expect(bad(`${CELLS}cron: [{ name: r, schedule: "@hourly", from: 10m, until: 5m }]`)).toEqual(['bad.yaml: cron[0].until: expected a time at or after from (600000ms), got 300000ms']);
    expect(bad(`${CELLS}cron: [{ name: r }]`)).toEqual(['bad.yaml: cron[0].schedule: missing (expected a schedule such as "*/5 * * * *" or "@every 90s")']);
  });
});
