import { ERR_CELL_COMMUNICATION } from '../errors.js';
import { explainDiegoBatch } from '../explain/explain-diego.js';
import type { AuctionBatch } from '../model/auctions.js';
import { DIEGO_DEFAULTS, type DiegoSettings, scheduleBatch } from '../scheduler/diego-scheduler.js';
import type { AuctionProtocol, Failure, Strategy, StrategyContext, StrategySettings } from '../strategy.js';
import { commitWork, failAll, fetchStates, snapshotOf } from './protocol-steps.js';

export { rejectedAtCommit, STATE_FETCH_ATTEMPTS } from './protocol-steps.js';

/**
 * Diego's batch auction (cloudfoundry/auction `auctionrunner`, rule for rule): fetch every cell's
 * state in parallel (retrying up to 4 times if none answers), place each auction in order on an
 * in-memory copy, then send each cell with work one `perform`. Work a cell turns down fails; work
 * whose `perform` got no reply counts as placed but unconfirmed, as Diego leaves it for the converger.
 */
export const diegoStrategy: Strategy = {
  name: 'diego',
  summary: "Diego's batch auction: one auctioneer, state fetch, scored placement, one POST /work per cell",
  fetchesStateFirst: true,
  settings: [
    {
      name: 'startingContainerWeight',
      default: DIEGO_DEFAULTS.startingContainerWeight,
      description: 'score added per container already starting on a cell (starting_container_weight)',
      min: 0,
      max: 1000,
      integer: false,
    },
    {
      name: 'binPackFirstFitWeight',
      default: DIEGO_DEFAULTS.binPackFirstFitWeight,
      description: 'score added per unit of per-zone cell index; > 0 packs low-index cells first (bin_pack_first_fit_weight)',
      min: 0,
      max: 1000,
      integer: false,
    },
    {
      name: 'startingContainerCountMaximum',
      default: DIEGO_DEFAULTS.startingContainerCountMaximum,
      description: 'cap on containers starting at once across cells, 0 = no cap (starting_container_count_maximum)',
      min: 0,
      max: Number.MAX_SAFE_INTEGER,
      integer: true,
    },
    {
      name: 'scoreCpu',
      default: 0,
      description: '1 adds the CPU in use to the resource score, on cells that account CPU (not Diego: its cells account none)',
      min: 0,
      max: 1,
      integer: true,
    },
  ],
  *auction(batch: AuctionBatch, ctx: StrategyContext, raw: StrategySettings): AuctionProtocol {
    const settings = diegoSettings(raw);
    if (batch.lrps.length + batch.tasks.length === 0) return { placed: [], failed: [], cellsScored: 0 };
    const fetched = yield* fetchStates(ctx);
    if (fetched.states.length === 0) return failAll(batch, ERR_CELL_COMMUNICATION);
    const snap = snapshotOf(fetched, ctx, settings.binPackFirstFitWeight > 0);
    const decided = scheduleBatch(snap, batch, settings);
    const failed: Failure[] = decided.failed;
    const placed = yield* commitWork(snap, decided.placed, failed);
    return { placed, failed, cellsScored: decided.cellsScored };
  },
  explain(states, batch, raw, seed, _rng, only, limit) {
    return explainDiegoBatch(states, batch, diegoSettings(raw), seed, only, limit);
  },
};

// The diego settings from a resolved record (each defaulted as Diego defaults it).
function diegoSettings(raw: StrategySettings): DiegoSettings {
  return {
    startingContainerWeight: raw['startingContainerWeight'] ?? DIEGO_DEFAULTS.startingContainerWeight,
    binPackFirstFitWeight: raw['binPackFirstFitWeight'] ?? DIEGO_DEFAULTS.binPackFirstFitWeight,
    startingContainerCountMaximum: raw['startingContainerCountMaximum'] ?? DIEGO_DEFAULTS.startingContainerCountMaximum,
    scoreCpu: raw['scoreCpu'] ?? 0,
  };
}
