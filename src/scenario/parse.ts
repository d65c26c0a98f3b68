import { CONVERGENCE_DEFAULTS } from '../core/convergence/states.js';
import { childPath, type JSONObject, Reader } from '../core/json/reader.js';
import type { AppSpec, CellGroup, CellSelector, CrashBehaviour, Distribution, Expectations, HealthCheck, Scenario, ScenarioEvent, StagingSpec, TaskStream } from './types.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

/** Parses `250ms`, `30s`, `10m`, `1h`, `5m30s`, `1h30m` into milliseconds; undefined if it is not one. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (!DURATION.test(t)) return undefined;
  let ms = 0;
  for (const m of t.matchAll(PART)) ms += Number(m[1]) * (UNITS[m[2] as string] as number);
  return ms;
}

/** Reads a duration: milliseconds as a number, or a string such as `250ms`, `30s`, `10m`, `1h30m`. */
function duration(r: Reader, value: unknown, path: string, fallback: number): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  if (typeof value === 'string') {
    const ms = parseDuration(value);
    if (ms !== undefined) return ms;
  }
  r.fail(path, 'a duration such as 500ms, 30s, 10m, 1h30m (or milliseconds)', value);
  return fallback;
}

function durationField(r: Reader, o: JSONObject, key: string, path: string, fallback: number, required = false): number {
  const v = o[key];
  if (v === undefined) {
    if (required) r.fail(childPath(path, key), 'a duration such as 30s or 10m', v);
    return fallback;
  }
  return duration(r, v, childPath(path, key), fallback);
}

/** Reads a distribution: a duration (constant), `{constant}`, `{uniform: [min, max]}` or `{exponential: mean}`. */
function distribution(r: Reader, value: unknown, path: string, fallback: Distribution): Distribution {
  if (typeof value === 'number' || typeof value === 'string') return { kind: 'constant', value: duration(r, value, path, 0) };
  const o = r.object(value, path, 'a duration, {constant: d}, {uniform: [min, max]} or {exponential: mean}');
  if (!o) return fallback;
  const keys = Object.keys(o);
  if (keys.length !== 1) {
    r.report(path, `expected exactly one of constant, uniform, exponential, got ${keys.length === 0 ? 'none' : keys.join(', ')}`);
    return fallback;
  }
  const p = childPath(path, keys[0] as string);
  if ('constant' in o) return { kind: 'constant', value: duration(r, o['constant'], p, 0) };
  if ('exponential' in o) return { kind: 'exponential', mean: duration(r, o['exponential'], p, 0) };
  if ('uniform' in o) {
    const u = o['uniform'];
    if (!Array.isArray(u) || u.length !== 2) {
      r.fail(p, 'a list [min, max]', u);
      return fallback;
    }
    const min = duration(r, u[0], childPath(p, 0), 0);
    const max = duration(r, u[1], childPath(p, 1), 0);
    if (max < min) r.report(p, `expected min <= max, got [${min}ms, ${max}ms]`);
    return { kind: 'uniform', min, max };
  }
  r.report(childPath(path, keys[0] as string), 'unknown distribution (expected constant, uniform or exponential)');
  return fallback;
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
    duration: distribution(r, o['duration'], childPath(path, 'duration'), { kind: 'constant', value: 30_000 }),
  };
}

function selector(r: Reader, value: unknown, path: string): CellSelector {
  if (typeof value === 'string' && /^\d+(\.\d+)?%$/.test(value)) return { kind: 'fraction', fraction: Number(value.slice(0, -1)) / 100 };
  const o = r.object(value, path, 'cells to act on: {ids: [...]}, {zone: z1}, {fraction: 0.1} or "10%"');
  if (!o) return { kind: 'ids', ids: [] };
  r.rejectUnknown(o, path, ['ids', 'zone', 'fraction']);
  if (o['ids'] !== undefined) return { kind: 'ids', ids: r.strings(o, 'ids', path) };
  if (o['zone'] !== undefined) return { kind: 'zone', zone: r.string(o, 'zone', path, { nonEmpty: true }) };
  if (o['fraction'] !== undefined) return { kind: 'fraction', fraction: r.number(o, 'fraction', path, { min: 0, max: 1 }) };
  r.report(path, 'expected one of ids, zone, fraction');
  return { kind: 'ids', ids: [] };
}

const EVENT_KINDS = ['kill', 'recover', 'evacuate', 'partition', 'heal', 'scale', 'delete', 'killAuctioneer', 'deploy', 'task', 'cancelTask', 'crash'] as const;

function event(r: Reader, value: unknown, path: string): ScenarioEvent | undefined {
  const o = r.object(value, path, `an event {at, <action>} with one action of: ${EVENT_KINDS.join(', ')}`);
  if (!o) return undefined;
  r.rejectUnknown(o, path, ['at', ...EVENT_KINDS]);
  const at = durationField(r, o, 'at', path, 0, true);
  const actions = EVENT_KINDS.filter((k) => o[k] !== undefined);
  if (actions.length !== 1) {
    r.report(path, `expected exactly one action (${EVENT_KINDS.join(', ')}), got ${actions.length === 0 ? 'none' : actions.join(', ')}`);
    return undefined;
  }
  const kind = actions[0] as (typeof EVENT_KINDS)[number];
  const p = childPath(path, kind);
  const v = o[kind];
  switch (kind) {
    case 'kill':
    case 'recover':
    case 'evacuate':
      return { at, kind, cells: selector(r, v, p) };
    case 'partition':
    case 'heal': {
      if (typeof v === 'string' && v !== '') return { at, kind, zone: v };
      const z = r.object(v, p, 'a zone name or {zone: name}');
      return { at, kind, zone: z ? r.string(z, 'zone', p, { nonEmpty: true }) : '' };
    }
    case 'scale': {
      const s = r.object(v, p, 'an object {app, instances}');
      if (!s) return undefined;
      r.rejectUnknown(s, p, ['app', 'instances']);
      return { at, kind, app: r.string(s, 'app', p, { nonEmpty: true }), instances: r.integer(s, 'instances', p, { min: 0, max: 100_000 }) };
    }
    case 'delete': {
      if (typeof v === 'string' && v !== '') return { at, kind, app: v };
      const s = r.object(v, p, 'an app name or {app: name}');
      return { at, kind, app: s ? r.string(s, 'app', p, { nonEmpty: true }) : '' };
    }
    case 'killAuctioneer':
      if (v !== true && v !== 'active') r.fail(p, 'true (the active auctioneer)', v);
      return { at, kind };
    case 'task': {
      const t = r.object(v, p, 'a task {name, memoryMB, diskMB, rootfs, duration}');
      if (!t) return undefined;
      r.rejectUnknown(t, p, ['name', 'memoryMB', 'diskMB', 'rootfs', 'duration']);
      return {
        at,
        kind,
        name: r.string(t, 'name', p, { nonEmpty: true }),
        memoryMB: r.integer(t, 'memoryMB', p, { min: 0, max: 2_147_483_647, default: 256 }),
        diskMB: r.integer(t, 'diskMB', p, { min: 0, max: 2_147_483_647, default: 256 }),
        rootfs: r.string(t, 'rootfs', p, { nonEmpty: true, default: 'preloaded:cflinuxfs4' }),
        duration: distribution(r, t['duration'] ?? '30s', childPath(p, 'duration'), { kind: 'constant', value: 30_000 }),
      };
    }
    case 'cancelTask':
      if (typeof v === 'string' && v !== '') return { at, kind, name: v };
      r.fail(p, 'the name of a task submitted by a task event', v);
      return undefined;
    case 'crash': {
      const c = r.object(v, p, 'an instance {app, index}');
      if (!c) return undefined;
      r.rejectUnknown(c, p, ['app', 'index']);
      return { at, kind, app: r.string(c, 'app', p, { nonEmpty: true }), index: r.integer(c, 'index', p, { min: 0, max: 100_000, default: 0 }) };
    }
    case 'deploy': {
      if (typeof v === 'string' && v !== '') return { at, kind, app: v, step: 1, everyMs: 30_000, style: 'rolling', stage: false };
      const s = r.object(v, p, 'an app name or {app, maxInFlight, every, style, stage}');
      if (!s) return undefined;
      r.rejectUnknown(s, p, ['app', 'step', 'maxInFlight', 'every', 'style', 'stage']);
      const style = r.string(s, 'style', p, { default: 'rolling' });
      if (style !== 'rolling' && style !== 'blue-green') r.report(childPath(p, 'style'), `expected rolling or blue-green, got ${JSON.stringify(style)}`);
      const inFlight = s['maxInFlight'] !== undefined ? 'maxInFlight' : 'step';
      return {
        at,
        kind,
        app: r.string(s, 'app', p, { nonEmpty: true }),
        step: r.integer(s, inFlight, p, { min: 1, max: 100_000, default: 1 }),
        everyMs: durationField(r, s, 'every', p, 30_000),
        style: style === 'blue-green' ? 'blue-green' : 'rolling',
        stage: r.boolean(s, 'stage', p, { default: false }),
      };
    }
  }
}

function fileServer(r: Reader, value: unknown): number {
  if (value === undefined) return 100;
  const o = r.object(value, 'fileServer', 'the file server {bandwidthMBps}');
  if (!o) return 100;
  r.rejectUnknown(o, 'fileServer', ['bandwidthMBps']);
  return r.number(o, 'bandwidthMBps', 'fileServer', { min: 0.001, max: 1_000_000, default: 100 });
}

function expectations(r: Reader, value: unknown, path: string): Expectations {
  const none: Expectations = { converged: null, noTaskRanTwice: null, maxMissingAtEnd: null, maxFailedAuctions: null, routableFloor: null };
  if (value === undefined) return none;
  const o = r.object(value, path, 'expectations {converged, noTaskRanTwice, maxMissingAtEnd, maxFailedAuctions, routableFloor}');
  if (!o) return none;
  r.rejectUnknown(o, path, ['converged', 'noTaskRanTwice', 'maxMissingAtEnd', 'maxFailedAuctions', 'routableFloor']);
  return {
    converged: o['converged'] === undefined ? null : r.boolean(o, 'converged', path),
    noTaskRanTwice: o['noTaskRanTwice'] === undefined ? null : r.boolean(o, 'noTaskRanTwice', path),
    maxMissingAtEnd: o['maxMissingAtEnd'] === undefined ? null : r.integer(o, 'maxMissingAtEnd', path, { min: 0 }),
    maxFailedAuctions: o['maxFailedAuctions'] === undefined ? null : r.integer(o, 'maxFailedAuctions', path, { min: 0 }),
    routableFloor: o['routableFloor'] === undefined ? null : r.number(o, 'routableFloor', path, { min: 0, max: 1 }),
  };
}

const TOP = ['name', 'description', 'seed', 'duration', 'sampleInterval', 'strategy', 'settings', 'cells', 'startup', 'fileServer', 'network', 'auctioneers', 'lock', 'convergence', 'evacuation', 'presenceTtl', 'apps', 'tasks', 'events', 'expect'];

/**
 * Validates a scenario document (parsed YAML or JSON) and fills in Diego's defaults. Every problem
 * is reported at once in an {@link InputError}, each with its field path.
 */
export function parseScenario(value: unknown, defaultName = 'scenario'): Scenario {
  const r = new Reader();
  const o = r.object(value, '', 'a scenario object (see scenarios/README.md)');
  if (!o) {
    r.throwIfProblems();
    throw new Error('unreachable');
  }
  r.rejectUnknown(o, '', TOP);
  const durationMs = durationField(r, o, 'duration', '', 600_000);
  const net = o['network'] === undefined ? {} : (r.object(o['network'], 'network') ?? {});
  if (o['network'] !== undefined) r.rejectUnknown(net, 'network', ['latency', 'loss', 'timeout']);
  const lock = o['lock'] === undefined ? {} : (r.object(o['lock'], 'lock') ?? {});
  if (o['lock'] !== undefined) r.rejectUnknown(lock, 'lock', ['ttl', 'retry']);
  const conv = o['convergence'] === undefined ? {} : (r.object(o['convergence'], 'convergence') ?? {});
  if (o['convergence'] !== undefined) r.rejectUnknown(conv, 'convergence', ['interval', 'staleUnclaimed', 'pendingTaskTimeout', 'resolvingTimeout', 'completedTaskTtl', 'maxTaskRetries']);
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
        if (typeof v === 'number' && Number.isFinite(v)) settings[k] = v;
        else r.fail(childPath('settings', k), 'a number', v);
      }
    }
  }

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
    lockRetryMs: durationField(r, lock, 'retry', 'lock', 5_000),
    convergence: {
      intervalMs: durationField(r, conv, 'interval', 'convergence', CONVERGENCE_DEFAULTS.intervalMs),
      staleUnclaimedMs: durationField(r, conv, 'staleUnclaimed', 'convergence', CONVERGENCE_DEFAULTS.staleUnclaimedMs),
      pendingTaskTimeoutMs: durationField(r, conv, 'pendingTaskTimeout', 'convergence', CONVERGENCE_DEFAULTS.pendingTaskTimeoutMs),
      resolvingTimeoutMs: durationField(r, conv, 'resolvingTimeout', 'convergence', CONVERGENCE_DEFAULTS.resolvingTimeoutMs),
      completedTaskTtlMs: durationField(r, conv, 'completedTaskTtl', 'convergence', CONVERGENCE_DEFAULTS.completedTaskTtlMs),
      maxTaskRetries: r.integer(conv, 'maxTaskRetries', 'convergence', { min: 0, max: 1000, default: CONVERGENCE_DEFAULTS.maxTaskRetries }),
    },
    evacuationTimeoutMs: durationField(r, evac, 'timeout', 'evacuation', 600_000),
    evacuationPollMs: durationField(r, evac, 'poll', 'evacuation', 10_000),
    presenceTtlMs: durationField(r, o, 'presenceTtl', '', 15_000),
    apps: r.list(o, 'apps', '', (v, p) => app(r, v, p), { default: [] }),
    tasks: r.list(o, 'tasks', '', (v, p) => taskStream(r, v, p, durationMs), { default: [] }),
    events: r.list(o, 'events', '', (v, p) => event(r, v, p), { default: [] }),
    expect: expectations(r, o['expect'], 'expect'),
  };
  if (Array.isArray(o['cells']) && o['cells'].length === 0) r.report('cells', 'expected at least one cell group');
  if (scenario.sampleIntervalMs <= 0) r.report('sampleInterval', 'expected a duration above 0');
  if (scenario.convergence.intervalMs <= 0) r.report('convergence.interval', 'expected a duration above 0');
  const names = new Set<string>();
  scenario.apps.forEach((a, i) => {
    if (names.has(a.name)) r.report(`apps[${i}].name`, `duplicate app name ${JSON.stringify(a.name)}`);
    names.add(a.name);
  });
  scenario.events.forEach((e, i) => {
    if ((e.kind === 'scale' || e.kind === 'delete' || e.kind === 'deploy' || e.kind === 'crash') && e.app !== '' && !names.has(e.app) && ![...names].some((n) => e.app.startsWith(`${n}-`))) {
      r.report(`events[${i}].${e.kind}.app`, `no app named ${JSON.stringify(e.app)} in apps`);
    }
    if (e.at > scenario.durationMs) r.report(`events[${i}].at`, `expected a time within the duration (${scenario.durationMs}ms), got ${e.at}ms`);
  });
  scenario.events.sort((a, b) => a.at - b.at);
  r.throwIfProblems();
  return scenario;
}
