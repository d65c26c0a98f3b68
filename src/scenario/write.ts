// A validated scenario written back as a scenario document: every field explicit, every default
// filled in, in the file's own syntax (durations as `30s`, distributions, cell selectors), so that
// `run --print-scenario` shows what a run will use and its output reads back to the same scenario.
import { findEventKind } from '../sim/events/registry.js';
import { distributionValue, durationText } from '../sim/field-writers.js';
import type { AppSpec, CellGroup, CronSpec, HealthCheck, RebalanceSpec, Expectations, ServiceTimes, TaskStream } from '../sim/scenario-types.js';
import type { Scenario } from './types.js';
import { writeWorkResources } from '../sim/work-resource-schema.js';

function cellGroup(g: CellGroup): Record<string, unknown> {
  return {
    count: g.count,
    zones: [...g.zones],
    memoryMB: g.memoryMB,
    diskMB: g.diskMB,
    containers: g.containers,
    stacks: [...g.stacks],
    docker: g.docker,
    placementTags: [...g.placementTags],
    optionalPlacementTags: [...g.optionalPlacementTags],
    volumeDrivers: [...g.volumeDrivers],
    proxyMemoryMB: g.proxyMemoryMB,
    prefix: g.prefix,
    ...(g.ids !== undefined ? { ids: [...g.ids] } : {}),
    ...(g.cpuMilli !== undefined ? { cpuMilli: g.cpuMilli } : {}),
    ...(g.gpus !== undefined ? { gpus: g.gpus } : {}),
    ...(g.gpuModel !== undefined ? { gpuModel: g.gpuModel } : {}),
  };
}

function app(a: AppSpec): Record<string, unknown> {
  return {
    name: a.name,
    count: a.count,
    instances: a.instances,
    memoryMB: a.memoryMB,
    diskMB: a.diskMB,
    rootfs: a.rootfs,
    placementTags: [...a.placementTags],
    volumeDrivers: [...a.volumeDrivers],
    // null: the app never crashes of itself; no health check; desired without staging.
    crash: a.crash === null ? null : { probability: a.crash.probability, after: distributionValue(a.crash.after) },
    at: durationText(a.at),
    over: durationText(a.over),
    healthCheck: a.healthCheck === null ? null : healthCheck(a.healthCheck),
    dropletMB: a.dropletMB,
    push:
      a.staging === null
        ? false
        : { memoryMB: a.staging.memoryMB, diskMB: a.staging.diskMB, duration: distributionValue(a.staging.duration), failureProbability: a.staging.failureProbability },
    ...writeWorkResources(a),
    ...(a.runningOn !== undefined ? { runningOn: [...a.runningOn] } : {}),
  };
}

function healthCheck(h: HealthCheck): Record<string, unknown> {
  return {
    type: h.type,
    ...(h.endpoint !== null ? { endpoint: h.endpoint } : {}),
    ...(h.type !== 'process' ? { delay: distributionValue(h.delay) } : {}),
    failureProbability: h.failureProbability,
    ...(h.startTimeoutMs !== null ? { startTimeout: durationText(h.startTimeoutMs) } : {}),
    interval: durationText(h.intervalMs),
    ...(h.liveness !== null ? { liveness: { probability: h.liveness.probability, after: distributionValue(h.liveness.after) } } : {}),
    ...(h.readiness !== null ? { readiness: { interval: durationText(h.readiness.intervalMs), probability: h.readiness.probability, after: distributionValue(h.readiness.after), lasting: distributionValue(h.readiness.lasting) } } : {}),
  };
}

function cronEntry(c: CronSpec): Record<string, unknown> {
  return {
    name: c.name,
    schedule: c.schedule,
    concurrency: c.concurrency,
    ...(c.startingDeadlineMs !== null ? { startingDeadline: durationText(c.startingDeadlineMs) } : {}),
    historyLimit: c.historyLimit,
    lateAfter: durationText(c.lateAfterMs),
    from: durationText(c.from),
    until: durationText(c.until),
    memoryMB: c.memoryMB,
    diskMB: c.diskMB,
    rootfs: c.rootfs,
    placementTags: [...c.placementTags],
    duration: distributionValue(c.duration),
    ...writeWorkResources(c),
  };
}

function rebalance(b: RebalanceSpec): Record<string, unknown> {
  return {
    policy: b.policy,
    every: durationText(b.everyMs),
    from: durationText(b.fromMs),
    ...(b.untilMs !== null ? { until: durationText(b.untilMs) } : {}),
    movesPerInterval: b.movesPerInterval,
    inFlightPerApp: b.inFlightPerApp,
    floor: b.floor,
    low: b.low,
    high: b.high,
  };
}

function taskStream(t: TaskStream): Record<string, unknown> {
  return {
    name: t.name,
    perSecond: t.perSecond,
    from: durationText(t.from),
    until: durationText(t.until),
    memoryMB: t.memoryMB,
    diskMB: t.diskMB,
    rootfs: t.rootfs,
    placementTags: [...t.placementTags],
    duration: distributionValue(t.duration),
    ...writeWorkResources(t),
  };
}

// Service times stay milliseconds as numbers: most are fractions (0.00164 ms per cell).
function serviceTime(t: ServiceTimes | null): unknown {
  if (t === null) return 'none';
  return {
    scheduling: { perAuction: t.schedulingPerAuctionMs, perCell: t.schedulingPerCellMs, perInstance: t.schedulingPerInstanceMs },
    bbs: { write: t.bbsWriteMs },
    rep: { allocation: t.repAllocationMs },
    convergence: { fixed: t.convergenceFixedMs, perRecord: t.convergencePerRecordMs },
  };
}

// An expectation not set is absent (a file cannot say "not expected" otherwise).
function expectations(e: Expectations): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) if (v !== null) out[k] = v;
  return out;
}

/**
 * The scenario as a document (for YAML or JSON) with every field explicit: `parseScenario` reads it
 * back to an equal scenario.
 */
export function scenarioDocument(s: Scenario): Record<string, unknown> {
  return {
    name: s.name,
    description: s.description,
    seed: s.seed,
    duration: durationText(s.durationMs),
    sampleInterval: durationText(s.sampleIntervalMs),
    strategy: s.strategy,
    settings: { ...s.settings },
    cells: s.cells.map(cellGroup),
    startup: distributionValue(s.startup),
    fileServer: { bandwidthMBps: s.fileServerMBps },
    network: { latency: distributionValue(s.network.latency), loss: s.network.loss, timeout: durationText(s.network.timeoutMs) },
    auctioneers: s.auctioneers,
    lock: { ttl: durationText(s.lockTtlMs), retry: durationText(s.lockRetryMs) },
    convergence: {
      interval: durationText(s.convergence.intervalMs),
      staleUnclaimed: durationText(s.convergence.staleUnclaimedMs),
      pendingTaskTimeout: durationText(s.convergence.pendingTaskTimeoutMs),
      resolvingTimeout: durationText(s.convergence.resolvingTimeoutMs),
      completedTaskTtl: durationText(s.convergence.completedTaskTtlMs),
      maxTaskRetries: s.convergence.maxTaskRetries,
      onCellLoss: s.convergeOnCellLoss,
    },
    evacuation: { timeout: durationText(s.evacuationTimeoutMs), poll: durationText(s.evacuationPollMs) },
    presenceTtl: durationText(s.presenceTtlMs),
    presenceRefresh: durationText(s.presenceRefreshMs),
    repPolling: durationText(s.repPollingMs),
    serviceTime: serviceTime(s.serviceTime),
    apps: s.apps.map(app),
    tasks: s.tasks.map(taskStream),
    ...(s.cron !== undefined && s.cron.length > 0 ? { cron: s.cron.map(cronEntry) } : {}),
    ...(s.rebalance !== undefined ? { rebalance: rebalance(s.rebalance) } : {}),
    events: s.events.map((e) => {
      const kind = findEventKind(e.kind);
      if (!kind) throw new Error(`no event kind ${e.kind}`);
      return { at: durationText(e.at), [e.kind]: kind.write(e) };
    }),
    expect: expectations(s.expect),
  };
}
