// A deliberately broken strategy: it puts work on the fitting cell with the most free memory and
// never looks at rootfs, volume drivers or placement tags. Cells take what fits their memory (Diego's
// rep checks nothing else at Perform), so Windows apps land on Linux cells, where their containers
// cannot be created, and plain apps land in isolation segments: `auctionlab check` and `run` find
// the broken placement constraints.
/** @type {import('auctionlab').Strategy} */
export default {
  name: 'ignores-constraints',
  summary: 'broken on purpose: most free memory, rootfs and placement tags ignored',
  settings: [],
  *auction(batch, ctx) {
    const auctions = [...batch.lrps, ...batch.tasks];
    if (auctions.length === 0 || ctx.cells.length === 0) return { placed: [], failed: auctions.map((auction) => ({ auction, reason: 'no cells' })), cellsScored: 0 };
    const replies = yield ctx.cells.map((cell) => ({ kind: 'state', cell }));
    const free = new Map();
    replies.forEach((r, i) => r.ok && r.kind === 'state' && !r.state.Evacuating && free.set(ctx.cells[i], { ...r.state.AvailableResources }));
    const chosen = auctions.map((auction) => {
      const w = auction.kind === 'lrp' ? auction.lrp : auction.task;
      let best = null;
      for (const [cell, f] of free) if (f.MemoryMB >= w.MemoryMB && f.DiskMB >= w.DiskMB && f.Containers >= 1 && (best === null || f.MemoryMB > free.get(best).MemoryMB)) best = cell;
      if (best !== null) {
        const f = free.get(best);
        f.MemoryMB -= w.MemoryMB;
        f.DiskMB -= w.DiskMB;
        f.Containers -= 1;
      }
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
    const commits = yield cells.map((cell) => ({ kind: 'perform', cell, work: byCell.get(cell) }));
    const placed = [];
    const failed = [];
    const turnedDown = new Set();
    commits.forEach((r) => {
      if (r.ok && r.kind === 'perform') for (const l of r.failed.LRPs) turnedDown.add(`${l.process_guid}.${l.index}`);
      if (r.ok && r.kind === 'perform') for (const t of r.failed.Tasks) turnedDown.add(t.TaskGuid);
    });
    auctions.forEach((auction, i) => {
      const cell = chosen[i];
      if (cell === null) failed.push({ auction, reason: 'insufficient resources' });
      else if (turnedDown.has(auction.id)) failed.push({ auction, reason: `rejected by cell ${cell} at commit` });
      else placed.push({ auction, cell, confirmed: commits[cells.indexOf(cell)].ok });
    });
    return { placed, failed, cellsScored: auctions.length * free.size };
  },
};
