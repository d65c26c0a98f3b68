// A worker thread of `auctionlab compare --jobs N`: runs the (point, seed) runs it is sent.
import { parentPort } from 'node:worker_threads';
import type { Strategy } from '../core/strategy.js';
import { loadStrategy } from '../io/load-strategy.js';
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
  /** Directory strategy module paths are relative to. */
  cwd: string;
}

const loaded = new Map<string, Promise<Strategy>>();

parentPort?.on('message', (job: WorkerJob) => {
  let strategy = loaded.get(job.point.strategy);
  if (!strategy) {
    strategy = loadStrategy(job.point.strategy, job.cwd);
    loaded.set(job.point.strategy, strategy);
  }
  strategy
    .then((s) => parentPort?.postMessage({ ok: true, run: runOne(job.scenario, job.point, s, job.spec, job.durationMs) }))
    .catch((e: unknown) => parentPort?.postMessage({ ok: false, error: (e as Error).message }));
});
