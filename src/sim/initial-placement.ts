// Work already running when it is desired: an imported foundation's instances and tasks (`runningOn`
// in a scenario; `auctionlab import cfdot` writes it). Each goes onto the cell named for it as if an
// auction had put it there long ago: the rep holds its resources, the BBS records it claimed and
// RUNNING (a task RUNNING), the executor runs its container and the route table counts it. What
// cannot be there (the cell is full, down, draining or cannot build its container) is auctioned as a
// new instance would be, and said in the run's summary.
import type { LRP, Task } from '../core/model/cell-state.js';
import { lrpAuctionId } from '../core/batch.js';
import type { DesiredLRP } from './actors/bbs.js';
import type { NewTask } from './actors/bbs-tasks.js';
import { asksResources, requestResources } from './work-resource-schema.js';
import type { World } from './world.js';

// Refusals kept word for word; the rest are counted (a foundation of 100,000 instances on cells a
// tenth its size would otherwise carry 100,000 lines).
const MAX_REFUSALS = 20;

// The instance as an auction would have sent it to the cell (see core/batch.ts), under a guid of its own.
function instanceOf(d: DesiredLRP, index: number): LRP {
  const lrp: LRP = {
    instance_guid: `${lrpAuctionId(d.processGuid, index)}-initial`,
    process_guid: d.processGuid,
    index,
    domain: 'cf-apps',
    PlacementTags: d.placementTags,
    VolumeDrivers: d.volumeDrivers,
    RootFs: d.rootfs,
    MemoryMB: d.memoryMB,
    DiskMB: d.diskMB,
    MaxPids: 0,
    state: '',
  };
  if (asksResources(d)) requestResources(d, lrp);
  return lrp;
}

function refuse(w: World, what: string, cell: string, why: string): void {
  const t = w.initialPlacement;
  t.refused++;
  if (t.refusals.length < MAX_REFUSALS) t.refusals.push(`${what} on ${cell}: ${why}`);
  w.kernel.note('initial-placement-refused', { work: what, cell, reason: why });
}

/**
 * Desires an app whose instances already run: index `i` on cell `runningOn[i]` (null, or an index
 * past the list: not running, auctioned now as Diego's BBS would on DesireLRP).
 */
export function desireRunning(w: World, d: DesiredLRP, runningOn: readonly (string | null)[]): void {
  let running = 0;
  w.bbs.desireAndCreate(d, (rec, i) => {
    const cellId = runningOn[i] ?? null;
    if (cellId !== null) {
      const cell = w.cellById.get(cellId);
      const why = cell ? w.executor.adoptLRP(cell, instanceOf(d, i), rec.group) : 'no such cell';
      if (why === null) {
        running++;
        return;
      }
      refuse(w, lrpAuctionId(d.processGuid, i), cellId, why);
    }
    w.requestLRP(d.processGuid, i, rec.group.app, rec);
  });
  w.initialPlacement.instances += running;
  w.kernel.note('desire', { app: d.processGuid, instances: d.instances, running });
}

/** Desires a task already running on a cell; one that cannot be there is auctioned. */
export function desireRunningTask(w: World, t: NewTask, cellId: string): void {
  if (!w.bbs.tasks.desire(t)) return;
  const cell = w.cellById.get(cellId);
  const task: Task = { TaskGuid: t.guid, Domain: 'cf-tasks', PlacementTags: t.placementTags, VolumeDrivers: [], RootFs: t.rootfs, MemoryMB: t.memoryMB, DiskMB: t.diskMB, MaxPids: 0, state: '', failed: false };
  if (asksResources(t)) requestResources(t, task);
  const why = cell ? w.executor.adoptTask(cell, task) : 'no such cell';
  if (why === null) {
    w.initialPlacement.tasks++;
    return;
  }
  refuse(w, `task ${t.guid}`, cellId, why);
  w.requestTask(t.guid);
}
