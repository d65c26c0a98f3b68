import type { Auction, AuctionBatch } from '../model/auctions.js';
import { placementOrder } from '../placement-order.js';
import type { Reply, Request } from '../protocol/messages.js';
import { shuffleInPlace } from '../random.js';
import type { AuctionProtocol, Strategy, StrategyContext, StrategySettings } from '../strategy.js';
import { multiplex, type SubResult, type Unit } from './bidding.js';
import { ERR_NO_RESERVATION } from './random.js';
import { isConstraintRefusal } from '../errors.js';

/** A job: an app's instances in the batch (or one task). */
function jobsOf(batch: AuctionBatch): Auction[][] {
  const byApp = new Map<string, Auction[]>();
  const jobs: Auction[][] = [];
  for (const a of placementOrder(batch)) {
    if (a.kind === 'task') {
      jobs.push([a]);
      continue;
    }
    let job = byApp.get(a.lrp.process_guid);
    if (!job) {
      job = [];
      byApp.set(a.lrp.process_guid, job);
      jobs.push(job);
    }
    job.push(a);
  }
  return jobs;
}

/**
 * One job's protocol: probe `d x m` random cells for the job's `m` pending instances, then bind
 * late: each pending instance reserves on one of the least-loaded probed cells (a different cell
 * each) and claims it. Instances whose reservation fails try again next round with fresh probes.
 */
function* sparrowJob(job: Auction[], ctx: StrategyContext, settings: StrategySettings, asked: { n: number }): Generator<Request[], SubResult[], Reply[]> {
  const results: (SubResult | null)[] = job.map(() => null);
  let reason = ERR_NO_RESERVATION;
  const d = settings['probeRatio'] ?? 2;
  const maxRounds = settings['maxRounds'] ?? 10;
  // Sparrow handles a job's constraints by sampling only among the workers that satisfy them
  // (Ousterhout et al., section 4.3). The auctioneer knows cells by id alone, so it learns: a cell
  // that refuses the job for its rootfs, volume drivers or placement tags is not probed again for
  // it. Without this a job for a rare tag failed again and again when rounds of random probes
  // missed its one cell (the convergence property found it: one gold cell of eight, thirty rounds).
  const unfit = new Set<string>();
  for (let round = 0; round < maxRounds; round++) {
    const pending = results.flatMap((r, i) => (r === null ? [i] : []));
    if (pending.length === 0) break;
    const candidates = unfit.size === 0 ? [...ctx.cells] : ctx.cells.filter((c) => !unfit.has(c));
    if (candidates.length === 0) break;
    const probes = shuffleInPlace(ctx.rng, candidates).slice(0, Math.min(candidates.length, Math.ceil(d * pending.length)));
    asked.n += probes.length;
    const sample = job[pending[0] as number] as Auction;
    const loads = (yield probes.map((cell): Request => ({ kind: 'bid', cell, auction: sample })))
      .flatMap((r, i) => {
        if (r.kind === 'bid' && r.ok) return [{ cell: probes[i] as string, load: r.bid }];
        if (!r.ok) {
          reason = r.error;
          if (isConstraintRefusal(r.error)) unfit.add(probes[i] as string);
        }
        return [];
      })
      .sort((a, b) => a.load - b.load || (a.cell < b.cell ? -1 : a.cell > b.cell ? 1 : 0));
    const bound = pending.slice(0, loads.length);
    if (bound.length === 0) continue;
    const reserves = yield bound.map((i, k): Request => ({ kind: 'reserve', cell: (loads[k] as { cell: string }).cell, auction: job[i] as Auction }));
    const held = bound.flatMap((i, k) => {
      const r = reserves[k] as Reply;
      if (!r.ok) reason = r.error;
      return r.ok ? [{ i, cell: (loads[k] as { cell: string }).cell }] : [];
    });
    if (held.length === 0) continue;
    const claims = yield held.map(({ i, cell }): Request => ({ kind: 'claim', cell, auction: job[i] as Auction }));
    held.forEach(({ i, cell }, k) => (results[i] = { placed: true, cell, confirmed: (claims[k] as Reply).ok }));
  }
  return results.map((r) => r ?? { placed: false, reason });
}

/**
 * Sparrow (Ousterhout et al., SOSP 2013): batch sampling with late binding. For a job of `m`
 * instances (an app's instances in the batch, or one task), probe `d x m` random cells (d = 2) for
 * their load (the rep's bid), and place the job's instances on the `m` least loaded, reserving
 * there first and claiming once reserved. No state fetch of the whole cluster, no central scores.
 */
export const sparrowStrategy: Strategy = {
  name: 'sparrow',
  summary: 'Sparrow: batch sampling (probe 2 x m cells for m instances) with late binding',
  settings: [
    { name: 'probeRatio', default: 2, description: 'cells probed per instance of a job (d)', min: 1, max: 1000, integer: false },
    { name: 'maxRounds', default: 10, description: 'probe rounds before an instance fails', min: 1, max: 100_000, integer: true },
    { name: 'concurrentJobs', default: 20, description: 'jobs in flight at once', min: 1, max: 100_000, integer: true },
  ],
  *auction(batch: AuctionBatch, ctx: StrategyContext, settings: StrategySettings): AuctionProtocol {
    const asked = { n: 0 };
    const jobs = jobsOf(batch);
    if (ctx.cells.length === 0) return { placed: [], failed: jobs.flat().map((auction) => ({ auction, reason: ERR_NO_RESERVATION })), cellsScored: 0 };
    const units = jobs.map((job): Unit => ({ auctions: job, start: () => sparrowJob(job, ctx, settings, asked) }));
    return yield* multiplex(units, settings['concurrentJobs'] ?? 20, () => asked.n);
  },
};
