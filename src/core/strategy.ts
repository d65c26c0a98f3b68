import type { AuctionExplanation } from './explain/explanation.js';
import type { CellState } from './model/cell-state.js';
import type { Auction, AuctionBatch } from './model/auctions.js';
import type { Inbox, Outbox } from './protocol/messages.js';
import type { Rng } from './random.js';

/** One numeric setting of a strategy, with its default and range, for help and validation. */
export interface SettingSpec {
  /** Name, as used in `--set strategy.name=value` and in scenario files. */
  name: string;
  /** Default (Diego's where Diego has one). */
  default: number;
  /** One line on what it does. */
  description: string;
  /** Smallest allowed value. */
  min: number;
  /** Largest allowed value. */
  max: number;
  /** Whether only whole numbers are allowed. */
  integer: boolean;
}

/** Settings of a strategy: numbers by name. */
export type StrategySettings = Readonly<Record<string, number>>;

/** What a strategy knows when an auction starts. It holds no I/O. */
export interface StrategyContext {
  /** Ids of the cells the auctioneer knows of (present in the BBS), in a stable order. */
  cells: readonly string[];
  /** The run's seed (for seeded tie-break rules). */
  seed: number;
  /** The auctioneer's own seeded stream. */
  rng: Rng;
  /**
   * The replies to a state fetch of every cell in {@link StrategyContext.cells}, in that order, when the
   * driver fetched before draining the batch (see {@link Strategy.fetchesStateFirst}); `fetchStates`
   * then uses them as its first attempt instead of asking again. Read them in the strategy's first
   * step (before its first yield), as `fetchStates` does: a driver may let them go once that step
   * has run (the simulator does, since a batch can last many simulated seconds).
   */
  prefetched?: Inbox;
}

/** An auction that ended on a cell. */
export interface Placement {
  /** The auction. */
  auction: Auction;
  /** The cell's id. */
  cell: string;
  /**
   * False when the cell never confirmed the work (the `perform` or `claim` was lost). Diego counts
   * such work as started and leaves the instance UNCLAIMED for the converger to re-auction.
   */
  confirmed: boolean;
}

/** An auction that failed, with its reason (Diego's error text where Diego has one). */
export interface Failure {
  /** The auction. */
  auction: Auction;
  /** Why it failed. */
  reason: string;
}

/** How a batch ended: every auction is in exactly one of `placed` and `failed`. */
export interface AuctionOutcome {
  /** Placed auctions. */
  placed: Placement[];
  /** Failed auctions. */
  failed: Failure[];
  /** Cells the strategy scored or asked for a bid, summed over auctions. */
  cellsScored: number;
}

/** The generator a strategy runs: yields an outbox, receives its replies, returns the outcome. */
export type AuctionProtocol = Generator<Outbox, AuctionOutcome, Inbox>;

/**
 * A strategy that yields this many empty outboxes in a row is broken (it would never end): every
 * driver stops it with an error saying so.
 */
export const MAX_EMPTY_OUTBOXES = 10_000;

/** The error every driver gives a strategy that yields {@link MAX_EMPTY_OUTBOXES} empty outboxes in a row. */
export function emptyOutboxesMessage(strategy: string): string {
  return `strategy ${strategy} yielded ${MAX_EMPTY_OUTBOXES.toLocaleString('en-US')} empty outboxes in a row (each step must send a message, or return its outcome)`;
}

/**
 * An auction strategy as a sans-I/O protocol. It never touches a network or a clock: it yields the
 * messages it wants sent (all in one outbox go out in parallel) and is resumed with the replies.
 * The same strategy so runs in memory (`schedule`), in the simulator (latency, loss, counting) and
 * against real reps over HTTP.
 */
export interface Strategy {
  /** Name, as used on the command line. */
  readonly name: string;
  /** One line on what it is and where it comes from. */
  readonly summary: string;
  /** Its settings with defaults and ranges. */
  readonly settings: readonly SettingSpec[];
  /**
   * Its protocol starts with a state fetch of every cell (`fetchStates`) and reads nothing of the batch
   * before the replies are in. A driver may then fetch first and drain the batch after, as Diego's
   * auction runner does (auction `auctionrunner/auction_runner.go`: FetchStateAndBuildZones, then
   * DedupeAndDrain), so work that arrives during the fetch joins this batch.
   */
  readonly fetchesStateFirst?: boolean;
  /** Runs one batch. `settings` holds every setting in {@link Strategy.settings}, resolved. */
  auction(batch: AuctionBatch, ctx: StrategyContext, settings: StrategySettings): AuctionProtocol;
  /**
   * Optional: why each auction of `batch` goes where this strategy puts it, given the cells' states
   * as fetched (all of them; evacuating ones included), the resolved settings, the seed and the
   * auctioneer's stream as the auction will find it (`rng`: a fork of `ctx.rng`; absent: a fresh
   * `streamFor(seed, 'auctioneer')`, as `schedule()` gives it). It must decide exactly as
   * {@link Strategy.auction} does on them: `schedule --explain` and `run --explain` show it, and
   * property tests hold the two equal for the built-in strategies that have one. With `only`, it
   * explains just those auction ids (the batch is still decided whole, since earlier auctions
   * change the cells for later ones). With `limit` (2 or more), it may list only that many of the
   * cells it scored (the best) and of those not reached (the first), and count the rest in
   * {@link AuctionExplanation.unlisted}: the report summarises every placement of a run, and most
   * of an explanation's cost is its cells.
   */
  explain?(states: readonly CellState[], batch: AuctionBatch, settings: StrategySettings, seed: number, rng?: Rng, only?: ReadonlySet<string>, limit?: number): AuctionExplanation[];
}
