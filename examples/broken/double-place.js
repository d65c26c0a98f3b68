// A deliberately broken strategy: it asks two cells to reserve every auction and claims both,
// reporting the auction placed twice. The BBS would stop the second instance, but the strategy's
// own accounting is wrong: `auctionlab check` finds auctions that end placed more than once.
/** @type {import('auctionlab').Strategy} */
export default {
  name: 'double-place',
  summary: 'broken on purpose: claims every auction on two cells',
  settings: [],
  *auction(batch, ctx) {
    const placed = [];
    const failed = [];
    for (const auction of [...batch.lrps, ...batch.tasks]) {
      const cells = ctx.cells.slice(0, 2);
      const held = yield cells.map((cell) => ({ kind: 'reserve', cell, auction }));
      const ok = cells.filter((_, i) => held[i].ok);
      if (ok.length === 0) {
        failed.push({ auction, reason: 'insufficient resources' });
        continue;
      }
      yield ok.map((cell) => ({ kind: 'claim', cell, auction }));
      for (const cell of ok) placed.push({ auction, cell, confirmed: true });
    }
    return { placed, failed, cellsScored: 0 };
  },
};
