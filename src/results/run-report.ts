// What `run --json` prints and a run's `results.json` holds: the run's result, marked and dated.
import type { RunResult } from './run-result.js';

/** What `run --json` prints and `results.json` holds. */
export interface RunReport extends RunResult {
  /** Marks the file. */
  kind: 'auctionlab-run';
  /** The auctionlab version that ran it. */
  version: string;
  /** Wall time of the run (ms). */
  wallMs: number;
  /** Simulated time per wall time. */
  speedup: number;
}
