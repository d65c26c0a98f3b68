// The complete example of docs/writing-a-strategy.md (a test keeps the two identical).
//
// "snug": best fit by memory, spreading each app. It fetches every cell's state once; then, for each
// auction in Diego's placement order, it keeps the cells that Diego's filters let the work onto and
// that have room, and scores each: the share of its memory left free after taking the work, plus
// `appSpread` for each instance of the same app already there. The lowest score wins; equal scores
// are broken with the auctioneer's seeded stream. Last, each chosen cell gets its work in one `perform`.
import {
  ALL_PROBLEMS,
  ERR_CELL_COMMUNICATION,
  FilterStage,
  filterError,
  filterStage,
  insufficientResources,
  placementOrder,
  rejectedAtCommit,
  resourceProblems,
} from 'auctionlab';

/** @type {import('auctionlab').Strategy} */
const snug = {
  name: 'snug',
  summary: 'example: best fit by memory, with a penalty per instance of the same app on the cell',
  settings: [
    {
      name: 'appSpread',
      default: 1,
      description: "added to a cell's score per instance of the same app on it (0: plain best fit; 1: a cell without the app always wins)",
      min: 0,
      max: 100,
      integer: false,
    },
  ],

  *auction(batch, ctx, settings) {
    const auctions = [...batch.lrps, ...batch.tasks];
    if (auctions.length === 0) return { placed: [], failed: [], cellsScored: 0 };

    // 1. Ask every cell for its state, all at once. The replies come back in the same order.
    const replies = yield ctx.cells.map((cell) => ({ kind: 'state', cell }));
    const cells = [];
    replies.forEach((reply, i) => {
      if (reply.kind !== 'state' || !reply.ok) return; // lost or refused: leave the cell out
      const state = reply.state;
      if (state.Evacuating) return; // a draining cell takes no new work
      const apps = new Map(); // process guid -> instances on the cell
      for (const lrp of state.LRPs) apps.set(lrp.process_guid, (apps.get(lrp.process_guid) ?? 0) + 1);
      // Our own running copy of what is free: the cells change only when we commit.
      cells.push({ id: ctx.cells[i], state, free: { ...state.AvailableResources }, apps, LRPs: [], Tasks: [], auctions: [] });
    });
    if (cells.length === 0) {
      return { placed: [], failed: auctions.map((auction) => ({ auction, reason: ERR_CELL_COMMUNICATION })), cellsScored: 0 };
    }

    // 2. Decide every auction on that copy, boulders before pebbles.
    const failed = [];
    let cellsScored = 0;
    for (const auction of placementOrder(batch)) {
      const work = auction.kind === 'lrp' ? auction.lrp : auction.task;
      const app = auction.kind === 'lrp' ? work.process_guid : null;
      // A rep adds its proxy's memory to every LRP it starts.
      const memoryOn = (cell) => work.MemoryMB + (auction.kind === 'lrp' ? cell.state.ProxyMemoryAllocationMB : 0);
      let furthest = FilterStage.RootFS; // the furthest any cell got through Diego's filters
      let problems = ALL_PROBLEMS; // the resource problems every cell that passed them shares
      let best = [];
      let bestScore = Infinity;
      for (const cell of cells) {
        const stage = filterStage(cell.state, work); // rootfs, volume drivers, placement tags
        if (stage > furthest) furthest = stage;
        if (stage !== FilterStage.Passed) continue;
        cellsScored++;
        const p = resourceProblems(cell.free, memoryOn(cell), work.DiskMB); // memory, disk, a container
        if (p !== 0) {
          problems &= p;
          continue;
        }
        const same = app === null ? 0 : (cell.apps.get(app) ?? 0);
        const score = (cell.free.MemoryMB - memoryOn(cell)) / cell.state.TotalResources.MemoryMB + settings.appSpread * same;
        if (score < bestScore) [best, bestScore] = [[cell], score];
        else if (score === bestScore) best.push(cell);
      }
      if (best.length === 0) {
        // Diego's words: a filter error if no cell passed the filters, else the shared shortfall.
        failed.push({ auction, reason: filterError(furthest, work) ?? insufficientResources(problems) });
        continue;
      }
      const cell = best[ctx.rng.int(best.length)]; // ties: the auctioneer's seeded stream, never Math.random
      cell.free.MemoryMB -= memoryOn(cell);
      cell.free.DiskMB -= work.DiskMB;
      cell.free.Containers -= 1;
      if (app !== null) cell.apps.set(app, (cell.apps.get(app) ?? 0) + 1);
      if (auction.kind === 'lrp') cell.LRPs.push(auction.lrp);
      else cell.Tasks.push(auction.task);
      cell.auctions.push(auction);
    }

    // 3. Commit: one `perform` to each cell that got work, all at once.
    const chosen = cells.filter((cell) => cell.auctions.length > 0);
    const commits = chosen.length === 0 ? [] : yield chosen.map((cell) => ({ kind: 'perform', cell: cell.id, work: { LRPs: cell.LRPs, Tasks: cell.Tasks, cell_id: cell.id } }));
    const placed = [];
    commits.forEach((reply, i) => {
      const cell = chosen[i];
      if (reply.kind !== 'perform' || !reply.ok) {
        // No reply (or refused outright): the cell may have started the work. Like Diego, count it
        // placed but unconfirmed, and never send it again; the BBS re-auctions what did not start.
        for (const auction of cell.auctions) placed.push({ auction, cell: cell.id, confirmed: false });
        return;
      }
      // The reply lists the work the cell turned down; an auction's id is `process_guid.index` or the task guid.
      const turnedDown = new Set([...reply.failed.LRPs.map((l) => `${l.process_guid}.${l.index}`), ...reply.failed.Tasks.map((t) => t.TaskGuid)]);
      for (const auction of cell.auctions) {
        if (turnedDown.has(auction.id)) failed.push({ auction, reason: rejectedAtCommit(cell.id) });
        else placed.push({ auction, cell: cell.id, confirmed: true });
      }
    });
    return { placed, failed, cellsScored };
  },
};

export default snug;
