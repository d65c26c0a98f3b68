// What a strategy said to the cells and they answered, per auction, and the explanations it makes:
// the cells that bid (with their bids, lower wins), reserved, refused (with the cell's error),
// claimed or were sent the work, in the rounds they were asked. Fed by whichever driver runs the
// protocol: the in-memory one (`schedule --explain`) or the simulator's auctioneer (`run --explain`).
import type { AuctionBatch } from '../model/auctions.js';
import type { Reply, Request } from '../protocol/messages.js';
import type { AuctionOutcome } from '../strategy.js';
import type { AuctionExplanation, CellVerdict } from './explanation.js';
import { needsOf, workOf } from './verdicts.js';

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

/** A cell as an explanation by messages names it: its id, zone and whether it was draining. */
export interface CellSeen {
  /** Cell id. */
  id: string;
  /** Its zone. */
  zone: string;
  /** Whether it was evacuating (left out by the auctioneer) when the batch began. */
  evacuating: boolean;
}

/** The messages of one batch's protocol, kept per auction and cell. */
export class MessageLog {
  private readonly said = new Map<string, Map<string, Said>>();

  private note(id: string, cell: string, round: number, f: (s: Said) => void): void {
    let byCell = this.said.get(id);
    if (!byCell) this.said.set(id, (byCell = new Map()));
    let s = byCell.get(cell);
    if (!s) byCell.set(cell, (s = { round }));
    f(s);
  }

  /** One request the strategy sent and the reply it got, in round `round`. */
  observe(req: Request, r: Reply, round: number): void {
    if (req.kind === 'state') return;
    if (req.kind === 'perform') {
      const failed = new Set(r.ok && r.kind === 'perform' ? [...r.failed.LRPs.map((l) => `${l.process_guid}.${l.index}`), ...r.failed.Tasks.map((t) => t.TaskGuid)] : []);
      for (const l of req.work.LRPs) this.note(`${l.process_guid}.${l.index}`, req.cell, round, (s) => (failed.has(`${l.process_guid}.${l.index}`) ? (s.refused = 'turned down at commit') : (s.sent = true)));
      for (const t of req.work.Tasks) this.note(t.TaskGuid, req.cell, round, (s) => (failed.has(t.TaskGuid) ? (s.refused = 'turned down at commit') : (s.sent = true)));
      return;
    }
    this.note(req.auction.id, req.cell, round, (s) => {
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
  }

  /**
   * The explanations of `batch` (in its order: LRPs, then tasks; with `only`, just those ids) from
   * the messages observed and the strategy's `outcome`, over `cells` (every cell the auctioneer
   * knew; those never asked are listed as not reached, or evacuating).
   */
  explain(batch: AuctionBatch, cells: readonly CellSeen[], outcome: AuctionOutcome, strategy: string, only?: ReadonlySet<string>): AuctionExplanation[] {
    const placedOn = new Map(outcome.placed.map((p) => [p.auction.id, p.cell] as const));
    const reasons = new Map(outcome.failed.map((f) => [f.auction.id, f.reason] as const));
    const zoneOf = new Map(cells.map((s) => [s.id, s.zone] as const));
    return [...batch.lrps, ...batch.tasks].filter((a) => !only || only.has(a.id)).map((a) => {
      const byCell = this.said.get(a.id) ?? new Map<string, Said>();
      const at = (cell: string) => ({ cell, zone: zoneOf.get(cell) ?? '' });
      const bidders = [...byCell].filter(([, s]) => s.bid !== undefined && s.refused === undefined).sort(([ca, a1], [cb, b1]) => (a1.bid as number) - (b1.bid as number) || (ca < cb ? -1 : ca > cb ? 1 : 0));
      const placed = placedOn.get(a.id) ?? null;
      // The winner first (whatever its bid), then the other bidders, lowest bid first.
      const ranked = placed !== null ? [...bidders.filter(([c]) => c === placed), ...bidders.filter(([c]) => c !== placed)] : bidders;
      const verdicts: CellVerdict[] = [
        ...ranked.map(([c, s]): CellVerdict => ({ ...at(c), verdict: 'scored', score: s.bid as number, terms: { bid: s.bid as number, round: s.round, reserved: s.reserved ? 1 : 0, claimed: s.claimed ? 1 : 0 } })),
        ...(placed !== null && !ranked.some(([c]) => c === placed) ? [{ ...at(placed), verdict: 'scored' as const, score: 0, terms: { round: byCell.get(placed)?.round ?? 0, sent: 1 } }] : []),
        ...[...byCell].filter(([c, s]) => s.refused !== undefined && c !== placed).map(([c, s]): CellVerdict => ({ ...at(c), verdict: 'refused', error: s.refused as string, round: s.round })),
        ...cells.filter((s) => !byCell.has(s.id) && s.id !== placed).map((s): CellVerdict => ({ ...at(s.id), verdict: s.evacuating ? 'evacuating' : 'not-reached' })),
      ];
      const winner = ranked[0];
      const runner = ranked[1];
      return {
        id: a.id,
        kind: a.kind,
        strategy,
        rule: MESSAGES_RULE,
        needs: needsOf(workOf(a)),
        placedOn: placed,
        ...(reasons.has(a.id) ? { reason: reasons.get(a.id) as string } : {}),
        ...(placed !== null && winner && runner && winner[1].bid !== undefined && runner[1].bid !== undefined ? { runnerUp: { cell: runner[0], score: runner[1].bid }, margin: runner[1].bid - winner[1].bid } : {}),
        // Equal bids: the strategy's seeded shuffle chose.
        decidedByTie: placed !== null && winner !== undefined && runner !== undefined && winner[1].bid !== undefined && winner[1].bid === runner[1].bid,
        zones: [],
        cells: verdicts,
      };
    });
  }
}
