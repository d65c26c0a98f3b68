// Why a cell's executor cannot create a container for a piece of work it accepted. Diego's rep takes
// work on memory, disk and containers alone (rep auctioncellrep/auction_cell_rep.go Perform); what
// the cell lacks shows only when the executor builds the container (executor
// depot/containerstore/storenode.go): Garden cannot find the rootfs ("failed to create container",
// ContainerCreationFailedMessage), or volman cannot mount a volume of a driver the cell does not
// have ("failed to mount volume", VolmanMountFailed). Placement tags are enforced by nothing but the
// auctioneer.
import { matchVolumeDrivers } from '../core/filters.js';
import type { CellState } from '../core/model/cell-state.js';
import type { PlacementConstraint } from '../core/model/resources.js';
import { matchRootFS } from '../core/model/rootfs.js';

/** Diego's executor's message when Garden cannot create a container. */
export const ERR_CONTAINER_CREATION = 'failed to create container';
/** Diego's executor's message when a volume cannot be mounted. */
export const ERR_VOLUME_MOUNT = 'failed to mount volume';

/** The executor's failure for work on `cell`, or null when its container can be created there. */
export function containerCreationFailure(cell: CellState, pc: PlacementConstraint): string | null {
  if (!matchRootFS(cell.RootFSProviders, pc.RootFs)) return `${ERR_CONTAINER_CREATION}: rootfs ${pc.RootFs} not found`;
  if (!matchVolumeDrivers(cell.VolumeDrivers, pc.VolumeDrivers)) return ERR_VOLUME_MOUNT;
  return null;
}
