// What `cf app` (Diego's tps) shows for an app at one moment: each instance's state, presence,
// cell, since, crash count and placement error, read from the simulated BBS.
import type { ActualLRP } from './actors/bbs.js';
import type { World } from './world.js';

/** One instance record as `cf app` lists it. */
export interface InstanceStatus {
  /** Process guid (an app group's member, or a deployed version such as `web@v2`). */
  processGuid: string;
  /** Index. */
  index: number;
  /** Diego state: UNCLAIMED, CLAIMED, RUNNING, CRASHED. */
  state: string;
  /** ORDINARY, EVACUATING or SUSPECT. */
  presence: string;
  /** Its cell ('' while UNCLAIMED). */
  cell: string;
  /** When it entered its state (ms of simulated time). */
  sinceMs: number;
  /** Crash count. */
  crashCount: number;
  /** Why its last auction failed ('' if none). */
  placementError: string;
}

/** An app's status at one time. */
export interface AppStatus {
  /** The app as asked (a scenario app name). */
  app: string;
  /** Simulated time (ms). */
  atMs: number;
  /** Desired instances per process guid of the app at that time. */
  desired: Record<string, number>;
  /** Every instance record, by process guid then index, ordinary before evacuating before suspect. */
  instances: InstanceStatus[];
}

/** Whether a process guid belongs to the scenario app `name` (its group members and deployed versions). */
export function belongsTo(processGuid: string, name: string): boolean {
  const base = processGuid.replace(/@v\d+$/, '');
  return base === name || base.startsWith(`${name}-`);
}

/** Orders guids as people count: `web-2` before `web-10` (digit runs compare as numbers). */
export function naturalCompare(a: string, b: string): number {
  const re = /(\d+)|(\D+)/g;
  const pa = a.match(re) ?? [];
  const pb = b.match(re) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i] as string;
    const y = pb[i] as string;
    if (x === y) continue;
    const nx = /^\d/.test(x);
    const ny = /^\d/.test(y);
    if (nx && ny && Number(x) !== Number(y)) return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** The status of app `name` in the world now. */
export function appStatus(w: World, name: string): AppStatus {
  const guids = new Set<string>();
  for (const g of w.bbs.desired.keys()) if (belongsTo(g, name)) guids.add(g);
  for (const g of w.bbs.actual.keys()) if (belongsTo(g, name)) guids.add(g);
  const desired: Record<string, number> = {};
  const instances: InstanceStatus[] = [];
  const row = (r: ActualLRP): InstanceStatus => ({
    processGuid: r.processGuid,
    index: r.index,
    state: r.state,
    presence: r.presence,
    cell: r.cell,
    sinceMs: r.since,
    crashCount: r.crashCount,
    placementError: r.placementError,
  });
  for (const guid of [...guids].sort(naturalCompare)) {
    const d = w.bbs.desired.get(guid);
    if (d) desired[guid] = d.instances;
    const byIndex = w.bbs.actual.get(guid);
    if (!byIndex) continue;
    for (const index of [...byIndex.keys()].sort((a, b) => a - b)) {
      const g = byIndex.get(index);
      if (!g) continue;
      for (const r of [g.ordinary, g.evacuating, g.suspect]) if (r) instances.push(row(r));
    }
  }
  return { app: name, atMs: w.kernel.now, desired, instances };
}
