import type { Auction } from '../../core/model/auctions.js';
import type { CellState, LRP } from '../../core/model/cell-state.js';
import type { Reply, Request } from '../../core/protocol/messages.js';
import { MemoryRep } from '../../core/rep/memory-rep.js';
import type { PlacementIndex } from '../../core/rep/placement-index.js';
import type { Endpoint } from '../network.js';

/** What a cell tells the world when its rep took work on: the world runs the container's life. */
export interface CellHooks {
  /**
   * An LRP instance was accepted (by `perform` or `claim`); `sent` is the instance as the auctioneer
   * sent it; `allocatedInMs` is how long the rep takes to allocate the request's containers.
   */
  lrpAccepted(cell: SimCell, instanceGuid: string, sent: LRP, allocatedInMs: number): void;
  /** A task was accepted. */
  taskAccepted(cell: SimCell, taskGuid: string): void;
  /** A reservation (2014 bidding) was taken; it lapses unless claimed. */
  reserved(cell: SimCell, auction: Auction): void;
}

/**
 * A simulated cell: its rep (Diego's `/state` and `/work` rules, held in a {@link MemoryRep}) plus
 * whether the machine is up, whether the BBS sees its presence, and whether it is draining.
 */
export class SimCell implements Endpoint {
  /** The cell's id. */
  readonly id: string;
  /** Its zone. */
  readonly zone: string;
  /** Whether the machine is up. */
  alive = true;
  /** Whether the BBS sees its presence. */
  present = true;
  /** When it started draining (ms), or -1. */
  evacuatingSince = -1;
  /** Multiplies the network latency of its messages (1: normal; raised while a `slowCell` event lasts). */
  latencyFactor = 1;
  /** Its rep. */
  rep: MemoryRep;
  /** Pending presence-expiry event, or -1. */
  presenceTimer = -1;
  /** How long its rep takes to allocate one container of the work it is handed (ms; 0: no time). */
  allocationMs = 0;

  /** A cell that starts from `initial` (kept to rebuild the rep after a machine restart). */
  constructor(
    private readonly initial: CellState,
    private readonly index: PlacementIndex,
    private readonly hooks: CellHooks,
  ) {
    this.id = initial.cell_id;
    this.zone = initial.Zone;
    this.rep = new MemoryRep(initial, index);
  }

  /** Answers an auction message as Diego's rep would, telling the world what it took on. */
  handle(req: Request): Reply {
    const reply = this.rep.handle(req);
    if (req.kind === 'perform' && reply.kind === 'perform' && reply.ok) {
      // Usually nothing failed: then no sets of what did.
      const failedLRPs = reply.failed.LRPs.length > 0 ? new Set(reply.failed.LRPs.map((l) => l.instance_guid)) : null;
      const failedTasks = reply.failed.Tasks.length > 0 ? new Set(reply.failed.Tasks.map((t) => t.TaskGuid)) : null;
      const allocating = this.serviceMs(req);
      for (const l of req.work.LRPs) if (!failedLRPs?.has(l.instance_guid)) this.hooks.lrpAccepted(this, l.instance_guid, l, allocating);
      for (const t of req.work.Tasks) if (!failedTasks?.has(t.TaskGuid)) this.hooks.taskAccepted(this, t.TaskGuid);
    } else if (req.kind === 'reserve' && reply.ok) {
      this.hooks.reserved(this, req.auction);
    } else if (req.kind === 'claim' && reply.ok) {
      if (req.auction.kind === 'lrp') this.hooks.lrpAccepted(this, req.auction.lrp.instance_guid, req.auction.lrp, this.serviceMs(req));
      else this.hooks.taskAccepted(this, req.auction.task.TaskGuid);
    }
    return reply;
  }

  /**
   * The rep allocates the work's containers before it replies to a Perform (rep
   * auctioncellrep/auction_cell_rep.go: Perform calls the executor's AllocateContainers), and one
   * container for a 2014-style claim.
   */
  serviceMs(req: Request): number {
    if (this.allocationMs === 0) return 0;
    if (req.kind === 'perform') return this.allocationMs * (req.work.LRPs.length + req.work.Tasks.length);
    return req.kind === 'claim' ? this.allocationMs : 0;
  }

  /** The machine comes back empty, as a freshly started rep. */
  restart(): void {
    for (const l of [...this.rep.state.LRPs]) this.rep.removeLRP(l.instance_guid);
    for (const t of [...this.rep.state.Tasks]) this.rep.removeTask(t.TaskGuid);
    this.rep = new MemoryRep(this.initial, this.index);
    this.alive = true;
    this.evacuatingSince = -1;
  }
}
