import { CONVERGENCE_DEFAULTS } from '../core/convergence/states.js';
import { childPath, Reader } from '../core/json/reader.js';
import { EVENT_KINDS, findEventKind, type ScenarioEvent } from '../sim/events/registry.js';
import { distribution, durationField } from '../sim/field-readers.js';
import { durationText } from '../sim/field-writers.js';
import { InstancePeaks } from './instance-peaks.js';
import { cellNames } from '../sim/initial-cells.js';
import type { Scenario } from '../sim/scenario.js';
import type { AppSpec, CellGroup, CrashBehaviour, Expectations, HealthCheck, ServiceTimes, StagingSpec, TaskStream } from '../sim/scenario-types.js';

export { parseDuration } from '../sim/field-readers.js';

const EVENT_NAMES = EVENT_KINDS.map((k) => k.kind);

// An event is `{at, <kind>: <body>}` with exactly one kind; the kind reads its body (events/).
function event(r: Reader, value: unknown, path: string): ScenarioEvent | undefined {
  const o = r.object(value, path, `an event {at, <action>} with one action of: ${EVENT_NAMES.join(', ')}`);
  if (!o) return undefined;
  r.rejectUnknown(o, path, ['at', ...EVENT_NAMES]);
  const at = durationField(r, o, 'at', path, 0, true);
  const actions = EVENT_NAMES.filter((k) => o[k] !== undefined);
  if (actions.length !== 1) {
    r.report(path, `expected exactly one action (${EVENT_NAMES.join(', ')}), got ${actions.length === 0 ? 'none' : actions.join(', ')}`);
    return undefined;
  }
  const name = actions[0] as string;
  const body = findEventKind(name)?.parse(r, o[name], childPath(path, name));
  return body === undefined ? undefined : ({ at, kind: name, ...body } as ScenarioEvent);
}

function cellGroup(r: Reader, value: unknown, path: string, index: number): CellGroup | undefined {
  const o = r.object(value, path, 'a cell group {count, zones, memoryMB, ...}');
  if (!o) return undefined;
  r.rejectUnknown(o, path, ['count', 'zones', 'memoryMB', 'diskMB', 'containers', 'stacks', 'docker', 'placementTags', 'optionalPlacementTags', 'volumeDrivers', 'proxyMemoryMB', 'prefix']);
  const zones = r.strings(o, 'zones', path);
  return {
    count: r.integer(o, 'count', path, { min: 1, max: 100_000 }),
    zones: zones.length > 0 ? zones : ['z1'],
    memoryMB: r.integer(o, 'memoryMB', path, { min: 1, max: 2_147_483_647, default: 32 * 1024 }),
    diskMB: r.integer(o, 'diskMB', path, { min: 1, max: 2_147_483_647, default: 64 * 1024 }),
    containers: r.integer(o, 'containers', path, { min: 1, max: 100_000, default: 250 }),
    stacks: o['stacks'] === undefined ? ['cflinuxfs4'] : r.strings(o, 'stacks', path),
    docker: r.boolean(o, 'docker', path, { default: true }),
    placementTags: r.strings(o, 'placementTags', path),
    optionalPlacementTags: r.strings(o, 'optionalPlacementTags', path),
    volumeDrivers: r.strings(o, 'volumeDrivers', path),
    proxyMemoryMB: r.integer(o, 'proxyMemoryMB', path, { min: 0, max: 100_000, default: 0 }),
    prefix: r.string(o, 'prefix', path, { nonEmpty: true, default: index === 0 ? 'cell' : `cell${index}` }),
  };
}

function crash(r: Reader, value: unknown, path: string): CrashBehaviour | null {
  if (value === undefined || value === null) return null;
  const o = r.object(value, path, 'a crash behaviour {probability, after}');
  if (!o) return null;
  r.rejectUnknown(o, path, ['probability', 'after']);
  return {
    probability: r.number(o, 'probability', path, { min: 0, max: 1, default: 1 }),
    after: distribution(r, o['after'], childPath(path, 'after'), { kind: 'constant', value: 60_000 }),
  };
}

function healthCheck(r: Reader, value: unknown, path: string): HealthCheck | null {
  if (value === undefined || value === null) return null;
  const o = r.object(value, path, 'a health check {delay, failureProbability}');
  if (!o) return null;
  r.rejectUnknown(o, path, ['delay', 'failureProbability']);
  return {
    delay: distribution(r, o['delay'] ?? '2s', childPath(path, 'delay'), { kind: 'constant', value: 2000 }),
    failureProbability: r.number(o, 'failureProbability', path, { min: 0, max: 1, default: 0 }),
  };
}

// Diego stages with a 1 GiB, 4 GiB-disk task that runs for a minute or two.
function staging(r: Reader, value: unknown, path: string): StagingSpec | null {
  if (value === undefined || value === null || value === false) return null;
  const o = value === true ? {} : r.object(value, path, 'true, or staging {memoryMB, diskMB, duration, failureProbability}');
  if (!o) return null;
  r.rejectUnknown(o, path, ['memoryMB', 'diskMB', 'duration', 'failureProbability']);
  return {
    memoryMB: r.integer(o, 'memoryMB', path, { min: 0, max: 2_147_483_647, default: 1024 }),
    diskMB: r.integer(o, 'diskMB', path, { min: 0, max: 2_147_483_647, default: 4096 }),
    duration: distribution(r, o['duration'] ?? { uniform: ['30s', '90s'] }, childPath(path, 'duration'), { kind: 'uniform', min: 30_000, max: 90_000 }),
    failureProbability: r.number(o, 'failureProbability', path, { min: 0, max: 1, default: 0 }),
  };
}

function app(r: Reader, value: unknown, path: string): AppSpec | undefined {
  const o = r.object(value, path, 'an app {name, instances, memoryMB, ...}');
  if (!o) return undefined;
  r.rejectUnknown(o, path, ['name', 'count', 'instances', 'memoryMB', 'diskMB', 'rootfs', 'placementTags', 'volumeDrivers', 'crash', 'at', 'over', 'healthCheck', 'dropletMB', 'push']);
  return {
    name: r.string(o, 'name', path, { nonEmpty: true }),
    count: r.integer(o, 'count', path, { min: 1, max: 10_000_000, default: 1 }),
    instances: r.integer(o, 'instances', path, { min: 0, max: 100_000, default: 1 }),
    memoryMB: r.integer(o, 'memoryMB', path, { min: 0, max: 2_147_483_647, default: 256 }),
    diskMB: r.integer(o, 'diskMB', path, { min: 0, max: 2_147_483_647, default: 256 }),
    rootfs: r.string(o, 'rootfs', path, { nonEmpty: true, default: 'preloaded:cflinuxfs4' }),
    placementTags: r.strings(o, 'placementTags', path),
    volumeDrivers: r.strings(o, 'volumeDrivers', path),
    crash: crash(r, o['crash'], childPath(path, 'crash')),
    at: durationField(r, o, 'at', path, 0),
    over: durationField(r, o, 'over', path, 0),
    healthCheck: healthCheck(r, o['healthCheck'], childPath(path, 'healthCheck')),
    dropletMB: r.number(o, 'dropletMB', path, { min: 0, max: 1_000_000, default: 0 }),
    staging: staging(r, o['push'], childPath(path, 'push')),
  };
}

/** Samples a run may take at most (a sample holds a few hundred bytes per app). */
const MAX_SAMPLES = 100_000;

/**
 * The size a scenario may have unless `allowLarge` (the CLI's `--allow-large`) is given: four times
 * Diego's 250,000-instance target, which runs in Node's default heap (about 2 KB live per instance
 * and per task record). A scenario past them is far more likely a slip (`count: 10000000`) than a
 * plan, and would run for hours or exhaust memory before saying so.
 */
export const SCENARIO_LIMITS = Object.freeze({
  /** Cells in all groups. */
  cells: 20_000,
  /** Instances of all apps, each at the most it has (its count, or a scale's). */
  instances: 1_000_000,
  /** Tasks over the run: every stream's expected arrivals and every task event. */
  tasks: 1_000_000,
  /** Timed events. */
  events: 100_000,
  /** Simulated time (ms): a day. Every cell refreshes its presence every 5 s and syncs every 30 s. */
  durationMs: 86_400_000,
});

/** Simulated time no scenario may pass (ms), large or not: 30 days. */
export const MAX_DURATION_MS = 30 * 86_400_000;

/**
 * What is wrong with a run's simulated time (a file's `duration` or `--duration`), or null: past
 * 30 days, or past a day without `allowLarge`. `got` is the value as the user wrote it.
 */
export function durationProblem(ms: number, allowLarge: boolean, got: unknown): string | null {
  const said = JSON.stringify(got) ?? String(got);
  if (ms > MAX_DURATION_MS) return `expected at most ${durationText(MAX_DURATION_MS)} (30 days), got ${said}`;
  if (ms > SCENARIO_LIMITS.durationMs && !allowLarge) return `expected at most ${durationText(SCENARIO_LIMITS.durationMs)}, got ${said} (${LIFT})`;
  return null;
}

/** The shortest sample interval (ms) a run of `durationMs` may have: at most 100,000 samples. */
export function sampleIntervalFloorMs(durationMs: number): number {
  return Math.ceil(durationMs / MAX_SAMPLES);
}

/** How a scenario is read. */
export interface ParseOptions {
  /** Lifts {@link SCENARIO_LIMITS} (the per-field bounds and the floors stay). */
  readonly allowLarge?: boolean;
}

function taskStream(r: Reader, value: unknown, path: string, end: number): TaskStream | undefined {
  const o = r.object(value, path, 'a task stream {name, perSecond, duration, ...}');
  if (!o) return undefined;
  r.rejectUnknown(o, path, ['name', 'perSecond', 'from', 'until', 'memoryMB', 'diskMB', 'rootfs', 'placementTags', 'duration']);
  return {
    name: r.string(o, 'name', path, { nonEmpty: true }),
    perSecond: r.number(o, 'perSecond', path, { min: 0, max: 1_000_000 }),
    from: durationField(r, o, 'from', path, 0),
    until: durationField(r, o, 'until', path, end),
    memoryMB: r.integer(o, 'memoryMB', path, { min: 0, max: 2_147_483_647, default: 256 }),
    diskMB: r.integer(o, 'diskMB', path, { min: 0, max: 2_147_483_647, default: 256 }),
    rootfs: r.string(o, 'rootfs', path, { nonEmpty: true, default: 'preloaded:cflinuxfs4' }),
    placementTags: r.strings(o, 'placementTags', path),
    // 30 s when not given, as scenarios/README.md says.
    duration: distribution(r, o['duration'] ?? '30s', childPath(path, 'duration'), { kind: 'constant', value: 30_000 }),
  };
}

/** Diego's service times (see scenarios/README.md for where each default comes from). */
export const SERVICE_TIME_DEFAULTS: Readonly<ServiceTimes> = Object.freeze({
  // Fitted to Diego's Go scheduler on the stress mix: 10,000 instances onto 1,000 empty cells in
  // 10.5-23.9 s, 100,000 in 198-251 s (mid-points: 1.7 ms and 2.25 ms per auction over 1,000 cells
  // averaging 5 and 50 instances): 1.64 us per cell plus 0.0122 us per instance on it, the batch's own
  // counted at half (see SimAuctioneer.schedulingMs); the model gives 17.0 s and 225 s for those two.
  schedulingPerAuctionMs: 0,
  schedulingPerCellMs: 0.00164,
  schedulingPerInstanceMs: 0.0000122,
  // Assumed (Diego publishes no figure; its alert fires at 10 s): 10 us per record read, so 2.5 s
  // for 250,000 instances.
  // Assumed (Diego publishes no figure; bbs indicators.yml reports RequestLatency with no
  // threshold): a write by a cell to the BBS, over the network into its SQL store, takes 5 ms.
  bbsWriteMs: 5,
  // Assumed: the rep's executor allocates a container in memory (rep auction_cell_rep.go Perform
  // calls AllocateContainers before it replies), 0.1 ms each.
  repAllocationMs: 0.1,
  convergenceFixedMs: 0,
  convergencePerRecordMs: 0.01,
});

function serviceTime(r: Reader, value: unknown): ServiceTimes | null {
  if (value === 'none') return null;
  if (value === undefined) return { ...SERVICE_TIME_DEFAULTS };
  const o = r.object(value, 'serviceTime', 'none, or {scheduling: {perAuction, perCell, perInstance}, bbs: {write}, rep: {allocation}, convergence: {fixed, perRecord}} (ms)');
  if (!o) return null;
  r.rejectUnknown(o, 'serviceTime', ['scheduling', 'bbs', 'rep', 'convergence']);
  const part = (key: string, fields: readonly string[]) => {
    const v = o[key];
    if (v === undefined) return {};
    const p = r.object(v, childPath('serviceTime', key), `an object {${fields.join(', ')}} of milliseconds`);
    if (p) r.rejectUnknown(p, childPath('serviceTime', key), fields);
    return p ?? {};
  };
  const sched = part('scheduling', ['perAuction', 'perCell', 'perInstance']);
  const conv = part('convergence', ['fixed', 'perRecord']);
  const bbs = part('bbs', ['write']);
  const rep = part('rep', ['allocation']);
  // Milliseconds as numbers (fractions for microseconds: 0.00164), or durations such as 2s.
  // An hour of Diego's own work per step is surely a slip of a unit: the run would stall, not teach.
  const ms = (obj: Record<string, unknown>, key: string, path: string, fallback: number) => {
    const v = durationField(r, obj, key, path, fallback);
    if (v > 3_600_000) r.report(childPath(path, key), `expected at most 1h, got ${String(obj[key])}`);
    return v;
  };
  const d = SERVICE_TIME_DEFAULTS;
  return {
    schedulingPerAuctionMs: ms(sched, 'perAuction', 'serviceTime.scheduling', d.schedulingPerAuctionMs),
    schedulingPerCellMs: ms(sched, 'perCell', 'serviceTime.scheduling', d.schedulingPerCellMs),
    schedulingPerInstanceMs: ms(sched, 'perInstance', 'serviceTime.scheduling', d.schedulingPerInstanceMs),
    bbsWriteMs: ms(bbs, 'write', 'serviceTime.bbs', d.bbsWriteMs),
    repAllocationMs: ms(rep, 'allocation', 'serviceTime.rep', d.repAllocationMs),
    convergenceFixedMs: ms(conv, 'fixed', 'serviceTime.convergence', d.convergenceFixedMs),
    convergencePerRecordMs: ms(conv, 'perRecord', 'serviceTime.convergence', d.convergencePerRecordMs),
  };
}

function fileServer(r: Reader, value: unknown): number {
  if (value === undefined) return 100;
  const o = r.object(value, 'fileServer', 'the file server {bandwidthMBps}');
  if (!o) return 100;
  r.rejectUnknown(o, 'fileServer', ['bandwidthMBps']);
  return r.number(o, 'bandwidthMBps', 'fileServer', { min: 0.001, max: 1_000_000, default: 100 });
}

function expectations(r: Reader, value: unknown, path: string): Expectations {
  const none: Expectations = { converged: null, safe: null, noTaskRanTwice: null, maxMissingAtEnd: null, maxFailedAuctions: null, routableFloor: null };
  if (value === undefined) return none;
  const o = r.object(value, path, 'expectations {converged, safe, noTaskRanTwice, maxMissingAtEnd, maxFailedAuctions, routableFloor}');
  if (!o) return none;
  r.rejectUnknown(o, path, ['converged', 'safe', 'noTaskRanTwice', 'maxMissingAtEnd', 'maxFailedAuctions', 'routableFloor']);
  return {
    converged: o['converged'] === undefined ? null : r.boolean(o, 'converged', path),
    safe: o['safe'] === undefined ? null : r.boolean(o, 'safe', path),
    noTaskRanTwice: o['noTaskRanTwice'] === undefined ? null : r.boolean(o, 'noTaskRanTwice', path),
    maxMissingAtEnd: o['maxMissingAtEnd'] === undefined ? null : r.integer(o, 'maxMissingAtEnd', path, { min: 0 }),
    maxFailedAuctions: o['maxFailedAuctions'] === undefined ? null : r.integer(o, 'maxFailedAuctions', path, { min: 0 }),
    routableFloor: o['routableFloor'] === undefined ? null : r.number(o, 'routableFloor', path, { min: 0, max: 1 }),
  };
}

const TOP = ['name', 'description', 'seed', 'duration', 'sampleInterval', 'strategy', 'settings', 'cells', 'startup', 'fileServer', 'network', 'auctioneers', 'lock', 'convergence', 'evacuation', 'presenceTtl', 'presenceRefresh', 'repPolling', 'serviceTime', 'apps', 'tasks', 'events', 'expect'];

/**
 * Validates a scenario document (parsed YAML or JSON) and fills in Diego's defaults. Every problem
 * is reported at once in an `InputError` (exported by `auctionlab`), each with its field path.
 */
export function parseScenario(value: unknown, defaultName = 'scenario', options: ParseOptions = {}): Scenario {
  const r = new Reader();
  const o = r.object(value, '', 'a scenario object (see scenarios/README.md)');
  if (!o) {
    r.throwIfProblems();
    throw new Error('unreachable');
  }
  r.rejectUnknown(o, '', TOP);
  const durationMs = durationField(r, o, 'duration', '', 600_000);
  const durationWrong = durationMs <= 0 ? 'expected a duration above 0' : durationProblem(durationMs, options.allowLarge === true, o['duration']);
  if (durationWrong !== null) r.report('duration', durationWrong);
  const net = o['network'] === undefined ? {} : (r.object(o['network'], 'network') ?? {});
  if (o['network'] !== undefined) r.rejectUnknown(net, 'network', ['latency', 'loss', 'timeout']);
  const lock = o['lock'] === undefined ? {} : (r.object(o['lock'], 'lock') ?? {});
  if (o['lock'] !== undefined) r.rejectUnknown(lock, 'lock', ['ttl', 'retry']);
  const conv = o['convergence'] === undefined ? {} : (r.object(o['convergence'], 'convergence') ?? {});
  if (o['convergence'] !== undefined) r.rejectUnknown(conv, 'convergence', ['interval', 'staleUnclaimed', 'pendingTaskTimeout', 'resolvingTimeout', 'completedTaskTtl', 'maxTaskRetries', 'onCellLoss']);
  const evac = o['evacuation'] === undefined ? {} : (r.object(o['evacuation'], 'evacuation') ?? {});
  if (o['evacuation'] !== undefined) r.rejectUnknown(evac, 'evacuation', ['timeout', 'poll']);

  let strategy = 'diego';
  let settings: Record<string, number> = {};
  const st = o['strategy'];
  if (typeof st === 'string' && st !== '') strategy = st;
  else if (st !== undefined) r.fail('strategy', 'a strategy name such as diego', st);
  if (o['settings'] !== undefined) {
    const so = r.object(o['settings'], 'settings', 'an object of strategy settings {name: number}');
    if (so) {
      settings = {};
      for (const [k, v] of Object.entries(so)) {
        // Defined, not assigned: `__proto__: 1` is then a setting the strategy refuses by name,
        // not a silent change of the object's prototype.
        if (typeof v === 'number' && Number.isFinite(v)) Object.defineProperty(settings, k, { value: v, enumerable: true, writable: true, configurable: true });
        else r.fail(childPath('settings', k), 'a number', v);
      }
    }
  }

  // Each event with its index in the file, so that later checks name the right one when an earlier
  // event could not be read. Read in the literal below, in file order, so problems come in file order.
  let events: { e: ScenarioEvent; i: number }[] = [];
  const readEvents = (): ScenarioEvent[] => {
    events = r.list(o, 'events', '', (v, p) => {
      const e = event(r, v, p);
      return e && { e, i: Number(/\[(\d+)\]$/.exec(p)?.[1] ?? 0) };
    }, { default: [] });
    return events.map((x) => x.e);
  };
  const scenario: Scenario = {
    name: r.string(o, 'name', '', { default: defaultName }),
    description: r.string(o, 'description', '', { default: '' }),
    seed: r.integer(o, 'seed', '', { min: 0, max: 2 ** 31 - 1, default: 1 }),
    durationMs,
    sampleIntervalMs: durationField(r, o, 'sampleInterval', '', 10_000),
    strategy,
    settings,
    cells: r.list(o, 'cells', '', (v, p) => cellGroup(r, v, p, Number(/\[(\d+)\]$/.exec(p)?.[1] ?? 0))),
    startup: distribution(r, o['startup'] ?? { uniform: ['2s', '8s'] }, 'startup', { kind: 'constant', value: 5000 }),
    fileServerMBps: fileServer(r, o['fileServer']),
    network: {
      latency: distribution(r, net['latency'] ?? '1ms', 'network.latency', { kind: 'constant', value: 1 }),
      loss: r.number(net, 'loss', 'network', { min: 0, max: 1, default: 0 }),
      timeoutMs: durationField(r, net, 'timeout', 'network', 10_000),
    },
    auctioneers: r.integer(o, 'auctioneers', '', { min: 1, max: 10, default: 2 }),
    lockTtlMs: durationField(r, lock, 'ttl', 'lock', 15_000),
    // Diego's auctioneer runs its locket lock with locket.SQLRetryInterval (1 s), not its 5 s config
    // value (auctioneer cmd/auctioneer/main.go; locket's constants).
    lockRetryMs: durationField(r, lock, 'retry', 'lock', 1_000),
    convergence: {
      intervalMs: durationField(r, conv, 'interval', 'convergence', CONVERGENCE_DEFAULTS.intervalMs),
      staleUnclaimedMs: durationField(r, conv, 'staleUnclaimed', 'convergence', CONVERGENCE_DEFAULTS.staleUnclaimedMs),
      pendingTaskTimeoutMs: durationField(r, conv, 'pendingTaskTimeout', 'convergence', CONVERGENCE_DEFAULTS.pendingTaskTimeoutMs),
      resolvingTimeoutMs: durationField(r, conv, 'resolvingTimeout', 'convergence', CONVERGENCE_DEFAULTS.resolvingTimeoutMs),
      completedTaskTtlMs: durationField(r, conv, 'completedTaskTtl', 'convergence', CONVERGENCE_DEFAULTS.completedTaskTtlMs),
      maxTaskRetries: r.integer(conv, 'maxTaskRetries', 'convergence', { min: 0, max: 1000, default: CONVERGENCE_DEFAULTS.maxTaskRetries }),
    },
    // Current Diego runs only its periodic pass: the BBS's CellEvents() returns nil since cell
    // presence moved from consul to locket (bbs serviceclient/service_client.go), so the converger's
    // cell-event case never fires (bbs converger/converger.go). Older Diego ran a pass at once.
    convergeOnCellLoss: r.boolean(conv, 'onCellLoss', 'convergence', { default: false }),
    serviceTime: serviceTime(r, o['serviceTime']),
    evacuationTimeoutMs: durationField(r, evac, 'timeout', 'evacuation', 600_000),
    evacuationPollMs: durationField(r, evac, 'poll', 'evacuation', 10_000),
    presenceTtlMs: durationField(r, o, 'presenceTtl', '', 15_000),
    // The rep's presence runner refreshes at locket.RetryInterval (rep cmd/rep/main.go; locket constants).
    presenceRefreshMs: durationField(r, o, 'presenceRefresh', '', 5_000),
    // The rep's bulk sync: diego-release jobs/rep/spec polling_interval_in_seconds, 30.
    repPollingMs: durationField(r, o, 'repPolling', '', 30_000),
    apps: r.list(o, 'apps', '', (v, p) => app(r, v, p), { default: [] }),
    tasks: r.list(o, 'tasks', '', (v, p) => taskStream(r, v, p, durationMs), { default: [] }),
    events: readEvents(),
    expect: expectations(r, o['expect'], 'expect'),
  };
  if (Array.isArray(o['cells']) && o['cells'].length === 0) r.report('cells', 'expected at least one cell group');
  // Floors that keep a run finite in time and memory: a timer of no length never lets simulated time
  // pass, and samples by the million fill the heap (assumed bounds, far beyond any real setting).
  const floor = (path: string, ms: number, min: number, why: string) => {
    if (ms < min) r.report(path, `expected at least ${min}ms (${why}), got ${ms}ms`);
  };
  if (scenario.sampleIntervalMs <= 0) r.report('sampleInterval', 'expected a duration above 0');
  // (Against a duration that is itself refused, the floor would name a field the user did not get wrong.)
  else if (durationWrong === null) floor('sampleInterval', scenario.sampleIntervalMs, sampleIntervalFloorMs(durationMs), `at most ${MAX_SAMPLES} samples a run`);
  if (scenario.convergence.intervalMs <= 0) r.report('convergence.interval', 'expected a duration above 0');
  else floor('convergence.interval', scenario.convergence.intervalMs, 100, 'Diego runs a pass every 30 s');
  if (scenario.repPollingMs <= 0) r.report('repPolling', 'expected a duration above 0');
  else floor('repPolling', scenario.repPollingMs, 100, "Diego's reps sync every 30 s");
  floor('evacuation.poll', scenario.evacuationPollMs, 100, "Diego's draining reps poll every 10 s");
  floor('lock.retry', scenario.lockRetryMs, 10, 'Diego retries every 1 s');
  floor('presenceRefresh', scenario.presenceRefreshMs, 10, 'Diego refreshes every 5 s');
  // A refresh as long as the TTL would let a healthy cell's presence lapse between refreshes.
  if (scenario.presenceRefreshMs >= scenario.presenceTtlMs && scenario.presenceTtlMs > 0) {
    r.report('presenceRefresh', `expected a duration below presenceTtl (${scenario.presenceTtlMs}ms), got ${scenario.presenceRefreshMs}ms`);
  }
  if (scenario.lockRetryMs >= scenario.lockTtlMs) r.report('lock.retry', `expected a duration below lock.ttl (${scenario.lockTtlMs}ms), got ${scenario.lockRetryMs}ms`);
  // The most instances each app (or member of an app group) ever has: its count, or a scale's.
  const peaks = new InstancePeaks(scenario.apps, events.map((x) => x.e));
  const names = new Set<string>();
  scenario.apps.forEach((a, i) => {
    if (names.has(a.name)) r.report(`apps[${i}].name`, `duplicate app name ${JSON.stringify(a.name)}`);
    names.add(a.name);
  });
  // The cells and zones events may name (a cell group with problems contributes nothing).
  const cells = cellNames(scenario.cells);
  const cellIds = new Set(cells.map((c) => c.id));
  const zones = [...new Set(cells.map((c) => c.zone))];
  const idRange = cells.length > 0 ? ` (cells are ${cells[0]!.id} to ${cells[cells.length - 1]!.id})` : '';
  events.forEach(({ e, i }) => {
    const kind = findEventKind(e.kind);
    const app = kind?.appOf?.(e);
    if (app !== undefined && app !== '' && !names.has(app) && ![...names].some((n) => app.startsWith(`${n}-`))) {
      r.report(`events[${i}].${e.kind}.app`, `no app named ${JSON.stringify(app)} in apps`);
    }
    const sel = kind?.cellsOf?.(e);
    if (sel?.kind === 'ids') {
      for (const id of sel.ids) if (!cellIds.has(id)) r.report(`events[${i}].${e.kind}`, `no cell named ${JSON.stringify(id)}${idRange}`);
    }
    const zone = sel?.kind === 'zone' ? sel.zone : kind?.zoneOf?.(e);
    if (zone !== undefined && zone !== '' && !zones.includes(zone)) r.report(`events[${i}].${e.kind}`, `no zone named ${JSON.stringify(zone)} (zones: ${zones.join(', ')})`);
    if (e.at > scenario.durationMs) r.report(`events[${i}].at`, `expected a time within the duration (${scenario.durationMs}ms), got ${e.at}ms`);
    // A crash of an index the app never has crashes nothing: a typo, said (its count, or the
    // largest a scale event gives it).
    if (e.kind === 'crash' && app !== undefined) {
      const most = peaks.of(app);
      if (most !== null && e.index >= most) r.report(`events[${i}].crash.index`, `expected an index below ${most} (${app} has at most ${most} instance${most === 1 ? '' : 's'}), got ${e.index}`);
    }
  });
  if (!options.allowLarge) checkSize(r, scenario, events.map((x) => x.e), peaks);
  // In time order; events at the same time in file order (a total order, not the sort's stability).
  scenario.events = [...events].sort((a, b) => a.e.at - b.e.at || a.i - b.i).map((x) => x.e);
  r.throwIfProblems();
  return scenario;
}

const count = (n: number) => Math.round(n).toLocaleString('en-US');
const LIFT = '--allow-large lifts this limit';

// The scenario's size against SCENARIO_LIMITS: one line per total that is too large, naming what
// makes it up.
function checkSize(r: Reader, s: Scenario, events: readonly ScenarioEvent[], peaks: InstancePeaks): void {
  const L = SCENARIO_LIMITS;
  const cells = s.cells.reduce((n, g) => n + g.count, 0);
  if (cells > L.cells) r.report('cells', `expected at most ${count(L.cells)} cells in all, got ${count(cells)} (${LIFT})`);
  const instances = peaks.total();
  if (instances > L.instances) r.report('apps', `expected at most ${count(L.instances)} instances in all (count x instances of every app), got ${count(instances)} (${LIFT})`);
  const perStream = s.tasks.map((t) => (t.perSecond * Math.max(0, Math.min(t.until, s.durationMs) - t.from)) / 1000);
  const tasks = perStream.reduce((n, x) => n + x, 0) + events.filter((e) => e.kind === 'task').length;
  if (tasks > L.tasks) {
    // The largest stream by a loop: a spread of 200,000 arguments overflows the stack.
    let big = 0;
    perStream.forEach((x, i) => {
      if (x > (perStream[big] ?? 0)) big = i;
    });
    const which = perStream.length > 0 ? `; tasks[${big}] alone submits about ${count(perStream[big] ?? 0)}` : '';
    r.report('tasks', `expected at most ${count(L.tasks)} tasks over the run, got about ${count(tasks)}${which} (${LIFT})`);
  }
  if (events.length > L.events) r.report('events', `expected at most ${count(L.events)} events, got ${count(events.length)} (${LIFT})`);
}
