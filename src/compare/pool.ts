import { Worker } from 'node:worker_threads';
import type { Strategy } from '../core/strategy.js';
import type { Scenario } from '../scenario/types.js';
import type { GridPoint, RunSpec } from './grid.js';
import { runOne, type CompareRun } from './run-compare.js';
import type { WorkerJob } from './worker.js';

/**
 * Runs specs on `jobs` worker threads (`strategies[i]` is point i's strategy, loaded) (in this thread when `jobs` is 1, or when the compiled worker
 * is not there, as under tsx). Results come back in spec order whatever finished first, so any
 * number of jobs gives the same results.
 */
export async function runAll(
  scenario: Scenario,
  points: readonly GridPoint[],
  strategies: readonly Strategy[],
  specs: readonly RunSpec[],
  jobs: number,
  durationMs: number | undefined,
  onDone: (done: number) => void = () => undefined,
): Promise<CompareRun[]> {
  const out = new Array<CompareRun>(specs.length);
  const workerFile = new URL('./worker.js', import.meta.url);
  const canFork = jobs > 1 && specs.length > 1 && workerFile.pathname.endsWith('.js') && import.meta.url.endsWith('.js');
  if (!canFork) {
    specs.forEach((spec, i) => {
      out[i] = runOne(scenario, points[spec.point] as GridPoint, strategies[spec.point] as Strategy, spec, durationMs);
      onDone(i + 1);
    });
    return out;
  }
  let next = 0;
  let done = 0;
  const n = Math.min(jobs, specs.length);
  await Promise.all(
    Array.from({ length: n }, () => {
      const w = new Worker(workerFile);
      return new Promise<void>((resolve, reject) => {
        let mine = -1;
        const feed = () => {
          if (next >= specs.length) {
            void w.terminate().then(() => resolve());
            return;
          }
          mine = next++;
          const spec = specs[mine] as RunSpec;
          const job: WorkerJob = { scenario, point: points[spec.point] as GridPoint, spec, durationMs, cwd: process.cwd() };
          w.postMessage(job);
        };
        w.on('message', (msg: { ok: true; run: CompareRun } | { ok: false; error: string }) => {
          if (!msg.ok) {
            void w.terminate();
            reject(new Error(msg.error));
            return;
          }
          out[mine] = msg.run;
          onDone(++done);
          feed();
        });
        w.on('error', reject);
        feed();
      });
    }),
  );
  return out;
}
