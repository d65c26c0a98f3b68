// The BBS's API as its clients use it (Cloud Controller through nsync, the stager, the scenario's
// events): DesireLRP, UpdateDesiredLRP (scale), RemoveDesiredLRP and CancelTask, each with its
// effects on the records, the auctioneer and the converger.
import { ERR_TASK_CANCELLED } from '../core/convergence/states.js';
import type { ActualLRP, AppActuals, BBS, DesiredLRP } from './actors/bbs.js';
import type { SimExecutor } from './executor.js';
import type { Container } from './container.js';
import type { Kernel } from './kernel/kernel.js';

/** What the API needs of the world. */
export interface BBSAPIWorld {
  /** The BBS's records. */
  readonly bbs: BBS;
  /** The kernel (notes). */
  readonly kernel: Kernel;
  /** The containers (a running task cancelled is stopped on its cell). */
  readonly executor: Pick<SimExecutor, 'containerOf'>;
  /** The converger's timer. */
  readonly converger: { convergeSoon(): void };
  /** Asks the auctioneer to place instance `index` of an app. */
  requestLRP(processGuid: string, index: number, app?: AppActuals, rec?: ActualLRP | null): void;
  /** Destroys a container. */
  stop(c: Container): void;
}

/** The BBS's API of one world. */
export class BBSAPI {
  /** The API of a world. */
  constructor(private readonly w: BBSAPIWorld) {}

  /** Desires an app and auctions its instances. */
  desire(d: DesiredLRP): void {
    this.w.bbs.desireAndCreate(d, (rec, i) => this.w.requestLRP(d.processGuid, i, rec.group.app, rec));
    this.w.kernel.note('desire', { app: d.processGuid, instances: d.instances });
  }

  /** Scales an app; new indices are auctioned, extra ones retired at the next pass. */
  scale(processGuid: string, instances: number): void {
    const { bbs } = this.w;
    for (const i of bbs.scale(processGuid, instances)) {
      bbs.createUnclaimed(processGuid, i);
      this.w.requestLRP(processGuid, i);
    }
    this.w.kernel.note('scale', { app: processGuid, instances });
    this.w.converger.convergeSoon();
  }

  /** Deletes an app; its instances are retired at once. */
  deleteApp(processGuid: string): void {
    this.w.bbs.removeDesired(processGuid);
    this.w.kernel.note('delete', { app: processGuid });
    this.w.converger.convergeSoon();
  }

  /** Cancels a task: a pending one fails at once, a running one is stopped on its cell first. */
  cancelTask(guid: string): void {
    const t = this.w.bbs.tasks.get(guid);
    if (!t || (t.state !== 'PENDING' && t.state !== 'RUNNING')) return;
    if (t.state === 'RUNNING') {
      const c = this.w.executor.containerOf(t.cell, guid);
      if (c) this.w.stop(c);
    }
    this.w.bbs.tasks.finish(t, true, ERR_TASK_CANCELLED);
    this.w.kernel.note('task-cancelled', { task: guid });
  }
}
