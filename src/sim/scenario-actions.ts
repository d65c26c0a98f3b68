// A scenario's workload and events applied to the simulated world: apps desired (through staging when
// pushed), and each event (kills, recoveries, evacuations, partitions, scales, deletes, tasks,
// crashes, an auctioneer killed) carried out and, for faults, recorded.
import type { AppSpec, CellSelector, ScenarioEvent } from '../scenario/types.js';
import type { DesiredLRP } from './actors/bbs.js';
import type { SimCell } from './actors/cell.js';
import { stage } from './push.js';
import type { RouteTable } from './routes.js';
import { belongsTo } from './status.js';
import type { World } from './world.js';

/** An event in a few words, for the route lows during it. */
export function describeEvent(e: ScenarioEvent): string {
  switch (e.kind) {
    case 'kill':
    case 'recover':
    case 'evacuate':
      return `${e.kind} ${e.cells.kind === 'ids' ? e.cells.ids.join(',') : e.cells.kind === 'zone' ? `zone ${e.cells.zone}` : `${Math.round(e.cells.fraction * 100)}% of cells`}`;
    case 'partition':
    case 'heal':
      return `${e.kind} ${e.zone}`;
    case 'scale':
      return `scale ${e.app} to ${e.instances}`;
    case 'delete':
    case 'crash':
      return `${e.kind} ${e.app}`;
    case 'deploy':
      return `${e.style} deploy ${e.app}${e.stage ? ' (staged)' : ''}`;
    case 'killAuctioneer':
      return 'kill the active auctioneer';
    case 'task':
    case 'cancelTask':
      return `${e.kind} ${e.name}`;
  }
}

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
  const desire = () => {
    routes.addTarget(a.name, a.instances);
    w.desire(d);
  };
  if (a.staging) stage(w, d, a.staging, desire);
  else desire();
}

/** The cells an event selects: by id, by zone, or a seeded random fraction of those eligible. */
function select(w: World, sel: CellSelector, eligible: (c: SimCell) => boolean, rng: { int(n: number): number }): SimCell[] {
  if (sel.kind === 'ids') return sel.ids.map((id) => w.cellById.get(id)).filter((c): c is SimCell => c !== undefined && eligible(c));
  if (sel.kind === 'zone') return w.cells.filter((c) => c.zone === sel.zone && eligible(c));
  const pool = w.cells.filter(eligible);
  const want = Math.min(pool.length, Math.round(sel.fraction * w.cells.length));
  for (let i = 0; i < want; i++) {
    const j = i + rng.int(pool.length - i);
    [pool[i], pool[j]] = [pool[j] as SimCell, pool[i] as SimCell];
  }
  return pool.slice(0, want);
}

const cellCount = (n: number): string => (n === 1 ? '1 cell' : `${n} cells`);

/** Carries out one scenario event in the world (a fault is also recorded for its recovery time). */
export function applyEvent(w: World, e: ScenarioEvent, rng: { int(n: number): number }, routes: RouteTable): void {
  switch (e.kind) {
    case 'kill': {
      const cells = select(w, e.cells, (c) => c.alive, rng);
      for (const c of cells) w.faultInjector.killCell(c);
      w.faultInjector.mark('kill', cellCount(cells.length));
      break;
    }
    case 'recover':
      for (const c of select(w, e.cells, (c) => !c.alive || c.evacuatingSince >= 0, rng)) w.faultInjector.recoverCell(c);
      break;
    case 'evacuate': {
      const cells = select(w, e.cells, (c) => c.alive && c.evacuatingSince < 0, rng);
      for (const c of cells) w.faultInjector.evacuate(c);
      w.faultInjector.mark('evacuate', cellCount(cells.length));
      break;
    }
    case 'partition':
      w.faultInjector.partition(e.zone);
      w.faultInjector.mark('partition', e.zone);
      break;
    case 'heal':
      w.faultInjector.heal(e.zone);
      break;
    case 'scale': {
      const guids = appGuids(w, e.app);
      for (const guid of guids) w.scale(guid, e.instances);
      const app = routes.appOf(e.app);
      routes.targets.set(app, e.instances * new Set(guids.map((g) => g.replace(/@v\d+$/, ''))).size);
      break;
    }
    case 'delete':
      for (const guid of appGuids(w, e.app)) w.deleteApp(guid);
      routes.targets.set(routes.appOf(e.app), 0);
      break;
    case 'killAuctioneer':
      w.killActiveAuctioneer();
      w.faultInjector.mark('killAuctioneer', 'active auctioneer');
      break;
    case 'deploy':
      break; // started by the caller, which keeps the deploy's state
    case 'task':
      if (w.bbs.tasks.desire({ guid: e.name, memoryMB: e.memoryMB, diskMB: e.diskMB, rootfs: e.rootfs, placementTags: [], duration: e.duration })) w.requestTask(e.name);
      break;
    case 'cancelTask':
      w.cancelTask(e.name);
      break;
    case 'crash':
      for (const guid of appGuids(w, e.app)) w.crashInstance(guid, e.index);
      break;
  }
}

/** The live guids of an app or app group by its scenario name (any deployed version included). */
export function appGuids(w: World, name: string): string[] {
  return [...w.bbs.desired.keys()].filter((g) => belongsTo(g, name));
}
