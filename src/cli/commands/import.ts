import { statSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { CliError } from '../cli-error.js';
import { escapeControls, hasControlCharacter, ImportProblems, MAX_IMPORT_BYTES } from '../../import/csv-table.js';
import { importGenericCsv } from '../../import/generic-csv.js';
import { importOpenb, OPENB_CONTAINERS } from '../../import/openb.js';
import type { ImportReport, ShapeOptions } from '../../import/shape-trace.js';
import { parseTraceTime, TRACE_TIME_SYNTAX } from '../../import/trace-time.js';
import { type Trace, traceDurationMs, traceScenario, traceScenarioYaml } from '../../import/trace.js';
import { type CfdotReport, importCfdot } from '../../import/cfdot.js';
import { parse as parseYaml } from 'yaml';
import { parseDuration } from '../../sim/field-schemas.js';
import { readTextFile } from '../../io/read-text.js';
import { InputError } from '../../core/json/problems.js';
import { MAX_DURATION_MS, SCENARIO_LIMITS } from '../../scenario/parse.js';
import { parseScenarioText, ScenarioFileError } from '../../scenario/load.js';
import { durationText } from '../../sim/field-writers.js';

/** Most problem lines an import prints before it counts the rest. */
const MAX_PROBLEM_LINES = 50;

/** Registers `auctionlab import`. */
export function registerImport(program: Command): void {
  const cmd = program
    .command('import')
    .summary('turn a workload trace or a Diego foundation into a scenario file (openb, csv, cfdot)')
    .description('Turn a real workload trace into a scenario file that `run` and `compare` take. See docs/traces.md for each format and its rules.');
  const openb = cmd
    .command('openb')
    .summary('the Alibaba OpenB GPU-cluster trace (machine list and pod list CSVs)')
    .description(
      'Import the Alibaba OpenB trace (alibaba/clusterdata cluster-trace-gpu-v2023; Weng et al., USENIX ATC 2023): ' +
        'machines become cells (named by their sn, dealt round-robin into --zones zones, ' +
        `${OPENB_CONTAINERS} containers each), pods become work arriving at creation_time and leaving at deletion_time: ` +
        'LS, Guaranteed and Burstable pods as LRPs of one instance, BE pods as tasks. Bad rows: one line each (file:line: column: what was expected), exit 2.',
    )
    .argument('<nodes.csv>', 'the machine list (sn, cpu_milli, memory_mib, gpu, model)')
    .argument('<pods.csv>', 'the pod list (name, cpu_milli, memory_mib, num_gpu, gpu_milli, gpu_spec, qos, ..., creation_time, deletion_time)')
    .option('--zones <n>', 'zones the machines are dealt into', wholeAtLeastOne, 3);
  addShapeFlags(openb, 'pods', 'alibaba-openb').action((nodesFile: string, podsFile: string, flags: ShapeFlags & { zones: number }) => {
    const opts = shapeOptionsOf(flags, [nodesFile, podsFile]);
    const problems = new ImportProblems();
    const made = importOpenb({ text: readImportFile(nodesFile, '<nodes.csv>'), file: nodesFile }, { text: readImportFile(podsFile, '<pods.csv>'), file: podsFile }, { ...opts, zones: flags.zones }, problems);
    if (made === null) throw new CliError(problemLines(problems));
    const r = made.report;
    if (r.cellsRead === 0) throw new CliError([`${nodesFile}: no machines (expected at least one row after the header)`]);
    made.trace.name = flags.name;
    made.trace.description = `The Alibaba OpenB GPU-cluster trace: ${count(r.cells, 'machine', 'machines')} (CPU, memory, GPUs) and ${count(r.lrps + r.tasks, 'pod', 'pods')} (${count(r.lrps, 'LRP', 'LRPs')}, ${count(r.tasks, 'task', 'tasks')})${flags.departures ? '' : ' that never leave'}, time scaled by ${flags.timeScale ?? 1}.`;
    made.trace.header = [
      `${flags.name}: the Alibaba OpenB GPU-cluster trace (alibaba/clusterdata, cluster-trace-gpu-v2023), imported by`,
      `  auctionlab import openb ${fileName(nodesFile)} ${fileName(podsFile)}${flagText(flags, 'alibaba-openb')}${flags.zones !== 3 ? ` --zones ${flags.zones}` : ''}`,
      'Cite: Weng et al., "Beware of Fragmentation: Scheduling GPU-Sharing Workloads with Fragmentation Gradient',
      '  Descent", USENIX ATC 2023. The trace\'s terms: for research or study purposes.',
      'Rules (docs/traces.md): machines -> cells named by sn, zones round-robin; LS/Guaranteed/Burstable pods ->',
      `  LRPs of one instance, BE pods -> tasks; each arrives at creation_time and ${flags.departures ? 'leaves at deletion_time' : 'never leaves (--no-departures)'}.`,
    ];
    writeScenario(made.trace, flags.out, flags.allowLarge === true, '--time-scale or --from/--to', flags.timeScale ?? 1);
    process.stderr.write(reportText(r, made.trace, flags.out, [`${count(r.cellsRead, 'machine', 'machines')} (${nodesFile})`, `${count(r.workRead, 'pod', 'pods')} (${podsFile})`], 'pods'));
  });
  const csv = cmd
    .command('csv')
    .summary("auctionlab's own trace format: a cells CSV and a work CSV")
    .description(
      'Import a trace from anywhere in auctionlab\'s documented format (docs/traces.md): cells.csv (id, memory_mb; zone, disk_mb, containers, ' +
        'cpu_milli, gpus, gpu_model optional) and work.csv (name, kind lrp|task, arrival and departure in seconds, memory_mb; disk_mb, instances, ' +
        'cpu_milli, gpus, gpu_milli, gpu_models optional). Bad rows: one line each (file:line: column: what was expected), exit 2.',
    )
    .argument('<cells.csv>', 'the cells: id, zone, memory_mb, disk_mb, containers, cpu_milli, gpus, gpu_model')
    .argument('<work.csv>', 'the work: name, kind, arrival, departure, memory_mb, disk_mb, instances, cpu_milli, gpus, gpu_milli, gpu_models');
  addShapeFlags(csv, 'work', 'trace', 'cells').action((cellsFile: string, workFile: string, flags: ShapeFlags) => {
    const opts = shapeOptionsOf(flags, [cellsFile, workFile]);
    const problems = new ImportProblems();
    const made = importGenericCsv({ text: readImportFile(cellsFile, '<cells.csv>'), file: cellsFile }, { text: readImportFile(workFile, '<work.csv>'), file: workFile }, opts, problems);
    if (made === null) throw new CliError(problemLines(problems));
    const r = made.report;
    if (r.cellsRead === 0) throw new CliError([`${cellsFile}: no cells (expected at least one row after the header)`]);
    made.trace.name = flags.name;
    made.trace.description = `A trace imported from ${fileName(cellsFile)} and ${fileName(workFile)}: ${count(r.cells, 'cell', 'cells')}, ${count(r.lrps, 'LRP', 'LRPs')} and ${count(r.tasks, 'task', 'tasks')}${flags.departures ? '' : ' that never leave'}, time scaled by ${flags.timeScale ?? 1}.`;
    made.trace.header = [`${flags.name}: imported by`, `  auctionlab import csv ${fileName(cellsFile)} ${fileName(workFile)}${flagText(flags, 'trace')}`, 'Format and rules: docs/traces.md ("import csv").'];
    writeScenario(made.trace, flags.out, flags.allowLarge === true, '--time-scale or --from/--to', flags.timeScale ?? 1);
    process.stderr.write(reportText(r, made.trace, flags.out, [`${count(r.cellsRead, 'cell', 'cells')} (${cellsFile})`, `${count(r.workRead, 'piece of work', 'pieces of work')} (${workFile})`], 'pieces of work'));
  });
  registerCfdot(cmd);
}

/** The flags of `import cfdot`. */
interface CfdotFlags {
  cells: string;
  desired: string;
  actual: string;
  tasks?: string;
  out?: string;
  name: string;
  duration: number;
  taskDuration: number;
  event: AddedEvent[];
  allowLarge?: boolean;
}

/** An event given with --event: when, and the event as a scenario file writes it. */
interface AddedEvent {
  atMs: number;
  body: Record<string, unknown>;
  text: string;
}

const EVENT_SYNTAX = "a scenario event in YAML, such as '{ at: 2m, partition: z2 }' or '{ at: 1m, kill: { zone: z1 } }'";

function eventFlag(value: string, previous: AddedEvent[] = []): AddedEvent[] {
  let body: unknown;
  try {
    body = parseYaml(value);
  } catch {
    throw new InvalidArgumentError(`expected ${EVENT_SYNTAX}, got ${JSON.stringify(value)}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !Object.prototype.hasOwnProperty.call(body, 'at')) {
    throw new InvalidArgumentError(`expected ${EVENT_SYNTAX} (an object with at), got ${JSON.stringify(value)}`);
  }
  const at = (body as Record<string, unknown>)['at'];
  const atMs = typeof at === 'number' ? at : typeof at === 'string' ? parseDuration(at) : undefined;
  if (atMs === undefined || !Number.isFinite(atMs) || atMs < 0) throw new InvalidArgumentError(`at: expected a duration such as 90s or 2m, got ${typeof at === 'string' ? JSON.stringify(at) : String(at)}`);
  return [...previous, { atMs, body: body as Record<string, unknown>, text: value }];
}

function durationFlag(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0) throw new InvalidArgumentError(`expected a duration above 0 such as 90s, 10m or 1h30m, got ${JSON.stringify(value)}`);
  return ms;
}

// `import cfdot`: a Diego foundation's dumps into a scenario whose work already runs.
function registerCfdot(cmd: Command): void {
  cmd
    .command('cfdot')
    .summary("a Diego foundation as cfdot dumps it: cells, desired and actual LRPs, tasks")
    .description(
      'Import a Diego foundation from what cfdot prints (JSON lines of the BBS models; docs/traces.md): every cell with its capacity, ' +
        'zone, stacks and placement tags; every desired LRP as an app whose instances already run on the cells its actual LRPs name ' +
        '(runningOn); running tasks on their cells, pending ones auctioned. Then run or compare it, with faults added by --event. ' +
        'Bad records: one line each (file:line: field: what was expected), exit 2.',
    )
    .requiredOption('--cells <file>', 'what `cfdot cells` printed')
    .requiredOption('--desired <file>', 'what `cfdot desired-lrps` printed')
    .requiredOption('--actual <file>', 'what `cfdot actual-lrps` printed')
    .option('--tasks <file>', 'what `cfdot tasks` printed')
    .option('-o, --out <file>', 'write the scenario here (default: standard output)')
    .option('--name <name>', "the scenario's name", nameFlag, 'foundation')
    .option('--duration <time>', 'simulated time the scenario runs', durationFlag, 600_000)
    .option('--task-duration <time>', 'how long each task runs from the start (cfdot does not say how long a task has left; assumed)', durationFlag, 300_000)
    .option('--event <yaml>', `an event to add, repeatable: ${EVENT_SYNTAX}`, eventFlag, [])
    .option('--allow-large', 'allow a scenario past the size limits (then run it with --allow-large too)')
    .action((flags: CfdotFlags) => {
      const inputs = [flags.cells, flags.desired, flags.actual, ...(flags.tasks !== undefined ? [flags.tasks] : [])];
      if (flags.out !== undefined && inputs.some((f) => sameFile(f, flags.out as string))) throw new CliError([`--out ${flags.out}: expected a file other than the inputs (it would overwrite the dump)`]);
      const problems = new ImportProblems();
      const read = (file: string, what: string) => ({ text: readImportFile(file, what), file });
      const made = importCfdot(
        {
          cells: read(flags.cells, '--cells'),
          desired: read(flags.desired, '--desired'),
          actual: read(flags.actual, '--actual'),
          ...(flags.tasks !== undefined ? { tasks: read(flags.tasks, '--tasks') } : {}),
        },
        { taskDurationMs: flags.taskDuration },
        problems,
      );
      if (made === null) throw new CliError(problemLines(problems));
      const r = made.report;
      if (r.cells === 0) throw new CliError([`${flags.cells}: no cells (expected one JSON object per cell, as \`cfdot cells\` prints)`]);
      // The run's length is the flag's, not a trace's: said against the flag, with no scale to suggest.
      const most = flags.allowLarge === true ? MAX_DURATION_MS : SCENARIO_LIMITS.durationMs;
      if (flags.duration > most) throw new CliError([`--duration: expected at most ${hoursText(most)}${flags.allowLarge === true ? '' : ` (${LIFT_FLAG} lifts this limit)`}, got ${hoursText(flags.duration)}`]);
      const late = flags.event.find((e) => e.atMs > flags.duration);
      if (late !== undefined) throw new CliError([`--event '${late.text}': expected a time within --duration (${durationText(flags.duration)}), got ${durationText(late.atMs)}`]);
      const trace = made.trace;
      trace.name = flags.name;
      trace.durationMs = flags.duration;
      trace.extraEvents = flags.event.map((e) => ({ atMs: e.atMs, body: e.body }));
      trace.description = `A Diego foundation from cfdot: ${count(r.cells, 'cell', 'cells')}, ${count(r.apps, 'app', 'apps')} with ${count(r.instances, 'instance', 'instances')} (${n(r.running)} running on their cells at the start), ${count(r.tasks, 'task', 'tasks')} (${n(r.runningTasks)} running).`;
      trace.header = [
        `${flags.name}: a Diego foundation imported by`,
        `  auctionlab import cfdot --cells ${fileName(flags.cells)} --desired ${fileName(flags.desired)} --actual ${fileName(flags.actual)}${flags.tasks !== undefined ? ` --tasks ${fileName(flags.tasks)}` : ''}`,
        'Rules (docs/traces.md, "import cfdot"): cells as their presences say; each desired LRP an app desired at the start whose',
        '  instances run where their actual LRPs say (runningOn); running tasks on their cells for --task-duration.',
        `Add faults under events, e.g. - { at: 2m, partition: ${trace.cells[trace.cells.length - 1]?.zone ?? 'z1'} }, or with --event.`,
      ];
      writeScenario(trace, flags.out, flags.allowLarge === true, '--duration', 1, (k) => {
        const j = traceScenario(trace).added[k];
        return j !== undefined && j >= 0 ? `--event '${flags.event[j]?.text ?? ''}'` : undefined;
      });
      process.stderr.write(cfdotReportText(r, flags, trace));
    });
}

function cfdotReportText(r: CfdotReport, flags: CfdotFlags, trace: Trace): string {
  const listed = (m: Record<string, number>) =>
    Object.entries(m)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([why, c]) => `${why}: ${n(c)}`)
      .join('; ');
  const auctioned = r.instances - r.running;
  return [
    `read ${count(r.read.cells, 'cell', 'cells')} (${flags.cells}), ${count(r.read.desired, 'desired LRP', 'desired LRPs')} (${flags.desired}), ${count(r.read.actual, 'actual LRP', 'actual LRPs')} (${flags.actual})${flags.tasks !== undefined ? `, ${count(r.read.tasks, 'task', 'tasks')} (${flags.tasks})` : ''}`,
    `wrote ${flags.out ?? 'standard output'}: ${count(r.cells, 'cell', 'cells')}, ${count(r.apps, 'app', 'apps')} with ${count(r.instances, 'instance', 'instances')} (${n(r.running)} running on their cells, ${n(auctioned)} auctioned at the start), ${count(r.tasks, 'task', 'tasks')} (${n(r.runningTasks)} running), ${durationText(traceDurationMs(trace))} of simulated time${flags.event.length > 0 ? `, ${count(flags.event.length, 'event', 'events')} added` : ''}`,
    Object.keys(r.leftOut).length === 0 ? 'left out: nothing' : `left out: ${listed(r.leftOut)}`,
    ...(Object.keys(r.readAs).length > 0 ? [`read as: ${listed(r.readAs)}`] : []),
    '',
  ].join('\n');
}

/** The flags every importer takes. */
interface ShapeFlags {
  out?: string;
  from?: number;
  to?: number;
  sample?: number;
  timeScale?: number;
  cells?: number;
  departures: boolean;
  seed: number;
  name: string;
  allowLarge?: boolean;
}

// The flags every importer takes; `work` names its work in the help (pods), `name` is the default scenario name.
function addShapeFlags(c: Command, work: string, name: string, machines = 'machines'): Command {
  return c
    .option('-o, --out <file>', 'write the scenario here (default: standard output)')
    .option('--from <time>', `first moment of the trace imported (${TRACE_TIME_SYNTAX})`, traceTimeFlag)
    .option('--to <time>', `end of the window: what arrives from then on is left out, and the run ends there`, traceTimeFlag)
    .option('--sample <fraction>', `keep this fraction of the ${work}, chosen at random (seeded)`, fraction)
    .option('--time-scale <factor>', 'simulated time per trace time (0.001: a trace day runs in 86.4 simulated seconds)', positive)
    .option('--cells <n>', `keep n ${machines} at random (seeded) and the ${work} in the same proportion`, wholeAtLeastOne)
    .addOption(new Option('--no-departures', `nothing leaves: the cluster fills as the trace arrives (as the OpenB paper's simulator replays it)`))
    .option('--seed <n>', 'seed of --sample and --cells', wholeNonNegative, 0)
    .option('--name <name>', "the scenario's name", nameFlag, name)
    .option('--allow-large', 'allow a scenario that runs past a day of simulated time (then run it with --allow-large too)');
}

function shapeOptionsOf(flags: ShapeFlags, inputs: readonly string[]): ShapeOptions {
  if (flags.to !== undefined && flags.to <= (flags.from ?? 0)) throw new CliError([`--to: expected a time after --from (${flags.from ?? 0} s), got ${flags.to} s`]);
  // Writing the scenario over an input would lose the trace.
  if (flags.out !== undefined && inputs.some((f) => sameFile(f, flags.out as string))) throw new CliError([`--out ${flags.out}: expected a file other than the inputs (it would overwrite the trace)`]);
  const opts: ShapeOptions = { departures: flags.departures, seed: flags.seed };
  if (flags.from !== undefined) opts.fromS = flags.from;
  if (flags.to !== undefined) opts.toS = flags.to;
  if (flags.sample !== undefined) opts.sample = flags.sample;
  if (flags.timeScale !== undefined) opts.timeScale = flags.timeScale;
  if (flags.cells !== undefined) opts.cells = flags.cells;
  return opts;
}

function nameFlag(value: string): string {
  if (value.trim() === '' || hasControlCharacter(value)) throw new InvalidArgumentError(`expected a name without line breaks or other control characters, got ${JSON.stringify(value)}`);
  return value;
}

function traceTimeFlag(value: string): number {
  const s = parseTraceTime(value);
  if (s === undefined) throw new InvalidArgumentError(`expected ${TRACE_TIME_SYNTAX}, got ${JSON.stringify(value)}`);
  return s;
}

function fraction(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 1) throw new InvalidArgumentError(`expected a fraction above 0 and at most 1, got ${JSON.stringify(value)}`);
  return n;
}

function positive(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 1e6) throw new InvalidArgumentError(`expected a number above 0 and at most 1000000, got ${JSON.stringify(value)}`);
  return n;
}

function wholeAtLeastOne(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`expected a whole number >= 1, got ${JSON.stringify(value)}`);
  return n;
}

function wholeNonNegative(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError(`expected a whole number >= 0, got ${JSON.stringify(value)}`);
  return n;
}

// The flags as the header repeats them (those given, in a fixed order).
function flagText(f: ShapeFlags, defaultName: string): string {
  const parts: string[] = [];
  if (f.from !== undefined) parts.push(`--from ${f.from}`);
  if (f.to !== undefined) parts.push(`--to ${f.to}`);
  if (f.sample !== undefined) parts.push(`--sample ${f.sample}`);
  if (f.timeScale !== undefined) parts.push(`--time-scale ${f.timeScale}`);
  if (f.cells !== undefined) parts.push(`--cells ${f.cells}`);
  if (!f.departures) parts.push('--no-departures');
  if (f.seed !== 0) parts.push(`--seed ${f.seed}`);
  if (f.allowLarge === true) parts.push('--allow-large');
  if (f.name !== defaultName) parts.push(`--name ${JSON.stringify(f.name)}`);
  return parts.map((p) => ` ${p}`).join('');
}

// A file's name as the scenario's header comment gives it: its base name, controls escaped (a name
// with a line break would otherwise end the comment and write YAML of its own).
function fileName(file: string): string {
  return escapeControls(basename(file));
}

// Whether two paths name one file: the same path, or (through a symbolic or hard link) the same
// device and inode. A file that does not exist yet is no input.
function sameFile(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/** Reads an import file, or fails with one line naming it (`what` is its argument's name). */
export function readImportFile(file: string, what: string): string {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    size = 0; // readTextFile says why
  }
  if (size > MAX_IMPORT_BYTES) throw new CliError([`${file}: expected at most ${MAX_IMPORT_BYTES / 1024 / 1024} MiB (${what}), got ${Math.ceil(size / 1024 / 1024)} MiB`]);
  // Read with the same limit: a pipe or a device (/dev/zero never ends) has no size to check first.
  const read = readTextFile(file, MAX_IMPORT_BYTES);
  if ('reason' in read) throw new CliError([read.tooBig ? `${file}: expected at most ${MAX_IMPORT_BYTES / 1024 / 1024} MiB (${what}), got more` : `${file}: ${read.reason} (${what})`]);
  return read.text;
}

/** An import's problems as CLI lines: the first {@link MAX_PROBLEM_LINES}, then how many more. */
export function problemLines(problems: ImportProblems): string[] {
  const lines = problems.lines.slice(0, MAX_PROBLEM_LINES);
  const more = problems.lines.length - lines.length;
  if (more > 0) lines.push(`... and ${more.toLocaleString('en-US')} more problems`);
  return lines;
}

/**
 * Writes the trace's scenario to `out` (standard output when absent) after reading it back as
 * `run` would: a trace that makes no valid scenario fails here, not at run time. `shorten` names the
 * flags that make a long trace shorter.
 */
export function writeScenario(trace: Trace, out: string | undefined, allowLarge: boolean, shorten: string, timeScale = 1, eventFlag?: (k: number) => string | undefined): void {
  const durationMs = traceDurationMs(trace);
  if (durationMs > MAX_DURATION_MS || (durationMs > SCENARIO_LIMITS.durationMs && !allowLarge)) {
    const most = allowLarge ? MAX_DURATION_MS : SCENARIO_LIMITS.durationMs;
    // A scale that fits: the one used times the share that fits, rounded down to two figures.
    const fits = floorTwoFigures(timeScale * (most / durationMs));
    throw new CliError([
      `the trace runs ${hoursText(durationMs)} of simulated time, more than ${hoursText(most)}: shorten it with ${shorten} (--time-scale ${fits} fits)${allowLarge ? '' : ', or pass --allow-large'}`,
    ]);
  }
  const text = traceScenarioYaml(trace);
  try {
    // Read back as `run` will read it (with the same --allow-large), so a trace that makes a
    // scenario `run` refuses is refused here, where the flags that fix it are.
    parseScenarioText(text, 'the imported scenario', { allowLarge });
  } catch (e) {
    const lines = e instanceof ScenarioFileError ? [...e.lines] : e instanceof InputError ? e.problems.map((p) => `${p.path}: ${p.message}`) : null;
    if (lines === null) throw e;
    // A problem in an event the user added names the flag that added it.
    const named = (l: string) => {
      const m = /^the imported scenario: events\[(\d+)\](?:\.|(?=:))/.exec(l);
      const flag = m ? eventFlag?.(Number(m[1])) : undefined;
      if (!m || flag === undefined) return l;
      const rest = l.slice(m[0].length);
      return `${flag}${rest.startsWith(':') ? rest : `: ${rest}`}`;
    };
    throw new CliError(lines.slice(0, MAX_PROBLEM_LINES).map((l) => `${named(l).replace(/^the imported scenario: /, 'the imported scenario would not run: ')}`));
  }
  if (out === undefined) process.stdout.write(text);
  else {
    try {
      writeFileSync(out, text);
    } catch (e) {
      throw new CliError([`${out}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`]);
    }
  }
}

const n = (x: number) => x.toLocaleString('en-US');
const LIFT_FLAG = '--allow-large';

// A long simulated time in words: `3,584 h` (durationText prints milliseconds past 2^53 ms).
function hoursText(ms: number): string {
  const h = ms / 3_600_000;
  return h >= 100 ? `${n(Math.round(h))} h` : String(durationText(Math.round(ms)));
}

// x rounded down to two significant figures (a suggested scale must not overshoot).
function floorTwoFigures(x: number): string {
  const e = Math.floor(Math.log10(x)) - 1;
  const f = Math.floor(x / 10 ** e) * 10 ** e;
  return Number(f.toPrecision(2)).toString();
}
const count = (x: number, one: string, many: string) => `${n(x)} ${x === 1 ? one : many}`;

/** What an import read (`read`: its two files' counts, in words), made and left out (`work`: what the work is called), for standard error. */
export function reportText(r: ImportReport, trace: Trace, out: string | undefined, read: [string, string], work: string): string {
  const left = Object.entries(r.leftOut).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const leftCount = left.reduce((t, [, c]) => t + c, 0);
  const totals = (t: ImportReport['readTotals']) => `CPU ${n(t.cpuMilli)} millicores, memory ${n(t.memoryMiB)} MiB, ${count(t.gpus, 'GPU', 'GPUs')} (${n(t.gpuMilli / 1000)} GPUs' worth)`;
  return [
    `read ${read[0]} and ${read[1]}`,
    `wrote ${out ?? 'standard output'}: ${count(r.cells, 'cell', 'cells')}, ${count(r.lrps, 'LRP', 'LRPs')}, ${count(r.tasks, 'task', 'tasks')}, ${durationText(traceDurationMs(trace))} of simulated time`,
    leftCount === 0 ? `left out: no ${work}` : `left out: ${n(leftCount)} ${work}: ${left.map(([why, c]) => `${n(c)} ${why}`).join('; ')}`,
    `requested by the ${work} read: ${totals(r.readTotals)}`,
    `requested by the work imported: ${totals(r.importedTotals)}`,
    '',
  ].join('\n');
}
