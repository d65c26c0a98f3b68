// The timeline keeps every frame: rebuilt by the report's client, each is the snapshot it was made
// from, over a run with a zone outage (cells partitioned, instances moved, then healed).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compactApps, TimelineRecorder } from '../../src/metrics/placement-timeline.js';
import type { PlacementSnapshot } from '../../src/metrics/placement-snapshot.js';
import { loadScenarioFile, resolveScenarioPath, simulate, startSimulation } from '../../src/sim.js';
import { MAX_TIMELINE_FRAMES } from '../../src/sim/simulate.js';
import { placementOf } from '../../src/sim/summary.js';
import { frameAt, timelineApps } from '../../src/report/client/report-client.js';

// A snapshot with its instances named by guid (app tables differ between snapshots and the timeline).
const named = (p: PlacementSnapshot) =>
  p.cells.map((c) => ({
    ...c,
    lrps: c.lrps.map((a, k) => `${p.apps[a]!.guid}.${c.indices[k]!}:${c.states[k]!}`).sort(),
    indices: undefined,
    states: undefined,
  }));

describe('placement timeline', () => {
  const scenario = loadScenarioFile(resolveScenarioPath('zone-outage'));
  const sim = startSimulation(scenario, { seed: 1 });
  const rec = new TimelineRecorder();
  const snapshots: PlacementSnapshot[] = [];
  // Every 50 ms at first, while instances start (a state that changes without a move), then every 15 s.
  const times = [...Array.from({ length: 40 }, (_, i) => i * 50), ...Array.from({ length: Math.floor(scenario.durationMs / 15_000) }, (_, i) => (i + 1) * 15_000)];
  for (const t of times) {
    sim.runUntil(t);
    const p = placementOf(sim.world);
    snapshots.push(p);
    rec.add(t, p);
  }
  const timeline = rec.timeline();

  it('every frame rebuilds to the snapshot it was made from', () => {
    // Some frames hold instances still starting, so a change of state alone is recorded too.
    expect(snapshots.some((p) => p.cells.some((c) => c.states.includes('s')))).toBe(true);
    expect(timeline.times.length).toBe(snapshots.length);
    snapshots.forEach((p, k) => expect(named(frameAt(timeline, k) as PlacementSnapshot), `frame ${k}`).toEqual(named(p)));
  });

  it('records only what changed: quiet frames are small, the key frame holds every instance', () => {
    const key = timeline.frames[0]!;
    expect(key.length).toBe(timeline.cells.length);
    const sizes = timeline.frames.map((f) => f.reduce((n, ch) => n + (ch.add?.length ?? 0) + (ch.remove?.length ?? 0), 0));
    // Some frame late in the run, with nothing moving, records no instance at all.
    expect(sizes.slice(-5).some((n) => n === 0)).toBe(true);
    expect(JSON.stringify(timeline).length).toBeLessThan(snapshots.length * JSON.stringify(snapshots.at(-1)).length / 4);
  });

  it('apps are sorted by guid, written compactly and read back whole; a snapshot of other cells is refused', () => {
    const apps = timelineApps(timeline);
    const guids = apps.map((a) => a.guid);
    expect(new Set(guids)).toEqual(new Set(snapshots.flatMap((p) => p.apps.map((a) => a.guid))));
    for (const a of apps) expect(a.memoryMB).toBe(snapshots.flatMap((p) => p.apps).find((x) => x.guid === a.guid)!.memoryMB);
    expect(guids).toEqual([...guids].sort());
    expect(() => rec.add(0, { apps: [], cells: [] })).toThrow(/a snapshot of 0 cells after 30/);
  });
});

describe('a run\'s timeline', () => {
  const scenario = loadScenarioFile(resolveScenarioPath('zone-outage'));
  const plain = simulate(scenario, { seed: 1 });
  const r = simulate(scenario, { seed: 1, timeline: true });
  const t = r.timeline!;

  it('changes nothing of the run, and ends on the run\'s final placement', () => {
    expect(r.digest).toBe(plain.digest);
    expect(plain.timeline).toBeUndefined();
    expect(t.times.at(-1)).toBe(scenario.durationMs);
    expect(named(frameAt(t, t.times.length - 1) as PlacementSnapshot)).toEqual(named(r.placement));
  });

  it('a frame at each scenario event, showing it: the partitioned zone at the moment of the partition', () => {
    const event = scenario.events[0]!;
    const k = t.times.indexOf(event.at);
    expect(k).toBeGreaterThan(0);
    const frame = frameAt(t, k);
    expect(frame.cells.filter((c: { status: string }) => c.status === 'partitioned').length).toBeGreaterThan(0);
    expect(frameAt(t, k - 1).cells.every((c: { status: string }) => c.status === 'live')).toBe(true);
  });

  it('frames evenly over the run, at most MAX_TIMELINE_FRAMES of them and one per event besides', () => {
    expect(t.times.length).toBeLessThanOrEqual(MAX_TIMELINE_FRAMES + scenario.events.length + 1);
    expect(t.times.length).toBeGreaterThan(20);
    for (let i = 1; i < t.times.length; i++) expect(t.times[i]!).toBeGreaterThanOrEqual(t.times[i - 1]!);
  });
});

describe('compact app tables', () => {
  it('read back to the same guids and sizes, whatever the guids (shared starts, unicode, empty, prototype names)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.record({ guid: fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'app-1', 'app-10', 'app-1é')), memoryMB: fc.constantFrom(32, 128, 1024) }), { selector: (a) => a.guid }), (raw) => {
        const apps = [...raw].sort((x, y) => (x.guid < y.guid ? -1 : x.guid > y.guid ? 1 : 0));
        expect(timelineApps({ apps: compactApps(apps) } as never)).toEqual(apps);
      }),
      { numRuns: 300 },
    );
  });
});
