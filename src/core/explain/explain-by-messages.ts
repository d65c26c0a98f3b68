// Explanations of any strategy by the messages it exchanged: the batch run again in memory, as
// `schedule()` runs it (the same reps, settings, seed and stream), every request and reply kept,
// and per auction the cells that bid (with their bids, lower wins), reserved, refused (with the
// cell's error), claimed or were sent the work, in the rounds they were asked. It explains the
// 2014 bidding family, Sparrow and a user's strategy without an `explain` of its own.
import type { AuctionBatch } from '../model/auctions.js';
import type { CellState } from '../model/cell-state.js';
import { streamFor } from '../random.js';
import { PlacementIndex } from '../rep/placement-index.js';
import { MemoryRep } from '../rep/memory-rep.js';
import { driveInMemory } from '../driver/in-memory.js';
import type { Strategy, StrategySettings } from '../strategy.js';
import type { AuctionExplanation, CellVerdict } from './explanation.js';
import { workOf } from './verdicts.js';

/** What one cell said about one auction, over the rounds. */
interface Said {
  bid?: number;
  round: number;
  refused?: string | undefined;
  reserved?: boolean;
  claimed?: boolean;
  released?: boolean;
  sent?: boolean;
}

/** The rule of an explanation by messages. */
export const MESSAGES_RULE = 'by its messages: the cells asked, their bids (lower wins) or refusals, the reservations and the claim, in the rounds they were asked';

/**
 * Why each auction went where `strategy` put it, from the messages it exchanged with in-memory reps
 * of `states` (run as `schedule()` runs it: same seed, same stream). In the batch's order (LRPs,
 * then tasks).
 */
export function explainByMessages(strategy: Strategy, states: readonly CellState[], batch: AuctionBatch, settings: StrategySettings, seed: number): AuctionExplanation[] {
  const index = new PlacementIndex();
  const reps = new Map(states.map((s) => [s.cell_id, new MemoryRep(s, index)] as const));
  const said = new Map<string, Map<string, Said>>();
  const note = (id: string, cell: string, round: number, f: (s: Said) => void) => {
    let byCell = said.get(id);
    if (!byCell) said.set(id, (byCell = new Map()));
    let s = byCell.get(cell);
    if (!s) byCell.set(cell, (s = { round }));
    f(s);
  };
  const protocol = strategy.auction(batch, { cells: states.map((s) => s.cell_id), seed, rng: streamFor(seed, 'auctioneer') }, settings);
  const { outcome } = driveInMemory(protocol, reps, strategy.name, (req, r, round) => {
    if (req.kind === 'state') return;
    if (req.kind === 'perform') {
      const failed = new Set(r.ok && r.kind === 'perform' ? [...r.failed.LRPs.map((l) => `${l.process_guid}.${l.index}`), ...r.failed.Tasks.map((t) => t.TaskGuid)] : []);
      for (const l of req.work.LRPs) note(`${l.process_guid}.${l.index}`, req.cell, round, (s) => (failed.has(`${l.process_guid}.${l.index}`) ? (s.refused = 'turned down at commit') : (s.sent = true)));
      for (const t of req.work.Tasks) note(t.TaskGuid, req.cell, round, (s) => (failed.has(t.TaskGuid) ? (s.refused = 'turned down at commit') : (s.sent = true)));
      return;
    }
    note(req.auction.id, req.cell, round, (s) => {
      // The latest answer stands: a cell that refused once may bid again later.
      if (!r.ok) {
        s.refused = r.error;
        return;
      }
      s.refused = undefined;
      if (req.kind === 'bid' && r.kind === 'bid') s.bid = r.bid;
      else if (req.kind === 'reserve') {
        s.reserved = true;
        if (r.kind === 'reserve' && r.bid !== undefined) s.bid = r.bid;
      } else if (req.kind === 'claim') s.claimed = true;
      else if (req.kind === 'release') s.released = true;
    });
  });
  const placedOn = new Map(outcome.placed.map((p) => [p.auction.id, p.cell] as const));
  const reasons = new Map(outcome.failed.map((f) => [f.auction.id, f.reason] as const));
  const zoneOf = new Map(states.map((s) => [s.cell_id, s.Zone] as const));
  return [...batch.lrps, ...batch.tasks].map((a) => {
    const byCell = said.get(a.id) ?? new Map<string, Said>();
    const at = (cell: string) => ({ cell, zone: zoneOf.get(cell) ?? '' });
    const bidders = [...byCell].filter(([, s]) => s.bid !== undefined && s.refused === undefined).sort(([ca, a1], [cb, b1]) => (a1.bid as number) - (b1.bid as number) || (ca < cb ? -1 : ca > cb ? 1 : 0));
    const placed = placedOn.get(a.id) ?? null;
    // The winner first (whatever its bid), then the other bidders, lowest bid first.
    const ranked = placed !== null ? [...bidders.filter(([c]) => c === placed), ...bidders.filter(([c]) => c !== placed)] : bidders;
    const cells: CellVerdict[] = [
      ...ranked.map(([c, s]): CellVerdict => ({ ...at(c), verdict: 'scored', score: s.bid as number, terms: { bid: s.bid as number, round: s.round, reserved: s.reserved ? 1 : 0, claimed: s.claimed ? 1 : 0 } })),
      ...(placed !== null && !ranked.some(([c]) => c === placed) ? [{ ...at(placed), verdict: 'scored' as const, score: 0, terms: { round: byCell.get(placed)?.round ?? 0, sent: 1 } }] : []),
      ...[...byCell].filter(([c, s]) => s.refused !== undefined && c !== placed).map(([c, s]): CellVerdict => ({ ...at(c), verdict: 'refused', error: s.refused as string, round: s.round })),
      ...states.filter((s) => !byCell.has(s.cell_id) && s.cell_id !== placed).map((s): CellVerdict => ({ ...at(s.cell_id), verdict: s.Evacuating ? 'evacuating' : 'not-reached' })),
    ];
    const winner = ranked[0];
    const runner = ranked[1];
    return {
      id: a.id,
      kind: a.kind,
      strategy: strategy.name,
      rule: MESSAGES_RULE,
      needs: { MemoryMB: workOf(a).MemoryMB, DiskMB: workOf(a).DiskMB },
      placedOn: placed,
      ...(reasons.has(a.id) ? { reason: reasons.get(a.id) as string } : {}),
      ...(placed !== null && winner && runner && winner[1].bid !== undefined && runner[1].bid !== undefined ? { runnerUp: { cell: runner[0], score: runner[1].bid }, margin: runner[1].bid - winner[1].bid } : {}),
      // Equal bids: the strategy's seeded shuffle chose.
      decidedByTie: placed !== null && winner !== undefined && runner !== undefined && winner[1].bid !== undefined && winner[1].bid === runner[1].bid,
      zones: [],
      cells,
    };
  });
}
