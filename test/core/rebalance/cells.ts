// Cells for the rebalancing policies' tests: reps filled with instances as an auction would leave them.
import type { CellState, LRP } from '../../../src/core/model/cell-state.js';
import { emptyCellState } from '../../../src/core/model/empty-cell.js';
import { MemoryRep } from '../../../src/core/rep/memory-rep.js';
import type { MoveBudget } from '../../../src/core/rebalance/policy.js';

/** An instance of `app` at `index` asking for `memoryMB`. */
export function instance(app: string, index: number, memoryMB: number, tags: string[] = []): LRP {
  return { instance_guid: `${app}-${index}-g`, process_guid: app, index, domain: 'cf-apps', state: 'RUNNING', PlacementTags: tags, VolumeDrivers: [], RootFs: 'preloaded:cflinuxfs4', MemoryMB: memoryMB, DiskMB: 100, MaxPids: 0 };
}

/** A 10,000 MB cell in `zone` running `lrps`. */
export function cell(id: string, zone: string, lrps: LRP[], opts: { placementTags?: string[] } = {}): CellState {
  const rep = new MemoryRep(emptyCellState({ cell_id: id, zone, memoryMB: 10_000, diskMB: 100_000, containers: 100, ...(opts.placementTags ? { placementTags: opts.placementTags } : {}) }));
  const r = rep.perform({ LRPs: lrps, Tasks: [], cell_id: id });
  if (r.kind !== 'perform' || !r.ok || r.failed.LRPs.length > 0) throw new Error(`cell ${id} refused some instances`);
  return rep.state;
}

/** A budget of `moves`, allowing every instance but those `refused` says, recording what was taken. */
export function budget(moves: number, refused: (lrp: LRP, cellId: string) => boolean = () => false): MoveBudget & { taken: string[] } {
  let left = moves;
  const taken: string[] = [];
  return {
    taken,
    get left() {
      return left;
    },
    allows: (lrp, cellId) => left > 0 && !refused(lrp, cellId),
    take: (lrp) => {
      left--;
      taken.push(`${lrp.process_guid}.${lrp.index}`);
    },
  };
}
