import { describe, expect, it } from 'vitest';
import type { LRPStartRequest, TaskStartRequest } from '../../src/core/model/requests.js';
import { BBS, type DesiredLRP } from '../../src/sim/actors/bbs.js';
import type { SimAuctioneer } from '../../src/sim/actors/auctioneer.js';
import { BBSClient, type BBSClientWorld } from '../../src/sim/bbs-client.js';
import { Kernel } from '../../src/sim/kernel/kernel.js';

function app(processGuid: string, instances: number): DesiredLRP {
  return { processGuid, instances, memoryMB: 64, diskMB: 64, rootfs: 'preloaded:cflinuxfs4', placementTags: [], volumeDrivers: [], crash: null };
}

interface Submit {
  lrps: string[];
  tasks: number;
  disjointAs: number;
}

// A BBS client over a real BBS and kernel, whose active auctioneer records each submit.
function setup() {
  const kernel = new Kernel({ seed: 1 });
  const bbs = new BBS(() => kernel.now);
  const submits: Submit[] = [];
  const auctioneer = {
    submit(lrps: readonly LRPStartRequest[], tasks: readonly TaskStartRequest[], _unique?: boolean, _contexts?: readonly unknown[], disjointAs = -1) {
      submits.push({ lrps: lrps.flatMap((q) => q.indices.map((i) => `${q.process_guid}.${i}`)), tasks: tasks.length, disjointAs });
    },
  } as unknown as SimAuctioneer;
  const world = { kernel, bbs, counters: {}, scenario: {}, activeAuctioneer: () => auctioneer, explainer: null } as unknown as BBSClientWorld;
  const client = new BBSClient(world);
  for (const guid of ['a', 'b', 'c']) for (const i of bbs.desire(app(guid, 2))) bbs.createUnclaimed(guid, i);
  let t = 0;
  // Runs the flush of everything asked for in `ask`, at the next millisecond.
  const flush = (ask: () => void) => {
    ask();
    kernel.run(t++);
  };
  return { kernel, bbs, client, submits, flush };
}

describe('BBS client queue marks', () => {
  it('promises, flush after flush of one queue generation, that nothing repeats (each index was marked)', () => {
    const { client, submits, flush } = setup();
    flush(() => client.requestLRP('a', 0));
    flush(() => {
      client.requestLRP('b', 1);
      client.requestLRP('a', 0); // queued already this generation: not again
    });
    client.queueEmptied();
    flush(() => client.requestLRP('a', 0));
    expect(submits).toEqual([
      { lrps: ['a.0'], tasks: 0, disjointAs: 0 },
      { lrps: ['b.1'], tasks: 0, disjointAs: 0 },
      { lrps: ['a.0'], tasks: 0, disjointAs: 1 },
    ]);
  });

  it('promises nothing for an index without its group, with a task, or once a group was dropped this generation', () => {
    const { bbs, client, submits, flush } = setup();
    // An index the app does not have a group for (asked for by hand) carries no mark.
    flush(() => client.requestLRP('c', 5));
    flush(() => {
      client.requestLRP('a', 1);
      client.requestTask('task-1');
    });
    bbs.tasks.desire({ guid: 'task-2', memoryMB: 1, diskMB: 1, rootfs: 'preloaded:cflinuxfs4', placementTags: [], duration: { kind: 'constant', value: 1 } });
    flush(() => {
      client.requestLRP('a', 0);
      client.requestTask('task-2');
    });
    // A group dropped (and made anew) this generation: its old group's mark says nothing of the new one.
    const g = bbs.group('b', 0);
    if (!g) throw new Error('no group');
    bbs.removeOrdinary(g);
    bbs.dropGroup(g);
    bbs.createUnclaimed('b', 0);
    flush(() => client.requestLRP('b', 0));
    client.queueEmptied();
    flush(() => client.requestLRP('b', 1));
    expect(submits.map((s) => [s.lrps.join(' '), s.tasks, s.disjointAs])).toEqual([
      ['c.5', 0, -1],
      ['a.1', 0, 0], // task-1 is not desired: the flush drops it, and the promise stands
      ['a.0', 1, -1],
      ['b.0', 0, -1],
      ['b.1', 0, 1],
    ]);
  });
});
