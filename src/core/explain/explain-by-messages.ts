// Explanations of any strategy by the messages it exchanged: the batch run again in memory, as
// `schedule()` runs it (the same reps, settings, seed and stream), every request and reply kept in
// a MessageLog, which says per auction who bid, reserved, refused, claimed or was sent the work.
// It explains the 2014 bidding family, Sparrow and a user's strategy without an `explain` of its own.
import type { AuctionBatch } from '../model/auctions.js';
import type { CellState } from '../model/cell-state.js';
import { streamFor } from '../random.js';
import { PlacementIndex } from '../rep/placement-index.js';
import { MemoryRep } from '../rep/memory-rep.js';
import { driveInMemory } from '../driver/in-memory.js';
import type { Strategy, StrategySettings } from '../strategy.js';
import type { AuctionExplanation } from './explanation.js';
import { MessageLog } from './message-log.js';

export { MESSAGES_RULE } from './message-log.js';

/**
 * Why each auction went where `strategy` put it, from the messages it exchanged with in-memory reps
 * of `states` (run as `schedule()` runs it: same seed, same stream). In the batch's order (LRPs,
 * then tasks).
 */
export function explainByMessages(strategy: Strategy, states: readonly CellState[], batch: AuctionBatch, settings: StrategySettings, seed: number): AuctionExplanation[] {
  const index = new PlacementIndex();
  const reps = new Map(states.map((s) => [s.cell_id, new MemoryRep(s, index)] as const));
  const log = new MessageLog();
  const protocol = strategy.auction(batch, { cells: states.map((s) => s.cell_id), seed, rng: streamFor(seed, 'auctioneer') }, settings);
  const { outcome } = driveInMemory(protocol, reps, strategy.name, (req, r, round) => log.observe(req, r, round));
  return log.explain(batch, states.map((s) => ({ id: s.cell_id, zone: s.Zone, evacuating: s.Evacuating })), outcome, strategy.name);
}
