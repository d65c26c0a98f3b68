// Runs one strategy's protocol on in-memory reps that count the messages they are sent.
import { buildBatch, driveInMemory, MemoryRep, resolveSettings, STRATEGIES, streamFor, type CellState, type LRPStartRequest, type RepHandler, type Request } from '../../src/index.js';

/** Runs `name` on `cells` for `requests`; returns the outcome and the count of each message kind. */
export function counted(name: string, cells: CellState[], requests: LRPStartRequest[], settings: Record<string, number> = {}, seed = 1) {
  const strategy = STRATEGIES.get(name)!;
  const counts: Record<string, number> = {};
  const reps = new Map<string, RepHandler>(
    cells.map((c) => {
      const rep = new MemoryRep(c);
      const handle = (req: Request) => {
        counts[req.kind] = (counts[req.kind] ?? 0) + 1;
        return rep.handle(req);
      };
      return [c.cell_id, { cellId: c.cell_id, handle }];
    }),
  );
  const ctx = { cells: cells.map((c) => c.cell_id), seed, rng: streamFor(seed, 'auctioneer') };
  const { outcome } = driveInMemory(strategy.auction(buildBatch(requests, []).batch, ctx, resolveSettings(strategy, settings)), reps);
  return { outcome, counts };
}
