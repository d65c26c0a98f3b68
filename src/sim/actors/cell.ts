import type { Auction } from '../../core/model/auctions.js';
import type { CellState, LRP } from '../../core/model/cell-state.js';
import type { Reply, Request } from '../../core/protocol/messages.js';
import { type LRPHandle, MemoryRep } from '../../core/rep/memory-rep.js';
import type { PlacementIndex } from '../../core/rep/placement-index.js';
import type { Endpoint } from '../network.js';

/** What a cell tells the world when its rep took work on: the world runs the container's life. */
export interface CellHooks {
  /**
   * An LRP instance was accepted (by `perform` or `claim`): `handle` is the rep's handle on it (name
   * the instance to the rep by it: no lookup, until the executor hands it over to the instance's
   * container, MemoryRep.rehandleLRP), `sent` the instance as the auctioneer sent it;
   * `allocatedInMs` is how long the rep takes to allocate the request's containers.
   */
  lrpAccepted(cell: SimCell, handle: LRPHandle, sent: LRP, allocatedInMs: number): void;
  /** A task was accepted. */
  taskAccepted(cell: SimCell, taskGuid: string): void;
  /** A reservation (2014 bidding) was taken; it lapses unless claimed. */
  reserved(cell: SimCell, auction: Auction): void;
  /**
   * The cell as a network endpoint changed: the machine went down or up (a restart also gives it a
   * new rep, and so a new state reply), or its latency factor changed (see Network.endpointChanged).
   */
  endpointChanged(): void;
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
  // Whether the machine is up, and its latency factor (see the accessors: the network hears of each change).
  private up = true;
  private factor = 1;
  /** Whether the BBS sees its presence. */
  present = true;
  /** When it started draining (ms), or -1. */
  evacuatingSince = -1;
  // Its rep (a new one when the machine restarts), and what that rep answers every `state`
  // request: one object for the rep's life (MemoryRep keeps it), set beside it.
  private currentRep: MemoryRep;
  private currentStateReply: Reply;
  /** Pending presence-expiry event, or -1. */
  presenceTimer = -1;
  /** How long its rep takes to allocate one container of the work it is handed (ms; 0: no time). */
  allocationMs = 0;
  // The array its rep's Perform writes handles into, and whether a Perform is reading it.
  private readonly handles: (LRPHandle | undefined)[] = [];
  private performing = false;

  /** A cell that starts from `initial` (kept to rebuild the rep after a machine restart). */
  constructor(
    private readonly initial: CellState,
    private readonly index: PlacementIndex,
    private readonly hooks: CellHooks,
  ) {
    this.id = initial.cell_id;
    this.zone = initial.Zone;
    this.currentRep = new MemoryRep(initial, index);
    this.currentStateReply = this.currentRep.handle({ kind: 'state', cell: this.id });
  }

  /** Whether the machine is up. */
  get alive(): boolean {
    return this.up;
  }
  /** Sets {@link SimCell.alive}. */
  set alive(v: boolean) {
    if (v === this.up) return;
    this.up = v;
    this.hooks.endpointChanged();
  }

  /** Multiplies the network latency of its messages (1: normal; raised while a `slowCell` event lasts). */
  get latencyFactor(): number {
    return this.factor;
  }
  /** Sets {@link SimCell.latencyFactor}. */
  set latencyFactor(v: number) {
    if (v === this.factor) return;
    this.factor = v;
    this.hooks.endpointChanged();
  }

  /** Its rep (a new one when the machine restarts). */
  get rep(): MemoryRep {
    return this.currentRep;
  }

  /**
   * What its rep answers every `state` request (the same object until the machine restarts): a
   * state fetch to every cell reads it here, from the cell it reads anyway, instead of asking the
   * rep (at ten times Diego's scale, a fetch of 12,500 states batch after batch read each cell's
   * request, rep and reply from memory: a tenth of the hour went on that walk).
   */
  get stateReply(): Reply {
    return this.currentStateReply;
  }

  /** Answers an auction message as Diego's rep would, telling the world what it took on. */
  handle(req: Request): Reply {
    if (req.kind === 'perform') {
      // The rep's handles on what it started, in the order sent (undefined: turned down): in the
      // cell's own array, unless a hook's work asks this cell again before it is read (an array per
      // Perform was a tenth of what a simulated hour allocates).
      const own = !this.performing;
      const handles = own ? this.handles : [];
      this.performing = true;
      try {
        // The rep adopts the LRPs it starts, not a copy of each: a message is delivered once, and
        // what reads an auction's LRP after (the executor's claim, the auction's outcome) reads only
        // fields a rep never changes.
        const reply = this.rep.perform(req.work, handles, true);
        if (reply.kind !== 'perform' || !reply.ok) return reply;
        // Usually no task failed: then no set of those that did.
        const failedTasks = reply.failed.Tasks.length > 0 ? new Set(reply.failed.Tasks.map((t) => t.TaskGuid)) : null;
        const allocating = this.serviceMs(req);
        const lrps = req.work.LRPs;
        for (let i = 0; i < lrps.length; i++) {
          const handle = handles[i];
          if (handle !== undefined) this.hooks.lrpAccepted(this, handle, lrps[i] as LRP, allocating);
        }
        for (const t of req.work.Tasks) if (!failedTasks?.has(t.TaskGuid)) this.hooks.taskAccepted(this, t.TaskGuid);
        return reply;
      } finally {
        if (own) {
          this.performing = false;
          // Nothing kept alive by the array between Performs.
          handles.fill(undefined);
        }
      }
    }
    if (req.kind === 'claim') {
      const handles: (LRPHandle | undefined)[] = [];
      const reply = this.rep.claim(req.auction, handles);
      if (!reply.ok) return reply;
      const handle = handles[0];
      if (req.auction.kind === 'lrp') {
        if (handle !== undefined) this.hooks.lrpAccepted(this, handle, req.auction.lrp, this.serviceMs(req));
      } else this.hooks.taskAccepted(this, req.auction.task.TaskGuid);
      return reply;
    }
    const reply = this.rep.handle(req);
    if (req.kind === 'reserve' && reply.ok) this.hooks.reserved(this, req.auction);
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
    this.currentRep.clear();
    this.currentRep = new MemoryRep(this.initial, this.index);
    this.currentStateReply = this.currentRep.handle({ kind: 'state', cell: this.id });
    this.up = true;
    this.evacuatingSince = -1;
    // A new state reply (and the machine up, if it was down).
    this.hooks.endpointChanged();
  }
}
