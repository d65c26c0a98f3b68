// A worker thread of `auctionlab compare --jobs N`: runs the (point, seed) runs it is sent.
import { parentPort } from 'node:worker_threads';
import type { Scenario } from '../scenario/types.js';
import type { GridPoint, RunSpec } from './grid.js';
import { runOne } from './run-compare.js';

/** A job for a worker. */
export interface WorkerJob {
  /** The scenario. */
  scenario: Scenario;
  /** The grid point. */
  point: GridPoint;
  /** Which run. */
  spec: RunSpec;
  /** Duration override (ms). */
  durationMs: number | undefined;
}

parentPort?.on('message', (job: WorkerJob) => {
  try {
    parentPort?.postMessage({ ok: true, run: runOne(job.scenario, job.point, job.spec, job.durationMs) });
  } catch (e) {
    parentPort?.postMessage({ ok: false, error: (e as Error).message });
  }
});
