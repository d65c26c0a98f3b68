// A deliberately broken strategy: it puts work on the cell with the most free memory and never
// looks at free containers. Cells refuse what they cannot hold, so nothing is over-committed, but
// work aimed at a full cell fails forever: `auctionlab check` finds that it does not converge. It
// does respect placement constraints (Diego's filters, through auctionlab's `filterStage`): it is
// broken in one way only.
import { filterStage, FilterStage } from 'auctionlab';
/** @type {import('auctionlab').Strategy} */
export default {
  name: 'ignores-container-limit',
  summary: 'broken on purpose: most free memory, containers ignored',
  settings: [],
  *auction(batch, ctx) {
    const auctions = [...batch.lrps, ...batch.tasks];
    if (auctions.length === 0 || ctx.cells.length === 0) return { placed: [], failed: auctions.map((auction) => ({ auction, reason: 'no cells' })), cellsScored: 0 };
    const replies = yield ctx.cells.map((cell) => ({ kind: 'state', cell }));
    const free = new Map();
    const states = new Map();
    replies.forEach((r, i) => {
      if (!r.ok || r.kind !== 'state' || r.state.Evacuating) return;
      free.set(ctx.cells[i], r.state.AvailableResources.MemoryMB);
      states.set(ctx.cells[i], r.state);
    });
    const chosen = auctions.map((auction) => {
      const w = auction.kind === 'lrp' ? auction.lrp : auction.task;
      let best = null;
      for (const [cell, mem] of free) if (mem >= w.MemoryMB && filterStage(states.get(cell), w) === FilterStage.Passed && (best === null || mem > free.get(best))) best = cell;
      if (best !== null) free.set(best, free.get(best) - w.MemoryMB);
      return best;
    });
    const byCell = new Map();
    auctions.forEach((a, i) => {
      if (chosen[i] === null) return;
      const w = byCell.get(chosen[i]) ?? { LRPs: [], Tasks: [], cell_id: chosen[i] };
      if (a.kind === 'lrp') w.LRPs.push(a.lrp);
      else w.Tasks.push(a.task);
      byCell.set(chosen[i], w);
    });
    const cells = [...byCell.keys()];
    const done = yield cells.map((cell) => ({ kind: 'perform', cell, work: byCell.get(cell) }));
    const refused = new Set();
    done.forEach((r) => r.ok && r.kind === 'perform' && [...r.failed.LRPs.map((l) => l.instance_guid), ...r.failed.Tasks.map((t) => t.TaskGuid)].forEach((g) => refused.add(g)));
    const placed = [];
    const failed = [];
    auctions.forEach((auction, i) => {
      const g = auction.kind === 'lrp' ? auction.lrp.instance_guid : auction.task.TaskGuid;
      if (chosen[i] === null || refused.has(g)) failed.push({ auction, reason: 'insufficient resources' });
      else placed.push({ auction, cell: chosen[i], confirmed: true });
    });
    return { placed, failed, cellsScored: auctions.length * free.size };
  },
};
