import type { Auction, AuctionBatch } from '../model/auctions.js';
import { placementOrder } from '../placement-order.js';
import type { Request } from '../protocol/messages.js';
import type { AuctionProtocol, Failure, Placement, Strategy, StrategyContext, StrategySettings } from '../strategy.js';

/** Reason when no rep ever answered a reservation. */
export const ERR_NO_RESERVATION = 'no cell accepted a reservation';

/**
 * Diego's 2014 `random` algorithm: each round, every pending auction asks one cell picked at random
 * to reserve; a cell that accepts is told to claim, a refusal means another round, up to
 * `maxRounds`. All pending auctions go out together each round, so they compete as Diego's
 * concurrent auctions did. It needs no state fetch and knows nothing of scores.
 */
export const randomStrategy: Strategy = {
  name: 'random',
  summary: "Diego's 2014 random algorithm: reserve on a random cell, retry on refusal",
  settings: [
    {
      name: 'maxRounds',
      default: 100,
      description: 'rounds an auction may take before it fails (Diego 2014: 100)',
      min: 1,
      max: 100_000,
      integer: true,
    },
  ],
  *auction(batch: AuctionBatch, ctx: StrategyContext, settings: StrategySettings): AuctionProtocol {
    const maxRounds = settings['maxRounds'] ?? 100;
    let pending: Auction[] = placementOrder(batch);
    const lastRefusal = new Map<string, string>();
    const placed: Placement[] = [];
    let asked = 0;
    for (let round = 0; round < maxRounds && pending.length > 0 && ctx.cells.length > 0; round++) {
      const picks = pending.map(() => ctx.cells[ctx.rng.int(ctx.cells.length)] as string);
      asked += pending.length;
      const reserves = yield pending.map((auction, i): Request => ({ kind: 'reserve', cell: picks[i] as string, auction }));
      const held: { auction: Auction; cell: string }[] = [];
      const next: Auction[] = [];
      reserves.forEach((reply, i) => {
        const auction = pending[i] as Auction;
        if (reply.ok) held.push({ auction, cell: picks[i] as string });
        else {
          lastRefusal.set(auction.id, reply.error);
          next.push(auction);
        }
      });
      if (held.length > 0) {
        const claims = yield held.map(({ auction, cell }): Request => ({ kind: 'claim', cell, auction }));
        claims.forEach((reply, i) => {
          const h = held[i] as { auction: Auction; cell: string };
          if (reply.ok) placed.push({ auction: h.auction, cell: h.cell, confirmed: true });
          else if (reply.lost) placed.push({ auction: h.auction, cell: h.cell, confirmed: false });
          else {
            lastRefusal.set(h.auction.id, reply.error);
            next.push(h.auction);
          }
        });
      }
      pending = next;
    }
    const failed: Failure[] = pending.map((auction) => ({
      auction,
      reason: lastRefusal.get(auction.id) ?? ERR_NO_RESERVATION,
    }));
    return { placed, failed, cellsScored: asked };
  },
};
