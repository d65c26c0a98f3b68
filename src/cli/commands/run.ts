import { mkdirSync, openSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Command } from 'commander';
import { InputError } from '../../core/json/problems.js';
import { STRATEGIES } from '../../core/strategies/index.js';
import type { Strategy } from '../../core/strategy.js';
import { packageVersion } from '../../io/version.js';
import { runStrategy, strategyFrom } from '../strategy-option.js';
import { addReportOptions, emitReport, wantsReport, type ReportFlags } from './report.js';
import { BUNDLED_SCENARIOS, LARGE_BUNDLED_SCENARIOS } from '../../scenario/bundled.js';
import { simulate, type RunResult } from '../../sim/simulate.js';
import type { AppStatus } from '../../sim/status.js';
import { parseDuration } from '../../scenario/parse.js';
import { formatMetric, shownMetrics } from '../../results/run-metrics.js';
import { renderTable } from '../table.js';
import { formatDuration } from '../format-duration.js';
import { recoveryLine } from '../format-recovery.js';
import { CliError, EXIT_RUN_FAILED } from '../cli-error.js';
import { collectSetting, wholeNumber } from '../options.js';
import { ProgressBar } from '../progress.js';
import { printedScenario } from '../print-scenario.js';
import { formatExplanation } from '../format-explanation.js';
import { storyLine, type LogLine } from '../story.js';
import { versionless } from '../../sim/app-names.js';
import { InstancePeaks } from '../../scenario/instance-peaks.js';
import type { Scenario } from '../../scenario/types.js';
import type { ExplainRequest } from '../../sim/run-explainer.js';
import { ALLOW_LARGE_HELP, durationFrom, eventsWithin, scenarioFrom } from '../scenario-option.js';
import { HEAP_BYTES_PER_INSTANCE, kbText, LIVE_BYTES_PER_INSTANCE, warnIfHeapTight } from '../heap-advice.js';
import { resultsText } from '../../results/results-text.js';
import type { CronSummary, RebalanceSummary } from '../../results/run-result.js';
import type { RunReport } from '../../results/run-report.js';
import { defaultReportDir } from '../report-dir.js';

interface RunFlags extends ReportFlags {
  status?: string[];
  rebalance?: string;
  seed?: number;
  strategy?: string;
  set?: Record<string, number>;
  duration?: string;
  out?: string;
  json?: boolean;
  log?: string;
  shuffleTies?: boolean;
  /** Commander's `--no-safety`: false turns the safety checks off. */
  safety?: boolean;
  allowLarge?: boolean;
  printScenario?: boolean;
  explain?: string[];
  explainFailures?: boolean;
  /** Commander's `--no-placement-reasons`: false leaves the report's explanations out of saved results. */
  placementReasons?: boolean;
  /** Commander's `--no-timeline`: false leaves the report's timeline out of saved results. */
  timeline?: boolean;
}


/** Most events `run` lists under routes (the worst ones). */
const MAX_EVENT_LINES = 8;

/** Registers `auctionlab run`. */
export function registerRun(program: Command): void {
  const cmd = program
    .command('run')
    .summary('simulate a scenario and print its figures')
    .description(
      'Simulate a scenario deterministically: cells, auctioneers, the BBS and its converger, the network and faults. ' +
        "Prints placements, failures by reason, Diego's distribution score, wait-time percentiles, time to converge after " +
        'each fault, instances missing at the end, tasks, messages, wall time and the digest of the event log. ' +
        `<scenario> is a YAML or JSON file (see scenarios/README.md) or a bundled name: ${BUNDLED_SCENARIOS.join(', ')}; past the size limits, with --allow-large: ${LARGE_BUNDLED_SCENARIOS.join(', ')}. ` +
        'Exit 1 if an expectation of the scenario broke.',
    )
    .addHelpText(
      'after',
      "\nAt Diego's scale (diego-stress-250k: 250,000 instances) Node's default heap is enough; a larger young generation is optional (a little faster, more RSS):\n" +
        '  NODE_OPTIONS=--max-semi-space-size=32 auctionlab run diego-stress-250k\n' +
        'To hold RSS lower, cap the heap well above what is live: NODE_OPTIONS="--max-semi-space-size=32 --max-old-space-size=768".\n' +
        `(about ${kbText(LIVE_BYTES_PER_INSTANCE)} per instance is live on Diego's stress mix: give bigger scenarios about ${kbText(HEAP_BYTES_PER_INSTANCE)} per instance of heap; run warns before a scenario that comes near the limit; see README, "Runs at Diego's scale").\n` +
        "Ten times that (diego-x10: 2,500,000 instances, about 2.3 GiB live) wants room: Node sets its default heap from the machine's memory, and where that is small the run aborts:\n" +
        '  NODE_OPTIONS="--max-old-space-size=6144 --max-semi-space-size=128" auctionlab run diego-x10 --allow-large',
    )
    .argument('<scenario>', 'scenario file or bundled scenario name')
    .option('--seed <n>', "override the scenario's seed", wholeNumber(0))
    .option('--strategy <name>', `override the strategy: ${[...STRATEGIES.keys()].join(', ')}, or a path to a strategy module`)
    .option('--set <name=value>', 'a strategy setting, repeatable', collectSetting)
    .option('--rebalance <policy>', "put the scenario's rebalancer on this policy: none, greedy or low-node-utilization (its other settings kept, or their defaults)")
    .option('--allow-large', ALLOW_LARGE_HELP)
    .option('--duration <time>', "override the simulated duration (e.g. 90s, 10m, 1h30m)")
    .option('--out <dir>', 'write results.json (summary, time series, placement) to this directory (default with --report: reports/run-<scenario>)')
    .option('--json', 'print the result as JSON')
    .option('--print-scenario', 'print the scenario as the run would use it (flags applied, every default filled in) as YAML (JSON with --json), and do not run')
    .option('--log <file>', 'write the full event log as JSON lines (read it with `auctionlab log`); - prints it as a story on stdout before the summary')
    .option('--shuffle-ties', 'run simultaneous events in a seeded random order (exposes order dependence)')
    .option('--no-safety', "skip the safety checks (Diego's safety properties after every event and at samples; about 1 µs per instance each)")
    .option('--explain <instance[@time]>', "why an instance went where it went, at every auction it went through (or the last at or before time): process_guid.index such as web-3.0 or web-3.0@5m, repeatable (diego and the filtered strategies by their scores, the others by their messages)", (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .option('--explain-failures', "one explained example of each failure reason (explaining stops past a budget of work on big runs, and says so)")
    .option('--no-timeline', "with --out or --report: leave out where everything sat over the run (the report's timeline: about 60 placement frames, a few seconds at 250,000 instances)")
    .option('--no-placement-reasons', "with --out or --report: leave out why each instance sits where it does (the report's click-through; it costs up to about 2.5 s of explaining a run)")
    .option('--status <app@time>', "show an app's instances at a simulated time as `cf app` would (e.g. web@5m), repeatable", (v: string, prev: string[] | undefined) => [...(prev ?? []), v]);
  addReportOptions(cmd).action(async (arg: string, flags: RunFlags) => {
      const strategy = flags.strategy !== undefined ? await strategyFrom(flags.strategy) : undefined;
      if (flags.printScenario) {
        const { file, scenario } = scenarioFrom(arg, flags);
        const durationMs = durationFrom(flags.duration, scenario, flags);
        const overrides = {
          ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
          ...(durationMs !== undefined ? { durationMs } : {}),
          ...(strategy !== undefined && flags.strategy !== undefined ? { strategy, strategySpec: flags.strategy } : {}),
          ...(flags.set ? { set: flags.set } : {}),
          ...(flags.allowLarge ? { allowLarge: true } : {}),
        };
        process.stdout.write(printedScenario(file === arg ? file : `${arg} (bundled)`, scenario, overrides, flags.json === true));
        return;
      }
      if (wantsReport(flags) && flags.out === undefined) flags.out = defaultReportDir('run', scenarioFrom(arg, flags).scenario.name);
      const report = runScenario(arg, flags, strategy);
      process.stdout.write(flags.json ? resultsText(report) : formatRun(report));
      if (wantsReport(flags)) await emitReport(report, flags.out as string, flags, flags.json === true);
      if (report.expectations.some((e) => !e.ok) || (report.safety?.violations.length ?? 0) > 0) process.exitCode = EXIT_RUN_FAILED;
    });
}

function runScenario(arg: string, flags: RunFlags, strategy: Strategy | undefined): RunReport {
  const { file, scenario } = scenarioFrom(arg, flags);
  const durationMs = durationFrom(flags.duration, scenario, flags);
  warnIfHeapTight(file, scenario);
  let fd = -1;
  // `--log -`: the story on stdout as the run goes, before the summary (not with --json, whose
  // stdout must parse as one document).
  const story = flags.log === '-';
  if (story && flags.json) throw new CliError(['--log -: the story goes to stdout, which --json needs for its document; write the log to a file (--log events.jsonl) and read it with auctionlab log']);
  if (flags.log && !story) {
    try {
      fd = openSync(flags.log, 'w');
    } catch (e) {
      throw new CliError([`--log: cannot write ${flags.log}: ${(e as Error).message}`]);
    }
  }
  const status = (flags.status ?? []).map((q) => statusQuery(q, scenario));
  const explain = explainRequest(flags, scenario);
  const endMs = durationMs ?? scenario.durationMs;
  // A snapshot after the end would silently print nothing.
  status.forEach((q, i) => {
    if (q.atMs > endMs) throw new CliError([`--status ${flags.status?.[i] ?? q.app}: after the end of the run (${secs(endMs)})`]);
  });
  // A shorter run than the file's drops its later events: say so (a file with events past its own
  // duration is refused; a flag that cuts them is allowed, but not silently).
  const { cut } = eventsWithin(scenario, endMs);
  if (cut.length > 0) process.stderr.write(`--duration ${flags.duration ?? secs(endMs)}: the run ends before ${cut.length} scenario event${cut.length === 1 ? '' : 's'} (the first, ${cut[0]?.kind}, at ${secs(cut[0]?.at ?? 0)}), which ${cut.length === 1 ? 'does' : 'do'} not happen\n`);
  // The file's settings are the file's problem (`settings.<name>`), --set's the flag's.
  runStrategy(strategy, scenario, flags.set, file);
  // Results saved (--out, --report) carry why each instance sits where it does, for the report's
  // click-through, when the strategy can say (within a budget of work: run-explainer.ts).
  // Every strategy explains itself in a run: diego and the filtered family by their scores, the
  // others by the messages they exchange.
  const forReport = flags.out !== undefined && flags.placementReasons !== false;
  const request: ExplainRequest | undefined = explain || forReport ? { ...explain, ...(forReport ? { placements: true } : {}) } : undefined;
  const bar = new ProgressBar(`simulating ${scenario.name}`, { amount: (d, t) => `${secs(d)} of ${secs(t)} simulated` });
  const t0 = performance.now();
  let result: RunResult;
  try {
    result = simulate(scenario, {
      ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
      ...(strategy !== undefined ? { strategy } : {}),
      ...(flags.set ? { settings: flags.set } : {}),
      ...(durationMs !== undefined ? { durationMs } : {}),
      ...(flags.shuffleTies ? { shuffleTies: true } : {}),
      ...(status.length > 0 ? { status } : {}),
      ...(request ? { explain: request } : {}),
      ...(flags.out !== undefined && flags.timeline !== false ? { timeline: true } : {}),
      // A scenario that expects `safe` is checked whatever the flag says.
      safety: flags.safety !== false || scenario.expect.safe !== null,
      ...(fd >= 0 ? { log: (line: string) => writeSync(fd, `${line}\n`) } : {}),
      ...(story ? { log: (line: string) => tellStory(line) } : {}),
      onProgress: (f) => bar.update(f * endMs, endMs),
    });
  } catch (e) {
    if (e instanceof InputError) throw new CliError(e.problems.map((p) => `${file}: ${p.path}: ${p.message}`));
    throw e;
  } finally {
    bar.done();
    if (fd >= 0) closeSync(fd);
  }
  const wallMs = performance.now() - t0;
  const report: RunReport = { kind: 'auctionlab-run', version: packageVersion(), ...result, wallMs, speedup: result.durationMs / Math.max(wallMs, 1e-6) };
  if (flags.out) {
    try {
      mkdirSync(flags.out, { recursive: true });
      writeFileSync(join(flags.out, 'results.json'), resultsText(report));
    } catch (e) {
      throw new CliError([`--out: cannot write ${join(flags.out, 'results.json')}: ${(e as Error).message}`]);
    }
  }
  return report;
}

/** The run's `--explain` and `--explain-failures`, checked against the scenario's apps. */
function explainRequest(flags: RunFlags, scenario: Scenario): ExplainRequest | undefined {
  if (!flags.explain && !flags.explainFailures) return undefined;
  const instances = (flags.explain ?? []).map((q) => {
    const m = /^(.+)\.(0|[1-9]\d*)(?:@(.+))?$/.exec(q);
    const atMs = m?.[3] !== undefined ? parseDuration(m[3]) : undefined;
    if (!m || (m[3] !== undefined && atMs === undefined)) throw new CliError([`--explain: expected process_guid.index[@time] such as web-3.0 or web-3.0@5m, got ${JSON.stringify(q)}`]);
    const guid = m[1] as string;
    // A real process guid: an app of count 1 by its name, a member of a group by name-n (and any deployed version).
    if (new InstancePeaks(scenario.apps, []).of(versionless(guid)) === null) {
      const guids = scenario.apps.map((a) => (a.count === 1 ? a.name : `${a.name}-0 to ${a.name}-${a.count - 1}`)).join(', ');
      throw new CliError([`--explain ${q}: the scenario has no app ${JSON.stringify(guid)} (process guids: ${guids})`]);
    }
    return { id: `${guid}.${m[2]}`, ...(atMs !== undefined ? { atMs } : {}) };
  });
  return { instances, ...(flags.explainFailures ? { failures: true } : {}) };
}

/** Parses `--status app@time` against the scenario's apps. */
function statusQuery(q: string, scenario: { apps: readonly { name: string }[]; durationMs: number }): { app: string; atMs: number } {
  const at = q.lastIndexOf('@');
  const app = at > 0 ? q.slice(0, at) : '';
  const atMs = at > 0 ? parseDuration(q.slice(at + 1)) : undefined;
  if (app === '' || atMs === undefined) throw new CliError([`--status: expected app@time such as web@5m, got ${JSON.stringify(q)}`]);
  if (!scenario.apps.some((a) => a.name === app)) throw new CliError([`--status ${q}: the scenario has no app ${JSON.stringify(app)} (apps: ${scenario.apps.map((a) => a.name).join(', ')})`]);
  return { app, atMs };
}

/** Formats one app's status like `cf app`. */
export function formatStatus(s: AppStatus): string {
  const running = s.instances.filter((i) => i.state === 'RUNNING' && i.presence === 'ORDINARY').length;
  const desired = Object.values(s.desired).reduce((a, b) => a + b, 0);
  const rows = s.instances.map((i) => [
    i.processGuid,
    `#${i.index}`,
    i.presence === 'ORDINARY' ? i.state : `${i.state} (${i.presence})`,
    i.cell || '-',
    `${secs(s.atMs - i.sinceMs)} ago`,
    String(i.crashCount),
    i.placementError,
  ]);
  const head = `Status of ${s.app} at ${secs(s.atMs)}: ${running}/${desired} instances running`;
  return `${head}\n${rows.length === 0 ? '(no instance records)' : renderTable(['process guid', 'index', 'state', 'cell', 'since', 'crashes', 'placement error'], rows)}\n`;
}

const secs = formatDuration;

// One log line of `--log -` as its sentence on stdout (bookkeeping left out).
function tellStory(line: string): void {
  const s = storyLine(JSON.parse(line) as LogLine);
  if (s !== null) process.stdout.write(`${s}\n`);
}

// The run's explanations, each under the time of its batch.
function explanationLines(r: RunReport): string[] {
  const out: string[] = ['', `Explanations (${r.explanations?.length ?? 0}):`];
  if (r.explanations?.length === 0) out.push('  none: no auction of what was asked ran in this run');
  for (const x of r.explanations ?? []) out.push('', `at ${secs(x.atMs)}: ${formatExplanation(x.explanation).trimEnd()}`);
  if (r.explanationsStopped) out.push('', 'Explaining stopped at its budget of work (the run went on; what is above comes from its first part): ask for fewer instances, or a shorter run.');
  return out;
}

// One cron entry's ticks in a line: what came due, what ran and how late, what did not and why.
function cronLine(c: CronSummary): string {
  const l = c.latenessMs;
  const lateness = l.count > 0 ? `; lateness p50 ${secs(l.p50)}, p99 ${secs(l.p99)}` : '';
  const failed = Object.entries(c.failures).map(([why, k]) => `${k} ${why}`).join(', ');
  return (
    `Cron ${c.name} (${c.schedule}, ${c.concurrency}): ${c.ticks} ticks, ${c.started} started (${c.onTime} on time, ${c.late} late${lateness}), ` +
    `${c.missed} missed, ${c.skipped} skipped, ${c.replaced} replaced, ${c.duplicatesRejected} sent twice and refused${c.waiting > 0 ? `, ${c.waiting} waiting at the end` : ''}; ${c.succeeded} succeeded${failed ? `, failed: ${failed}` : ''}`
  );
}

// The rebalancer's work in a line: what it moved, how, and what it cost.
function rebalanceLine(b: RebalanceSummary): string {
  if (b.policy === 'none') return 'Rebalancing: none (Diego: instances stay where they were placed)';
  const t = b.moveMs;
  const took = t !== null ? `, each p50 ${secs(t.p50)}, max ${secs(t.max)}` : '';
  const target = b.onTarget > 0 || b.policy === 'greedy' ? ` (${b.onTarget} on the cell chosen)` : '';
  const under = [b.fellBack > 0 ? `${b.fellBack} auctioned after their cell refused` : '', b.calledOff > 0 ? `${b.calledOff} called off (the replacement found no cell or crashed, or the index is no longer desired)` : '', b.lost > 0 ? `${b.lost} lost to a fault` : '', b.inFlightAtEnd > 0 ? `${b.inFlightAtEnd} under way at the end` : ''].filter(Boolean).join(', ');
  const problems = b.problems.length > 0 ? `; PROBLEMS: ${b.problems.slice(0, 3).join('; ')}` : '';
  return `Rebalancing (${b.policy}): ${b.started} moves started, ${b.completed} done${target}${took}${under ? `; ${under}` : ''}; ${b.looks} looks, ${b.messages} messages; floor broken ${b.floorBroken} times${problems}`;
}

// The safety checks in one line.
function safetyLine(s: RunResult['safety']): string {
  if (s === null) return 'Safety: not checked (--no-safety)';
  if (s.brokenAtMs === null) return `Safety: held at all ${s.checks} checks`;
  return `Safety: BROKEN at ${secs(s.brokenAtMs)} (check ${s.checks}):`;
}

/** Formats a run for people. */
export function formatRun(r: RunReport): string {
  const s = r.summary;
  const out: string[] = [];
  const settings = Object.entries(r.settings).map(([k, v]) => `${k}=${v}`).join(', ');
  out.push(`auctionlab run ${r.scenario}: strategy ${r.strategy}${settings ? ` (${settings})` : ''}, seed ${r.seed}, ${secs(r.durationMs)} simulated`, '');
  if (s.initial) {
    const i = s.initial;
    const n = (k: number, what: string) => `${k.toLocaleString('en-US')} ${what}${k === 1 ? '' : 's'}`;
    out.push(`Running from the start (runningOn): ${n(i.instances, 'instance')}, ${n(i.tasks, 'task')} on their cells${i.refused > 0 ? `; ${i.refused.toLocaleString('en-US')} could not be there and went to auction:` : ''}`);
    for (const line of i.refusals.slice(0, 3)) out.push(`  ${line}`);
    if (i.refused > 3) out.push(`  and ${(i.refused - 3).toLocaleString('en-US')} more (results.json lists ${Math.min(i.refused, i.refusals.length)})`);
  }
  out.push(`Auctions: ${s.auctions} batches; ${s.placed} placed, ${s.failed} failed${s.unconfirmed ? `, ${s.unconfirmed} unconfirmed` : ''}`);
  for (const [reason, n] of Object.entries(s.failuresByReason)) out.push(`  ${reason}: ${n}`);
  out.push(`Distribution score (CV of memory used per live cell) at the end: ${s.distributionScore.toFixed(4)}`);
  const b = s.balance;
  const k = s.packing;
  out.push(`Balance: memory spread ${b.memorySpreadMB} MB, Jain's index ${b.jainIndex.toFixed(4)}, zone skew per app max ${b.zoneSkewMax} (mean ${b.zoneSkewMean.toFixed(2)})`);
  out.push(
    `Packing: memory ${(100 * k.utilisation.memory).toFixed(1)}%, containers ${(100 * k.utilisation.containers).toFixed(1)}% used; ` +
      `${k.strandedMemoryMB} MB stranded; ${k.cellsNeeded} of ${k.liveCells} live cells would hold it all`,
  );
  if (s.resources) {
    const pct = (x: number | null) => (x === null ? 'n/a' : `${(100 * x).toFixed(1)}%`);
    const res = s.resources;
    out.push(`CPU and GPUs: CPU ${pct(res.cpuAllocation)} allocated, GPU ${pct(res.gpuAllocation)} allocated${res.strandedGpus === null ? '' : `; ${res.strandedGpus.toFixed(1)} GPUs stranded (free on cells that cannot take one more of the most common GPU work)`}`);
  }
  out.push(`Wait from request to placement: p50 ${secs(s.waitMs.p50)}, p90 ${secs(s.waitMs.p90)}, p99 ${secs(s.waitMs.p99)}, max ${secs(s.waitMs.max)} (${s.waitMs.count} placements)`);
  if (s.faults.length === 0) out.push('Faults: none');
  for (const f of s.faults) out.push(`Fault at ${secs(f.at)}: ${f.kind} (${f.detail}): ${recoveryLine(f)}`);
  const crashing = s.crashingAtEnd > 0 ? ` (${s.crashingAtEnd} of them crashing)` : '';
  out.push(`Instances at the end: ${s.desiredAtEnd - s.missingAtEnd}/${s.desiredAtEnd} desired running, ${s.missingAtEnd} missing${crashing}, ${s.extraAtEnd} extra; ${s.crashes} crashes, ${s.evictions} evacuated`);
  const taskFails = Object.entries(s.taskFailures).map(([k, v]) => `${v} ${k}`).join(', ');
  out.push(`Tasks: ${s.tasksCompleted} completed${taskFails ? `, failed: ${taskFails}` : ''}; ${s.tasksRunTwice} ran twice`);
  for (const c of (s.cron ?? []).slice(0, MAX_EVENT_LINES)) out.push(cronLine(c));
  if ((s.cron ?? []).length > MAX_EVENT_LINES) out.push(`  and ${(s.cron ?? []).length - MAX_EVENT_LINES} more cron entries (results.json has every one)`);
  if (s.rebalance) out.push(rebalanceLine(s.rebalance));
  out.push(`Messages: ${s.messages} (${s.messagesLost} lost), ${s.rounds} rounds; ${s.events} events; ${s.rejectedTransitions} transitions rejected by the BBS`);
  const lows = Object.entries(s.routes ?? {});
  if (lows.length > 0) {
    const shown = lows.map(([app, l]) => `${app} ${l.minRoutable}/${l.target} (${(100 * l.minFraction).toFixed(0)}%) at ${secs(l.atMs)}`);
    out.push(`Routes: fewest routable once whole: ${shown.slice(0, 8).join(', ')}${shown.length > 8 ? `, and ${shown.length - 8} more apps` : ''}`);
    // The events with the lowest routable share, in time order: a trace's thousands of deletes would
    // otherwise print a line each (results.json keeps every one).
    const during = (s.routesDuringEvents ?? [])
      .map((ev, i) => ({ ev, i, lows: Object.entries(ev.lows).sort((a, b) => a[1].minFraction - b[1].minFraction || (a[0] < b[0] ? -1 : 1)).slice(0, 3) }))
      .filter((x) => x.lows.length > 0);
    const worst = [...during].sort((a, b) => (a.lows[0]![1].minFraction - b.lows[0]![1].minFraction) || a.i - b.i).slice(0, MAX_EVENT_LINES);
    for (const { ev, lows: l3 } of worst.sort((a, b) => a.i - b.i)) {
      out.push(`  during ${ev.event} (${secs(ev.atMs)}): ${l3.map(([app, l]) => `${app} ${l.minRoutable}/${l.target} (${(100 * l.minFraction).toFixed(0)}%)`).join(', ')}`);
    }
    if (during.length > worst.length) out.push(`  and ${during.length - worst.length} more events (the ${worst.length} above are those with the fewest routable; results.json has every one)`);
  }
  const last = r.series[r.series.length - 1]?.diego;
  if (last) out.push(`Diego metrics at the end: ${Object.entries(last).map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toFixed(1)}`).join(', ')}`);
  // The compared figures, from the metric registry: what `compare` ranks runs by.
  out.push('', 'Figures (as compare ranks them):');
  const figures = shownMetrics((m) => m.applies!(r)).map((m) => [m.name, formatMetric(m, r.metrics[m.key] ?? m.get(r)), `${m.better} is better`]);
  out.push(...renderTable(['figure', 'value', ''], figures).split('\n').map((l) => `  ${l}`.trimEnd()), '');
  out.push(`Wall time: ${secs(r.wallMs)} (${r.speedup.toFixed(0)}x simulated time)`);
  out.push(safetyLine(r.safety));
  if (r.safety && r.safety.violations.length > 0) {
    for (const v of r.safety.violations.slice(0, 5)) out.push(`  ${v.property}: ${v.detail}`);
    if (r.safety.violations.length > 5) out.push(`  and ${r.safety.violations.length - 5} more in results.json (it keeps the first 20)`);
  }
  for (const e of r.expectations) out.push(`Expectation ${e.name}: ${e.ok ? 'ok' : 'BROKEN'} (${e.detail})`);
  for (const st of r.status) out.push('', formatStatus(st).trimEnd());
  if (r.status.length > 0) out.push('');
  if (r.explanations) out.push(...explanationLines(r), '');
  out.push(`Digest: ${r.digest}`);
  return `${out.join('\n')}\n`;
}
