// Reads a scenario document: the schema (schema/, checked with ajv) says every problem of shape,
// type and range with its field path; the readers then fill in Diego's defaults and say what a
// schema cannot (references between fields, caps, time orders), in the same words and one line per
// problem, as the hand-written parser did (test/scenario/rejections.test.ts holds them to it).
import { Reader } from '../core/json/reader.js';
import { InputError, type Problem } from '../core/json/problems.js';
import { compareRanks, type RankedProblem } from '../core/json/schema-problems.js';
import { findEventKind, type ScenarioEvent } from '../sim/events/registry.js';
import { distributionOf, durationMs } from '../sim/field-schemas.js';
import { durationText } from '../sim/field-writers.js';
import { InstancePeaks } from './instance-peaks.js';
import { cellNames } from '../sim/initial-cells.js';
import type { Scenario } from '../sim/scenario.js';
import { readApp } from './schema/apps.js';
import { readCellGroup } from './schema/cells.js';
import { checkScenarioDocument, scenarioRank } from './schema/check.js';
import { readServiceTime } from './schema/control.js';
import { readEvent } from './schema/events.js';
import { readExpect } from './schema/expect.js';
import { readTaskStream } from './schema/tasks.js';
import { readCronEntry } from './schema/cron.js';
import { readRebalance } from './schema/rebalance.js';
import { parseSchedule } from '../core/cron/schedule.js';
import { defaultOf, withDefaults } from '../core/json/schema-says.js';
import { convergenceSchema, evacuationSchema, fileServerSchema, lockSchema, networkSchema } from './schema/control.js';
import { scenarioSchema } from './schema/scenario.js';

export { parseDuration } from '../sim/field-schemas.js';
export { SERVICE_TIME_DEFAULTS } from './schema/control.js';

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


type Obj = Record<string, unknown>;

// A field path's keys and indices (`events[2].deploy.every` -> events, 2, deploy, every).
function segments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : (m[1] as string));
  return out;
}

// The document as the readers take it: a copy (ajv fills in defaults), or a problem if it is not data.
function copyOf(value: unknown): { doc: unknown } | { problem: Problem } {
  try {
    return { doc: structuredClone(value) };
  } catch {
    return { problem: { path: '', message: 'expected a scenario document (plain data, as YAML or JSON gives)' } };
  }
}

/**
 * Validates a scenario document (parsed YAML or JSON) and fills in Diego's defaults. Every problem
 * is reported at once in an `InputError` (exported by `auctionlab`), each with its field path.
 */
export function parseScenario(value: unknown, defaultName = 'scenario', options: ParseOptions = {}): Scenario {
  const copied = copyOf(value);
  if ('problem' in copied) throw new InputError([copied.problem]);
  const doc = copied.doc;
  // A JSON file names its schema in the file (`"$schema": "..."`), for editors: not a field of the
  // scenario (the published schema allows it; see schema/published.ts).
  if (doc !== null && typeof doc === 'object' && typeof (doc as Obj)['$schema'] === 'string') delete (doc as Obj)['$schema'];
  const checked = checkScenarioDocument(doc);
  if (checked.value === null || typeof checked.value !== 'object' || Array.isArray(checked.value)) throw new InputError(checked.problems);
  // Problems the readers find as they go sort among the schema's by their place in the document;
  // those of the whole scenario (`last`) come after, in the order they are checked.
  const r = new Reader();
  const last = new Reader();
  // Every default comes from the schema (ajv filled in those of the objects the file has).
  const o = withDefaults(scenarioSchema, checked.value);
  const net = withDefaults(networkSchema, o.network);
  const lock = withDefaults(lockSchema, o.lock);
  const conv = withDefaults(convergenceSchema, o.convergence);
  const evac = withDefaults(evacuationSchema, o.evacuation);
  const durationMsValue = durationMs(o.duration, 0);
  const durationWrong = durationMsValue <= 0 ? 'expected a duration above 0' : durationProblem(durationMsValue, options.allowLarge === true, o['duration']);
  if (durationWrong !== null && !checked.problems.some((p) => p.path === 'duration')) r.report('duration', durationWrong);
  const settings: Record<string, number> = {};
  for (const [k, v] of Object.entries(o.settings ?? {})) {
    // Defined, not assigned: `__proto__: 1` is then a setting the strategy refuses by name, not a
    // silent change of the object's prototype.
    if (typeof v === 'number' && Number.isFinite(v)) Object.defineProperty(settings, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  // Each event with its index in the file, so that later checks name the right one when an earlier
  // event could not be read.
  const events: { e: ScenarioEvent; i: number }[] = [];
  (o.events ?? []).forEach((v, i) => {
    const e = readEvent(r, v, `events[${i}]`);
    if (e) events.push({ e, i });
  });
  const list = <T>(items: readonly unknown[] | null | undefined, read: (v: unknown, i: number) => T | undefined): T[] =>
    (items ?? []).flatMap((v, i) => {
      const x = read(v, i);
      return x === undefined ? [] : [x];
    });
  const scenario: Scenario = {
    name: o.name ?? defaultName,
    description: o.description!,
    seed: o.seed!,
    durationMs: durationMsValue,
    sampleIntervalMs: durationMs(o.sampleInterval, 0),
    strategy: o.strategy!,
    settings,
    cells: list(o.cells, (v, i) => readCellGroup(v, i)),
    // null is the default, for distributions.
    startup: distributionOf(r, o.startup ?? defaultOf(scenarioSchema, 'startup'), 'startup', { kind: 'constant', value: 5000 }),
    fileServerMBps: withDefaults(fileServerSchema, o.fileServer).bandwidthMBps!,
    network: {
      latency: distributionOf(r, net.latency ?? defaultOf(networkSchema, 'latency'), 'network.latency', { kind: 'constant', value: 1 }),
      loss: net.loss!,
      timeoutMs: durationMs(net.timeout, 0),
    },
    auctioneers: o.auctioneers!,
    lockTtlMs: durationMs(lock.ttl, 0),
    lockRetryMs: durationMs(lock.retry, 0),
    convergence: {
      intervalMs: durationMs(conv.interval, 0),
      staleUnclaimedMs: durationMs(conv.staleUnclaimed, 0),
      pendingTaskTimeoutMs: durationMs(conv.pendingTaskTimeout, 0),
      resolvingTimeoutMs: durationMs(conv.resolvingTimeout, 0),
      completedTaskTtlMs: durationMs(conv.completedTaskTtl, 0),
      maxTaskRetries: conv.maxTaskRetries!,
    },
    convergeOnCellLoss: conv.onCellLoss === true,
    serviceTime: readServiceTime(r, o.serviceTime),
    evacuationTimeoutMs: durationMs(evac.timeout, 0),
    evacuationPollMs: durationMs(evac.poll, 0),
    presenceTtlMs: durationMs(o.presenceTtl, 0),
    presenceRefreshMs: durationMs(o.presenceRefresh, 0),
    repPollingMs: durationMs(o.repPolling, 0),
    apps: list(o.apps, (v, i) => readApp(r, v, `apps[${i}]`)),
    tasks: list(o.tasks, (v, i) => readTaskStream(r, v, `tasks[${i}]`, durationMsValue)),
    cron: list(o.cron, (v, i) => readCronEntry(r, v, `cron[${i}]`, durationMsValue)),
    ...(o.rebalance !== undefined ? { rebalance: readRebalance(r, o.rebalance, 'rebalance') } : {}),
    events: events.map((x) => x.e),
    expect: readExpect(o.expect),
  };
  wholeScenarioChecks(last, scenario, events, durationWrong, options, Array.isArray((doc as Obj)['cells']) && ((doc as Obj)['cells'] as unknown[]).length === 0);
  const ranked: (RankedProblem & { rank: number[] })[] = [
    ...checked.problems.map((p) => ({ ...p, rank: scenarioRank(doc, p.at, p.cls) })),
    ...r.problems.map((p) => {
      const at = segments(p.path);
      // After the schema's problems within the same field (a range whose end is not a duration, then its order).
      return { ...p, at, cls: 'node' as const, rank: [...scenarioRank(doc, at), Infinity] };
    }),
  ];
  // Problems at one place keep the order they were found in (a total order, not the sort's stability).
  const found = new Map(ranked.map((p, i) => [p, i]));
  ranked.sort((a, b) => compareRanks(a.rank, b.rank) || (found.get(a) as number) - (found.get(b) as number));
  const problems: Problem[] = [...ranked.map((p) => ({ path: p.path, message: p.message })), ...last.problems];
  if (problems.length > 0) throw new InputError(problems);
  // In time order; events at the same time in file order (a total order, not the sort's stability).
  scenario.events = [...events].sort((a, b) => a.e.at - b.e.at || a.i - b.i).map((x) => x.e);
  return scenario;
}

// What only the whole scenario can say: a run that would never end or fill the memory, timings that
// cannot work together, and names that refer to nothing.
function wholeScenarioChecks(r: Reader, scenario: Scenario, events: readonly { e: ScenarioEvent; i: number }[], durationWrong: string | null, options: ParseOptions, noCells: boolean): void {
  if (noCells) r.report('cells', 'expected at least one cell group');
  // Floors that keep a run finite in time and memory: a timer of no length never lets simulated time
  // pass, and samples by the million fill the heap (assumed bounds, far beyond any real setting).
  const floor = (path: string, ms: number, min: number, why: string) => {
    if (ms < min) r.report(path, `expected at least ${min}ms (${why}), got ${ms}ms`);
  };
  if (scenario.sampleIntervalMs <= 0) r.report('sampleInterval', 'expected a duration above 0');
  // (Against a duration that is itself refused, the floor would name a field the user did not get wrong.)
  else if (durationWrong === null) floor('sampleInterval', scenario.sampleIntervalMs, sampleIntervalFloorMs(scenario.durationMs), `at most ${MAX_SAMPLES} samples a run`);
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
  const cronNames = new Set<string>();
  (scenario.cron ?? []).forEach((c, i) => {
    if (cronNames.has(c.name)) r.report(`cron[${i}].name`, `duplicate cron entry ${JSON.stringify(c.name)}`);
    cronNames.add(c.name);
    // An until left to its default is the run's end: then it is from that is out of place.
    if (c.until < c.from) {
      if (c.until === scenario.durationMs) r.report(`cron[${i}].from`, `expected a time within the run (up to ${durationText(scenario.durationMs)}), got ${durationText(c.from)}`);
      else r.report(`cron[${i}].until`, `expected a time at or after from (${durationText(c.from)}), got ${durationText(c.until)}`);
    }
  });
  // The cells and zones events may name (a cell group with problems contributes nothing).
  checkCellIds(r, scenario);
  // A GPU model on cells without GPUs names devices that are not there.
  scenario.cells.forEach((g, gi) => g.gpuModel !== undefined && g.gpus === undefined && r.report(`cells[${gi}].gpuModel`, 'expected gpus above 0 with a GPU model'));
  const cells = cellNames(scenario.cells);
  const cellIds = new Set(cells.map((c) => c.id));
  const zones = [...new Set(cells.map((c) => c.zone))];
  const idRange = cells.length > 0 ? ` (cells are ${cells[0]!.id} to ${cells[cells.length - 1]!.id})` : '';
  // Instances running from the start name cells of the scenario (one line per app: the rest follow).
  scenario.apps.forEach((a, i) => {
    const k = a.runningOn?.findIndex((id) => typeof id === 'string' && !cellIds.has(id)) ?? -1;
    if (k >= 0) r.report(`apps[${i}].runningOn[${k}]`, `no cell named ${JSON.stringify(a.runningOn![k])}${idRange}`);
  });
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
}

// A group's own ids: one per cell, none empty; and no id twice in the scenario, whether a group
// names it or its prefix makes it (two cells of one id would be one cell to every actor).
function checkCellIds(r: Reader, scenario: Scenario): void {
  const owner = new Map<string, number>();
  scenario.cells.forEach((g, gi) => {
    if (g.ids !== undefined) {
      if (g.ids.length !== g.count) r.report(`cells[${gi}].ids`, `expected ${g.count} ids (one per cell, as count says), got ${g.ids.length}`);
      g.ids.forEach((id, k) => id === '' && r.report(`cells[${gi}].ids[${k}]`, 'expected a non-empty string, got ""'));
    }
    const ids = cellNames([g]).map((c) => c.id);
    for (let k = 0; k < ids.length; k++) {
      const id = ids[k] as string;
      const first = owner.get(id);
      if (first === undefined) {
        owner.set(id, gi);
        continue;
      }
      const where = g.ids !== undefined ? `cells[${gi}].ids[${k}]` : `cells[${gi}].prefix`;
      r.report(where, `duplicate cell id ${JSON.stringify(id)} (${first === gi ? 'twice in this group' : `also in cells[${first}]`})`);
      break; // one line per group: the rest follow from it
    }
  });
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
  // A cron entry ticks at most once a minute (five fields), or once a period (@every).
  const cronTicks = (s.cron ?? []).reduce((n, c) => {
    const spec = parseSchedule(c.schedule);
    const window = Math.max(0, Math.min(c.until, s.durationMs) - c.from);
    return n + ('error' in spec ? 0 : window / (spec.kind === 'every' ? spec.everyMs : 60_000));
  }, 0);
  const tasks = perStream.reduce((n, x) => n + x, 0) + events.filter((e) => e.kind === 'task').length + cronTicks;
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
