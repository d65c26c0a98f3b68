import type { Command } from 'commander';
import { InputError } from '../../core/json/problems.js';
import { parseScheduleInput } from '../../core/json/schedule-input.js';
import { buildBatch } from '../../core/batch.js';
import type { AuctionExplanation } from '../../core/explain/explanation.js';
import { explainByMessages } from '../../core/explain/explain-by-messages.js';
import { formatExplanation } from '../format-explanation.js';
import { schedule, type ScheduleInput, type ScheduleResult } from '../../core/schedule.js';
import { DEFAULT_STRATEGY, STRATEGIES } from '../../core/strategies/index.js';
import type { Strategy } from '../../core/strategy.js';
import { strategyFrom } from '../strategy-option.js';
import { distributionScore, memoryUsedPerCell } from '../../metrics/distribution.js';
import { CliError } from '../cli-error.js';
import { collectSetting, finiteNumber, wholeNumber } from '../options.js';
import { parseJSONFile } from '../read-json-file.js';
import { renderTable } from '../table.js';

interface ScheduleFlags {
  strategy: string;
  startingContainerWeight?: number;
  binPackFirstFitWeight?: number;
  startingContainerCountMaximum?: number;
  set?: Record<string, number>;
  seed: number;
  json?: boolean;
  /** `--explain` (every auction) or `--explain <id>`. */
  explain?: boolean | string;
}

// Diego's own flags, mapped to the diego strategy's settings.
const DIEGO_FLAGS: Record<string, string> = {
  startingContainerWeight: '--starting-container-weight',
  binPackFirstFitWeight: '--bin-pack-first-fit-weight',
  startingContainerCountMaximum: '--starting-container-count-maximum',
};

/** The JSON that `schedule --json` prints. */
export interface ScheduleReport {
  /** Input file. */
  batch: string;
  /** Strategy name. */
  strategy: string;
  /** Resolved settings. */
  settings: Record<string, number>;
  /** Seed. */
  seed: number;
  /** Per cell: placements and memory used before and after. */
  cells: (ScheduleResult['cells'][number] & { memoryUsedBeforeMB: number; memoryUsedAfterMB: number; memoryTotalMB: number })[];
  /** Failures with reasons. */
  failures: ScheduleResult['failures'];
  /** Counters. */
  counters: ScheduleResult['counters'];
  /** Diego's distribution score (CV of memory used per cell), before and after. */
  distributionScore: { before: number; after: number };
  /** With `--explain`: why each auction (or the one asked about) went where it went. */
  explanations?: AuctionExplanation[];
}

/** Registers `auctionlab schedule`. */
export function registerSchedule(program: Command): void {
  program
    .command('schedule')
    .summary('run one auction in memory on a batch file')
    .description(
      'Run one auction in memory (no latency) over the cells in <batch.json> and print where each ' +
        "instance and task went, the failures with Diego's reasons, and the distribution score " +
        '(coefficient of variation of memory used per cell) before and after.\n\n' +
        '<batch.json> holds {"cells": [rep /state, ...], "lrps": [LRP start request, ...], ' +
        '"tasks": [task start request, ...]} in Diego\'s JSON; a dump of real reps\' /state works as is.',
    )
    .argument('<batch.json>', 'batch file: cells, lrps, tasks')
    .option('--strategy <name>', `auction strategy: ${[...STRATEGIES.keys()].join(', ')}, or a path to a strategy module`, DEFAULT_STRATEGY)
    .option('--starting-container-weight <w>', 'diego: score per container already starting (default 0.25)', finiteNumber(0))
    .option('--bin-pack-first-fit-weight <w>', 'diego: score per unit of per-zone cell index (default 0)', finiteNumber(0))
    .option('--starting-container-count-maximum <n>', 'diego: cap on containers starting at once, 0 = none (default 0)', wholeNumber(0))
    .option('--set <name=value>', 'any strategy setting, repeatable (see the README)', collectSetting)
    .option('--seed <n>', 'seed for tie-breaks, instance guids and random choices', wholeNumber(0), 0)
    .option('--json', 'print the result as JSON')
    .option('--explain [auction]', 'say why each auction (or the one named, process_guid.index or a task guid) went where it went: filters, room, score terms, zones, runner-up (any strategy: diego and the filtered ones by their scores, the others by their messages; after <batch.json>)')
    .action(async (file: string, flags: ScheduleFlags) => {
      const report = runSchedule(file, flags, await strategyFrom(flags.strategy));
      if (flags.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else if (report.explanations) process.stdout.write(report.explanations.map((e) => formatExplanation(e)).join('\n'));
      else process.stdout.write(formatReport(report));
    });
}

function runSchedule(file: string, flags: ScheduleFlags, strategy: Strategy): ScheduleReport {
  const overrides: Record<string, number> = { ...flags.set };
  for (const name of Object.keys(DIEGO_FLAGS)) {
    const v = flags[name as keyof ScheduleFlags];
    if (typeof v === 'number') overrides[name] = v;
  }
  const input = parseJSONFile(file, parseScheduleInput);
  let result: ScheduleResult;
  try {
    result = schedule(input, { strategy, settings: overrides, seed: flags.seed });
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    throw new CliError(
      e.problems.map((p) => {
        const name = p.path.replace(/^[^.]*\./, '');
        const flag = DIEGO_FLAGS[name];
        return flag && strategy.name !== 'diego'
          ? `${flag}: only the diego strategy has this setting (strategy is ${strategy.name})`
          : `${flag ?? `--set ${name}`}: ${p.message}`;
      }),
    );
  }
  const explanations = flags.explain === undefined || flags.explain === false ? undefined : explain(input, result, strategy, flags.explain, flags.seed);
  const before = memoryUsedPerCell(input.cells);
  const after = memoryUsedPerCell(result.statesAfter);
  return {
    batch: file,
    strategy: result.strategy,
    settings: { ...result.settings },
    seed: result.seed,
    cells: result.cells.map((c, i) => ({
      ...c,
      memoryUsedBeforeMB: before[i] ?? 0,
      memoryUsedAfterMB: after[i] ?? 0,
      memoryTotalMB: input.cells[i]?.TotalResources.MemoryMB ?? 0,
    })),
    failures: result.failures,
    counters: result.counters,
    distributionScore: { before: distributionScore(input.cells), after: distributionScore(result.statesAfter) },
    ...(explanations ? { explanations } : {}),
  };
}

// The explanations of the auctions schedule() just held: the same cells, batch, settings and seed.
function explain(input: ScheduleInput, result: ScheduleResult, strategy: Strategy, which: true | string, seed: number): AuctionExplanation[] {
  const { batch } = buildBatch(input.lrps ?? [], input.tasks ?? [], { seed });
  // A decision the chosen cell turned down when the work was sent failed after all: said on it.
  const rejected = new Map(result.failures.filter((f) => /^rejected by cell .+ at commit$/.test(f.reason)).map((f) => [f.kind === 'lrp' ? `${f.process_guid}.${f.index}` : f.TaskGuid, f.reason] as [string, string]));
  // A strategy without an explanation of its own is explained by the messages it exchanged.
  const ids = [...batch.lrps, ...batch.tasks].map((a) => a.id);
  if (which !== true && !ids.includes(which)) {
    throw new CliError([`--explain: no auction ${JSON.stringify(which)} in the batch (auctions are process_guid.index or task guids: ${ids.slice(0, 4).join(', ')}${ids.length > 4 ? ', ...' : ''})`]);
  }
  // One auction asked for: explained alone, and the batch decided only up to it.
  const only = which === true ? undefined : new Set([which]);
  const explained = strategy.explain ? strategy.explain(input.cells, batch, result.settings, seed, undefined, only) : explainByMessages(strategy, input.cells, batch, result.settings, seed);
  const all = explained.map((e) => (rejected.has(e.id) ? { ...e, rejected: rejected.get(e.id) as string } : e));
  return which === true ? all : all.filter((e) => e.id === which);
}

const MAX_NAMES = 6;

function names(list: readonly string[]): string {
  if (list.length <= MAX_NAMES) return list.join(' ');
  return `${list.slice(0, MAX_NAMES).join(' ')} (+${list.length - MAX_NAMES} more)`;
}

/** Formats a schedule report for people. */
export function formatReport(r: ScheduleReport): string {
  const settings = Object.entries(r.settings).map(([k, v]) => `${k}=${v}`).join(', ');
  const out: string[] = [];
  out.push(`auctionlab schedule ${r.batch}: strategy ${r.strategy}${settings ? ` (${settings})` : ''}, seed ${r.seed}`, '');
  const rows = r.cells.map((c) => {
    const pct = c.memoryTotalMB > 0 ? Math.round((100 * c.memoryUsedAfterMB) / c.memoryTotalMB) : 0;
    const placed = [...c.lrps.map((l) => `${l.process_guid}.${l.index}${l.confirmed ? '' : '?'}`), ...c.tasks.map((t) => `task:${t.TaskGuid}`)];
    return [c.cell_id, c.zone, String(c.lrps.length), String(c.tasks.length), `${c.memoryUsedAfterMB}/${c.memoryTotalMB} (${pct}%)`, names(placed)];
  });
  out.push(`Placements on ${r.cells.length} cell${r.cells.length === 1 ? '' : 's'}:`);
  out.push(renderTable(['cell', 'zone', 'LRPs', 'tasks', 'memory MB after', 'placed'], rows, [2, 3]), '');
  if (r.failures.length === 0) out.push('Failures: none', '');
  else {
    out.push(`Failures (${r.failures.length}):`);
    const byReason = new Map<string, string[]>();
    for (const f of r.failures) {
      const id = f.kind === 'lrp' ? `${f.process_guid}.${f.index}` : `task:${f.TaskGuid}`;
      // Appended in place: copying the list per failure made 20,000 failures take seconds.
      const ids = byReason.get(f.reason);
      if (ids) ids.push(id);
      else byReason.set(f.reason, [id]);
    }
    for (const [reason, ids] of byReason) out.push(`  ${reason} (${ids.length}): ${names(ids)}`);
    out.push('');
  }
  const k = r.counters;
  out.push(
    `Auctions: ${k.auctions} (${k.placed} placed, ${k.failed} failed${k.duplicatesDropped ? `, ${k.duplicatesDropped} duplicate request${k.duplicatesDropped === 1 ? '' : 's'} dropped` : ''})`,
    `Cost: ${k.messages} messages, ${k.rounds} rounds, ${k.cellsScored} cells scored`,
    `Distribution score (CV of memory used per cell): ${r.distributionScore.before.toFixed(4)} before, ${r.distributionScore.after.toFixed(4)} after`,
  );
  if (r.cells.some((c) => c.lrps.some((l) => !l.confirmed) || c.tasks.some((t) => !t.confirmed))) {
    out.push('(? = the cell never confirmed the work; the converger would re-auction it)');
  }
  return `${out.join('\n')}\n`;
}
