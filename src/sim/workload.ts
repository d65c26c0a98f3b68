// A scenario's apps desired in the simulated world (through staging when pushed), and the live
// guids of an app by its scenario name. The timed events are in events/, one file per kind.
import type { DesiredLRP } from './actors/bbs.js';
import { stage } from './push.js';
import { desireRunning } from './initial-placement.js';
import type { RouteTable } from './routes.js';
import { belongsTo } from './app-names.js';
import type { AppSpec } from './scenario-types.js';
import { asksResources, readWorkResources } from './work-resource-schema.js';
import type { World } from './world.js';

/** Desires member `n` of a scenario app group, through staging when the app is pushed. */
export function desireMember(w: World, routes: RouteTable, a: AppSpec, n: number): void {
  const d: DesiredLRP = {
    processGuid: a.count === 1 ? a.name : `${a.name}-${n}`,
    app: a.name,
    instances: a.instances,
    memoryMB: a.memoryMB,
    diskMB: a.diskMB,
    rootfs: a.rootfs,
    placementTags: a.placementTags,
    volumeDrivers: a.volumeDrivers,
    crash: a.crash,
  };
  // Set after, not spread in: the same keys in the same order, without a spread per app.
  if (a.healthCheck) d.healthCheck = a.healthCheck;
  if (a.dropletMB > 0) d.startupExtraMs = (a.dropletMB / w.scenario.fileServerMBps) * 1000;
  if (asksResources(a)) Object.assign(d, readWorkResources(a));
  const desire = () => {
    routes.addTarget(a.name, a.instances);
    if (a.runningOn !== undefined) desireRunning(w, d, a.runningOn);
    else w.api.desire(d);
  };
  if (a.staging) stage(w, d, a.staging, desire);
  else desire();
}

/** The live guids of an app or app group by its scenario name (any deployed version included). */
export function appGuids(w: World, name: string): string[] {
  return [...w.bbs.desired.keys()].filter((g) => belongsTo(g, name));
}
