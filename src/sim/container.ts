// A container on a simulated cell (an LRP instance or a task) as the executor keeps it: what it runs,
// its pending events, and its yes/no facts as bits of one number.
import { LRPHandle } from '../core/rep/memory-rep.js';
import type { LRPGroup } from './actors/bbs.js';
import type { SimCell } from './actors/cell.js';
import type { RouteHandle } from './routes.js';

// The bits of Container's flags.
const TASK = 1;
const UNREADY = 2;
const START_DRAWN = 4;
const GONE = 8;
const RUNNING = 16;

/**
 * A container on a simulated cell: an LRP instance or a task. Its yes/no facts (and its kind) are
 * bits of one field behind accessors: as fields of their own they made a container 160 bytes, as
 * one 128 (144 with the handle's two fields it inherits), with a container per running instance (a
 * quarter of a million at Diego's scale).
 *
 * An LRP's container is also its rep's handle on the instance (see {@link SimExecutor}'s register
 * and MemoryRep.rehandleLRP): the rep names the instance by the container from then on, so a
 * running instance costs one object here, not a container and a handle.
 *
 * The executor makes its containers with {@link newContainer} (the same object, made where V8 can
 * make it old at once).
 */
export class Container extends LRPHandle {
  /** Its pending start-up (or task run) event, or -1. */
  timer = -1;
  /** Its pending crash event, or -1. */
  crashTimer = -1;
  /** Its pending liveness failure (the check that finds it), or -1. */
  livenessTimer = -1;
  /** Its pending readiness change, or -1. */
  readyTimer = -1;
  /** Its scenario app, for the route table ('' until it runs). */
  app = '';
  /** The route table's handle on its process guid's routable count once it has run; -1 before. */
  route: RouteHandle = -1;
  private flags: number;

  /** A container, not yet running, for work its cell's rep has just taken on. */
  constructor(
    /** Its number (the argument of its events). */
    readonly id: number,
    /** Its cell. */
    readonly cell: SimCell,
    /** What it runs. */
    kind: 'lrp' | 'task',
    /** Its app's process guid (LRPs). */
    readonly processGuid: string,
    /** Its index (LRPs). */
    readonly index: number,
    /** Its instance guid or task guid. */
    readonly guid: string,
    /** Its BBS group when it was claimed: a hint (the BBS checks it is current). */
    readonly group: LRPGroup | undefined,
  ) {
    // Names nothing on its cell until its rep hands the instance's handle over to it.
    super(-1);
    this.flags = kind === 'task' ? TASK : 0;
  }

  /** What it runs. */
  get kind(): 'lrp' | 'task' {
    return (this.flags & TASK) !== 0 ? 'task' : 'lrp';
  }

  /** Its rep's handle on the LRP instance it runs (itself), or null for a task. */
  get handle(): LRPHandle | null {
    return (this.flags & TASK) !== 0 ? null : this;
  }

  /** Running but not ready (a readiness check failing): not routable. */
  get unready(): boolean {
    return (this.flags & UNREADY) !== 0;
  }
  /** Sets {@link Container.unready}. */
  set unready(v: boolean) {
    this.setBit(UNREADY, v);
  }

  /** Its start check's outcome was drawn when it was claimed (a start timeout applies). */
  get startDrawn(): boolean {
    return (this.flags & START_DRAWN) !== 0;
  }
  /** Sets {@link Container.startDrawn}. */
  set startDrawn(v: boolean) {
    this.setBit(START_DRAWN, v);
  }

  /** Whether it is gone. */
  get gone(): boolean {
    return (this.flags & GONE) !== 0;
  }
  /** Sets {@link Container.gone}. */
  set gone(v: boolean) {
    this.setBit(GONE, v);
  }

  /** An LRP whose process runs and passed its health check: routable. */
  get running(): boolean {
    return (this.flags & RUNNING) !== 0;
  }
  /** Sets {@link Container.running}. */
  set running(v: boolean) {
    this.setBit(RUNNING, v);
  }

  private setBit(bit: number, v: boolean): void {
    this.flags = v ? this.flags | bit : this.flags & ~bit;
  }
}

/**
 * A new container, as `new Container(...)` makes it (the same fields, in the same order, so the
 * same layout), but made by an object literal whose prototype is Container's: V8 tracks where a
 * literal is allocated and, once nearly all objects from that site outlive a young-generation
 * collection, allocates them in the old generation at once, where a class's instances are always
 * made young and copied once or twice before they are promoted. A container lives as long as its
 * instance runs (seconds to hours), so nearly all of them outlive the young generation: made this way,
 * the 250k hour's scavenges copied 371 MiB where they had copied 459, and promoted 403-417 MiB where
 * they had promoted 450-493 (bench/RESULTS.md, #24 thirtieth step). The executor makes its containers
 * here; `new Container` stays for everyone else.
 */
export function newContainer(id: number, cell: SimCell, kind: 'lrp' | 'task', processGuid: string, index: number, guid: string, group: LRPGroup | undefined): Container {
  // The handle's fields first (LRPHandle's constructor with -1: naming nothing yet, no app number),
  // then Container's, each as its constructor or field initialiser sets it.
  return {
    __proto__: Container.prototype,
    at: -1,
    tag: undefined,
    appNumber: -1,
    id,
    cell,
    processGuid,
    index,
    guid,
    group,
    timer: -1,
    crashTimer: -1,
    livenessTimer: -1,
    readyTimer: -1,
    app: '',
    route: -1,
    flags: kind === 'task' ? TASK : 0,
  } as unknown as Container;
}
