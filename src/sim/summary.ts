// What a run's world adds up to: samples of the time series, the summary figures at the end, where
// everything sits, and the scenario's expectations checked against the summary.
import { jainIndex, maxMinusMin, memoryShareSpread, zoneSkewOfIndex, type ZoneSkew } from '../metrics/balance.js';
import { distributionScore, memoryUsedPerCell } from '../metrics/distribution.js';
import { cellsNeeded, sortedCounts, strandedMemoryMB, utilisation } from '../metrics/packing.js';
import { percentiles } from '../metrics/percentiles.js';
import { cpuAllocation, gpuAllocation, resourceUse } from '../metrics/resource-use.js';
import { snapshotNumbered, type PlacementSnapshot, type SnapshotInput } from '../metrics/placement-snapshot.js';
import type { WorldSpec } from './scenario-types.js';
import type { ExpectationResult, RunSummary, SafetyReport, Sample } from '../results/run-result.js';
import type { RouteLow, RouteTable } from './routes.js';
import type { World } from './world.js';

/** Every cell's reported state at this moment, with how it stands. */
export function cellsOf(w: World): SnapshotInput[] {
  return w.cells.map((c) => ({
    state: c.rep.state,
    status: !c.alive ? 'dead' : w.network.isCut(c.zone) ? 'partitioned' : c.evacuatingSince >= 0 ? 'evacuating' : 'live',
  }));
}

/** The cells at this moment, each with how it stands. */
export function placementOf(w: World): PlacementSnapshot {
  // By the shared index's app numbers: the run's end at diego-x10 sorts 1.9 million apps' guids, not 2.4 million instances' scattered ones.
  return snapshotNumbered(cellsOf(w), w.index.apps);
}

/** One sample; `waitsSeen` remembers how many wait times earlier samples covered. */
export function takeSample(w: World, waitsSeen: { n: number }, routes: RouteTable): Sample {
  const { total: routable, byApp } = routes.sample(w.kernel.now);
  const waits = w.counters.waitTimesMs;
  const recent = waits.length > waitsSeen.n ? percentiles(waits.slice(waitsSeen.n)) : null;
  waitsSeen.n = waits.length;
  const crashed = w.bbs.crashed;
  let pendingTasks = 0;
  let runningTasks = 0;
  let completedTasks = 0;
  for (const t of w.bbs.tasks.values()) {
    if (t.state === 'PENDING') pendingTasks++;
    else if (t.state === 'RUNNING') runningTasks++;
    else if (t.state === 'COMPLETED') completedTasks++;
  }
  let used = 0;
  let total = 0;
  for (const c of w.cells) {
    if (!c.alive) continue;
    const s = c.rep.state;
    used += s.TotalResources.MemoryMB - s.AvailableResources.MemoryMB;
    total += s.TotalResources.MemoryMB;
  }
  const extra = w.extraInstances();
  const sample: Sample = {
    t: w.kernel.now,
    desired: w.bbs.desiredInstances,
    running: w.bbs.runningDesired,
    missing: w.bbs.missing,
    extra,
    crashed,
    pendingTasks,
    runningTasks,
    utilisation: total > 0 ? used / total : 0,
    messages: w.network.messages,
    waitP50Ms: recent ? recent.p50 : null,
    waitP99Ms: recent ? recent.p99 : null,
    diego: {
      AuctioneerLRPAuctionsStarted: w.counters.lrpAuctionsStarted,
      AuctioneerLRPAuctionsFailed: w.counters.lrpAuctionsFailed,
      AuctioneerTaskAuctionsStarted: w.counters.taskAuctionsStarted,
      AuctioneerTaskAuctionsFailed: w.counters.taskAuctionsFailed,
      AuctioneerFetchStatesDuration: w.counters.fetchStatesDurationMs,
      ConvergenceLRPRuns: w.counters.convergenceRuns,
      ConvergenceLRPDuration: w.counters.convergenceDurationMs,
      LRPsMissing: w.bbs.missing,
      LRPsExtra: extra,
      LRPsRunning: w.bbs.runningDesired,
      CrashedActualLRPs: crashed,
      TasksPending: pendingTasks,
      TasksRunning: runningTasks,
      TasksCompleted: completedTasks,
    },
    routable,
    routes: byApp,
  };
  // Balance over time, for the rebalancer's figures (a scenario without one samples as before).
  if (w.rebalancer !== null) {
    const live = w.cells.filter((c) => c.alive && !w.network.isCut(c.zone)).map((c) => c.rep.state);
    sample.loadSpread = memoryShareSpread(live);
    sample.emptyCells = live.reduce((n, s) => n + (s.LRPs.length === 0 ? 1 : 0), 0);
    w.rebalancer.sampled(sample.loadSpread, sample.emptyCells);
  }
  // CPU and GPU allocation over time, on a cluster that carries them (a Diego cluster's samples are as before).
  if (w.carriesExtraDimensions) {
    const live = w.cells.filter((c) => c.alive).map((c) => c.rep.state);
    const cpu = cpuAllocation(live);
    const gpu = gpuAllocation(live);
    if (cpu !== null) sample.cpuAllocation = cpu;
    if (gpu !== null) sample.gpuAllocation = gpu;
  }
  return sample;
}

// Whether the scenario had work running when it was desired (`runningOn`), placed or refused.
function initialWork(w: World): boolean {
  const t = w.initialPlacement;
  return t.instances + t.tasks + t.refused > 0;
}

/**
 * The zone skew of the instances on live cells (`zoneSkew` of the live cells' states, max and mean),
 * read from the reps' placement index: no map of every app at the run's end.
 */
export function liveZoneSkew(w: World): Omit<ZoneSkew, 'byApp'> {
  const zones = [...new Set(w.cells.filter((c) => c.alive).map((c) => c.zone))].sort();
  const zoneNo = new Map(zones.map((z, i) => [z, i] as const));
  const zoneOf = new Int32Array(w.index.cellCount).fill(-1);
  for (let no = 0; no < zoneOf.length; no++) {
    const cell = w.cellById.get(w.index.cellId(no) as string);
    if (cell?.alive) zoneOf[no] = zoneNo.get(cell.zone) as number;
  }
  return zoneSkewOfIndex(w.index, zoneOf, zones.length);
}

/** The run's figures at its end. */
export function summarise(w: World, routes: RouteTable): RunSummary {
  const c = w.counters;
  const live = w.cells.filter((x) => x.alive).map((x) => x.rep.state);
  const used = memoryUsedPerCell(live);
  const skew = liveZoneSkew(w);
  const extra = w.extraInstances();
  const resources = resourceUse(live);
  const served = w.bbs.missing > 0 ? w.bbs.servedByEvacuatingCopies() : { served: 0, crashing: 0 };
  return {
    auctions: c.auctions,
    placed: c.placed,
    failed: c.failed,
    failuresByReason: sortedCounts(c.failuresByReason),
    unconfirmed: c.unconfirmed,
    distributionScore: distributionScore(live),
    balance: { memorySpreadMB: maxMinusMin(used), jainIndex: jainIndex(used), zoneSkewMax: skew.max, zoneSkewMean: skew.mean },
    packing: { utilisation: utilisation(live), strandedMemoryMB: strandedMemoryMB(live), cellsNeeded: cellsNeeded(live), liveCells: live.length },
    ...(resources !== null ? { resources } : {}),
    ...(initialWork(w) ? { initial: { ...w.initialPlacement, refusals: [...w.initialPlacement.refusals] } } : {}),
    ...(w.cron !== null ? { cron: w.cron.summary() } : {}),
    ...(w.rebalancer !== null ? { rebalance: w.rebalancer.summary() } : {}),
    waitMs: percentiles(c.waitTimesMs),
    faults: w.faultInjector.recovery.results(w.bbs),
    desiredAtEnd: w.bbs.desiredInstances,
    // An index whose EVACUATING copy still serves (a drain or a rebalancing move under way) is not missing.
    missingAtEnd: w.bbs.missing - served.served,
    crashingAtEnd: w.bbs.missing > 0 ? w.bbs.crashingNotRunning() - served.crashing : 0,
    extraAtEnd: extra,
    tasksCompleted: w.bbs.tasks.succeeded,
    taskFailures: Object.fromEntries(w.bbs.tasks.failures),
    tasksRunTwice: w.bbs.tasks.runTwice,
    crashes: c.crashes,
    evictions: c.evictions,
    messages: w.network.messages,
    messagesLost: w.network.lost,
    rounds: c.rounds,
    rejectedTransitions: w.bbs.rejectedTransitions,
    events: w.kernel.events,
    routes: Object.fromEntries([...routes.lows].sort((a, b) => (a[0] < b[0] ? -1 : 1))),
    routesDuringEvents: routes.events,
  };
}

/** The scenario's expectations, each checked against the summary. */
export function checkExpectations(sc: WorldSpec, s: RunSummary, safety: SafetyReport | null = null): ExpectationResult[] {
  const out: ExpectationResult[] = [];
  const e = sc.expect;
  if (e.safe !== null && safety !== null) {
    const first = safety.violations[0];
    const detail = first ? `broken at ${safety.brokenAtMs} ms: ${first.property}: ${first.detail}` : `held at ${safety.checks} checks`;
    out.push({ name: 'safe', ok: (first === undefined) === e.safe, detail });
  }
  if (e.converged !== null) {
    // Diego's sense: nothing missing but instances of apps that crash (each has its record, and its
    // restarts are the crash policy's business), nothing extra, and every fault's instances back.
    const open = s.faults.filter((f) => f.recoveredAfterMs === null);
    const held = s.missingAtEnd - s.crashingAtEnd === 0 && s.extraAtEnd === 0 && open.length === 0;
    const crashing = s.crashingAtEnd > 0 ? ` (${s.crashingAtEnd} of them crashing)` : '';
    const faults = open.length > 0 ? `; not recovered: ${open.map((f) => `${f.kind} at ${(f.at / 60_000).toFixed(1)} min (${f.displaced - f.back - f.noLongerDesired} not back)`).join(', ')}` : '';
    out.push({ name: 'converged', ok: held === e.converged, detail: `${s.missingAtEnd} missing${crashing}, ${s.extraAtEnd} extra at the end${faults}` });
  }
  if (e.noTaskRanTwice !== null) out.push({ name: 'noTaskRanTwice', ok: (s.tasksRunTwice === 0) === e.noTaskRanTwice, detail: `${s.tasksRunTwice} tasks ran twice` });
  if (e.maxMissingAtEnd !== null) out.push({ name: 'maxMissingAtEnd', ok: s.missingAtEnd <= e.maxMissingAtEnd, detail: `${s.missingAtEnd} missing at the end (at most ${e.maxMissingAtEnd})` });
  if (e.maxFailedAuctions !== null) out.push({ name: 'maxFailedAuctions', ok: s.failed <= e.maxFailedAuctions, detail: `${s.failed} failed auctions (at most ${e.maxFailedAuctions})` });
  if (e.routableFloor !== null) {
    const floor = e.routableFloor;
    const lows = Object.entries(s.routes);
    const worst = lows.reduce<[string, RouteLow] | null>((m, x) => (m === null || x[1].minFraction < m[1].minFraction ? x : m), null);
    const below = lows.filter(([, l]) => l.minFraction < floor);
    out.push({
      name: 'routableFloor',
      ok: below.length === 0,
      detail: worst
        ? `lowest: ${worst[0]} ${worst[1].minRoutable}/${worst[1].target} routable (${(100 * worst[1].minFraction).toFixed(0)}%) at ${(worst[1].atMs / 60_000).toFixed(1)} min; floor ${(100 * floor).toFixed(0)}%${below.length ? `; below it: ${below.map(([a]) => a).join(', ')}` : ''}`
        : 'no app was ever fully routable',
    });
  }
  return out;
}
