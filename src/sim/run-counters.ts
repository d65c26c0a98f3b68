// The counters a simulated run keeps as it goes (the world's parts add to them; the summary reads them).

/** Counters the run keeps as it goes; the summary reads them at the end. */
export interface RunCounters {
  /** Auction batches. */
  auctions: number;
  /** Auctions placed. */
  placed: number;
  /** Auctions failed. */
  failed: number;
  /** Placements never confirmed by the cell. */
  unconfirmed: number;
  /** Failures by reason. */
  failuresByReason: Map<string, number>;
  /** Waits from request to placement (ms). */
  waitTimesMs: number[];
  /** Crashes. */
  crashes: number;
  /** Instances stopped by evacuation. */
  evictions: number;
  /** Round trips on auctions' critical paths. */
  rounds: number;
  /** Cells scored or asked to bid. */
  cellsScored: number;
  /** LRP auctions placed (Diego's AuctioneerLRPAuctionsStarted). */
  lrpAuctionsStarted: number;
  /** LRP auctions failed (AuctioneerLRPAuctionsFailed). */
  lrpAuctionsFailed: number;
  /** Task auctions placed (AuctioneerTaskAuctionsStarted). */
  taskAuctionsStarted: number;
  /** Task auctions failed (AuctioneerTaskAuctionsFailed). */
  taskAuctionsFailed: number;
  /** How long the latest fetch of the cells' states took (ms of simulated time; AuctioneerFetchStatesDuration). */
  fetchStatesDurationMs: number;
  /** Convergence passes run (ConvergenceLRPRuns). */
  convergenceRuns: number;
  /** How long the last periodic convergence pass took (ms of simulated time; 0 without service times). */
  convergenceDurationMs: number;
}
