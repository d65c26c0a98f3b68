// What `cf app` (Diego's tps) shows for an app at one moment: each instance's state, presence,
// cell, since, crash count and placement error, read from the simulated BBS.
import type { ActualLRP } from './actors/bbs.js';
import type { World } from './world.js';
import { belongsTo } from './app-names.js';
import type { AppStatus, InstanceStatus } from '../results/app-status.js';

export type { AppStatus, InstanceStatus } from '../results/app-status.js';


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
