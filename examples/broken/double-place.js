// A deliberately broken strategy: Diego's batch auction, except that when a cell does not answer
// its `perform` (a partition, a dead cell), it sends the same work to another cell and reports the
// auction placed on both. Diego reports nothing in that case, precisely so that nothing is placed
// twice. The BBS stops the second copy, but the accounting is wrong: `auctionlab check` finds
// auctions that end placed twice, once a zone is cut off.
import { diegoStrategy, filterStage, FilterStage } from 'auctionlab';

/** @type {import('auctionlab').Strategy} */
export default {
  name: 'double-place',
  summary: 'broken on purpose: re-sends lost work to another cell and counts it twice',
  settings: diegoStrategy.settings,
  *auction(batch, ctx, settings) {
    const inner = diegoStrategy.auction(batch, ctx, settings);
    // The cells' states as Diego's auction fetched them, so the "retry" respects placement constraints
    // (this strategy is broken in one way only).
    const states = new Map();
    let step = inner.next([]);
    while (!step.done) {
      const outbox = step.value;
      const inbox = yield outbox;
      outbox.forEach((req, i) => req.kind === 'state' && inbox[i].ok && states.set(req.cell, inbox[i].state));
      step = inner.next(inbox);
    }
    const outcome = step.value;
    const lost = outcome.placed.filter((p) => !p.confirmed);
    if (lost.length === 0) return outcome;
    // "Retry" lost work on another cell, and keep both placements.
    const extra = [];
    for (const p of lost) {
      const work = p.auction.kind === 'lrp' ? p.auction.lrp : p.auction.task;
      const other = ctx.cells.find((c) => c !== p.cell && states.has(c) && filterStage(states.get(c), work) === FilterStage.Passed);
      if (!other) continue;
      const w = p.auction.kind === 'lrp' ? { LRPs: [p.auction.lrp], Tasks: [], cell_id: other } : { LRPs: [], Tasks: [p.auction.task], cell_id: other };
      const [reply] = yield [{ kind: 'perform', cell: other, work: w }];
      extra.push({ auction: p.auction, cell: other, confirmed: reply.ok });
    }
    return { ...outcome, placed: [...outcome.placed, ...extra] };
  },
};
