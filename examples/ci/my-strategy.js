// Our team's auction strategy (a copy of auctionlab's examples/my-strategy.js).
//
// "least-containers": fetch every cell's state (as Diego does), then give each auction to the
// fitting cell with the most free containers. A cell fits when Diego's filters let the work there
// (rootfs, volume drivers, placement tags: auctionlab's `filterStage`) and it has the resources. It
// uses only the message protocol: it yields the requests it wants sent and reads the replies;
// auctionlab runs it in memory, in the simulator and in `compare`, and its properties are checked
// like any built-in strategy's.
import { FilterStage, filterError, filterStage } from 'auctionlab';

/** @type {import('auctionlab').Strategy} */
const leastContainers = {
  name: 'least-containers',
  summary: 'example: the fitting cell with the most free containers',
  settings: [],
  *auction(batch, ctx) {
    const auctions = [...batch.lrps, ...batch.tasks];
    if (auctions.length === 0) return { placed: [], failed: [], cellsScored: 0 };
    const replies = yield ctx.cells.map((cell) => ({ kind: 'state', cell }));
    // Our own running copy of what each cell has free, beside its state (for the filters).
    const free = new Map();
    const states = new Map();
    replies.forEach((r, i) => {
      if (r.kind === 'state' && r.ok && !r.state.Evacuating) {
        free.set(ctx.cells[i], { ...r.state.AvailableResources });
        states.set(ctx.cells[i], r.state);
      }
    });
    const work = new Map();
    const failed = [];
    let scored = 0;
    for (const auction of auctions) {
      const w = auction.kind === 'lrp' ? auction.lrp : auction.task;
      let best = null;
      // How far the best cell got through the filters, for Diego's error when none passes.
      let furthest = FilterStage.RootFS;
      for (const [cell, f] of free) {
        scored++;
        const stage = filterStage(states.get(cell), w);
        if (stage > furthest) furthest = stage;
        if (stage !== FilterStage.Passed) continue;
        if (f.MemoryMB < w.MemoryMB || f.DiskMB < w.DiskMB || f.Containers < 1) continue;
        if (best === null || f.Containers > free.get(best).Containers) best = cell;
      }
      if (best === null) {
        failed.push({ auction, reason: filterError(furthest, w) ?? 'insufficient resources' });
        continue;
      }
      const f = free.get(best);
      f.MemoryMB -= w.MemoryMB;
      f.DiskMB -= w.DiskMB;
      f.Containers -= 1;
      if (!work.has(best)) work.set(best, { LRPs: [], Tasks: [], cell_id: best, auctions: [] });
      const cw = work.get(best);
      if (auction.kind === 'lrp') cw.LRPs.push(auction.lrp);
      else cw.Tasks.push(auction.task);
      cw.auctions.push(auction);
    }
    const cells = [...work.keys()];
    const commits = yield cells.map((cell) => {
      const { auctions: _a, ...w } = work.get(cell);
      return { kind: 'perform', cell, work: w };
    });
    const placed = [];
    commits.forEach((r, i) => {
      const cell = cells[i];
      const turnedDown = new Set(r.ok && r.kind === 'perform' ? [...r.failed.LRPs.map((l) => `${l.process_guid}.${l.index}`), ...r.failed.Tasks.map((t) => t.TaskGuid)] : []);
      for (const auction of work.get(cell).auctions) {
        if (turnedDown.has(auction.id)) failed.push({ auction, reason: `rejected by cell ${cell} at commit` });
        else placed.push({ auction, cell, confirmed: r.ok });
      }
    });
    return { placed, failed, cellsScored: scored };
  },
};

export default leastContainers;
