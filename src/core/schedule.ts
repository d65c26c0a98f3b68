import { buildBatch } from './batch.js';
import { driveInMemory } from './driver/in-memory.js';
import { InputError } from './json/problems.js';
import type { CellState } from './model/cell-state.js';
import type { LRPStartRequest, TaskStartRequest } from './model/requests.js';
import { streamFor } from './random.js';
import { MemoryRep, type RepHandler } from './rep/memory-rep.js';
import { PlacementIndex } from './rep/placement-index.js';
import { resolveSettings } from './settings.js';
import { DEFAULT_STRATEGY, findStrategy, STRATEGIES } from './strategies/index.js';
import type { Strategy, StrategySettings } from './strategy.js';

/** One auction's worth of input: the cells as their reps report them, and what to place. */
export interface ScheduleInput {
  /** Rep `/state` documents; a dump of real reps works as it is. */
  cells: readonly CellState[];
  /** LRP start requests, as posted to the auctioneer's `POST /v1/lrps`. */
  lrps?: readonly LRPStartRequest[];
  /** Task start requests, as posted to `POST /v1/tasks`. */
  tasks?: readonly TaskStartRequest[];
}

/** Options for {@link schedule}. */
export interface ScheduleOptions {
  /** A built-in strategy's name or a strategy object (default `diego`). */
  strategy?: string | Strategy;
  /** Settings overriding the strategy's defaults. */
  settings?: Readonly<Record<string, unknown>>;
  /** Seed for tie-breaks, instance guids and random choices (default 0). */
  seed?: number;
}

/** An LRP instance placed on a cell. */
export interface PlacedLRP {
  /** The app. */
  process_guid: string;
  /** The instance index. */
  index: number;
  /** The instance guid sent to the cell. */
  instance_guid: string;
  /** Memory (MB). */
  MemoryMB: number;
  /** Disk (MB). */
  DiskMB: number;
  /** False if the cell never confirmed the work (see {@link Placement.confirmed}). */
  confirmed: boolean;
}

/** A task placed on a cell. */
export interface PlacedTask {
  /** The task. */
  TaskGuid: string;
  /** Memory (MB). */
  MemoryMB: number;
  /** Disk (MB). */
  DiskMB: number;
  /** False if the cell never confirmed the work. */
  confirmed: boolean;
}

/** What one cell received in the auction. */
export interface CellPlacements {
  /** The cell. */
  cell_id: string;
  /** Its zone. */
  zone: string;
  /** LRP instances placed on it, in placement order. */
  lrps: PlacedLRP[];
  /** Tasks placed on it, in placement order. */
  tasks: PlacedTask[];
}

/** An auction that failed. */
export type PlacementFailure =
  | { kind: 'lrp'; process_guid: string; index: number; reason: string }
  | { kind: 'task'; TaskGuid: string; reason: string };

/** Counters of one {@link schedule} call. */
export interface ScheduleCounters {
  /** Auctions held (after deduplication). */
  auctions: number;
  /** Auctions placed. */
  placed: number;
  /** Auctions failed. */
  failed: number;
  /** Requests dropped as duplicates of an earlier one in the batch. */
  duplicatesDropped: number;
  /** Messages sent to cells. */
  messages: number;
  /** Round trips on the critical path. */
  rounds: number;
  /** Cells scored (or asked to bid), summed over auctions. */
  cellsScored: number;
}

/** The result of {@link schedule}. */
export interface ScheduleResult {
  /** The strategy used. */
  strategy: string;
  /** Its resolved settings. */
  settings: StrategySettings;
  /** The seed used. */
  seed: number;
  /** Every input cell, in input order, with what it received. */
  cells: CellPlacements[];
  /** Failed auctions with their reasons, LRPs first then tasks, each in placement order. */
  failures: PlacementFailure[];
  /** The cells' states after the auction (as their reps would now report them). */
  statesAfter: CellState[];
  /** Counters. */
  counters: ScheduleCounters;
}

/**
 * Runs one auction in memory, with no latency: the library's way to ask "where would this batch go?".
 *
 * ```ts
 * import { schedule } from 'auctionlab';
 * const result = schedule({ cells, lrps, tasks }, { strategy: 'diego', seed: 1 });
 * for (const f of result.failures) console.log(f.reason);
 * ```
 *
 * The input is never changed. The same input, options and seed give the same result.
 * Throws an {@link InputError} for an unknown strategy, bad settings or duplicate cell ids.
 */
export function schedule(input: ScheduleInput, options: ScheduleOptions = {}): ScheduleResult {
  const seed = options.seed ?? 0;
  const strategy = pickStrategy(options.strategy ?? DEFAULT_STRATEGY);
  const settings = resolveSettings(strategy, options.settings ?? {});

  const reps = new Map<string, RepHandler>();
  const memoryReps: MemoryRep[] = [];
  const index = new PlacementIndex();
  input.cells.forEach((state, i) => {
    if (reps.has(state.cell_id)) {
      throw new InputError([{ path: `cells[${i}].cell_id`, message: `duplicate cell id ${JSON.stringify(state.cell_id)}` }]);
    }
    const rep = new MemoryRep(state, index);
    reps.set(state.cell_id, rep);
    memoryReps.push(rep);
  });

  const { batch, duplicatesDropped } = buildBatch(input.lrps ?? [], input.tasks ?? [], { seed });
  const ctx = { cells: input.cells.map((c) => c.cell_id), seed, rng: streamFor(seed, 'auctioneer') };
  const { outcome, messages, rounds } = driveInMemory(strategy.auction(batch, ctx, settings), reps, strategy.name);

  const byCell = new Map<string, CellPlacements>();
  const cells = input.cells.map((s) => {
    const cp: CellPlacements = { cell_id: s.cell_id, zone: s.Zone, lrps: [], tasks: [] };
    byCell.set(s.cell_id, cp);
    return cp;
  });
  for (const p of outcome.placed) {
    const cp = byCell.get(p.cell);
    if (!cp) continue;
    if (p.auction.kind === 'lrp') {
      const l = p.auction.lrp;
      cp.lrps.push({ process_guid: l.process_guid, index: l.index, instance_guid: l.instance_guid, MemoryMB: l.MemoryMB, DiskMB: l.DiskMB, confirmed: p.confirmed });
    } else {
      const t = p.auction.task;
      cp.tasks.push({ TaskGuid: t.TaskGuid, MemoryMB: t.MemoryMB, DiskMB: t.DiskMB, confirmed: p.confirmed });
    }
  }
  const failures: PlacementFailure[] = [];
  for (const f of outcome.failed) {
    if (f.auction.kind === 'lrp') failures.push({ kind: 'lrp', process_guid: f.auction.lrp.process_guid, index: f.auction.lrp.index, reason: f.reason });
  }
  for (const f of outcome.failed) {
    if (f.auction.kind === 'task') failures.push({ kind: 'task', TaskGuid: f.auction.task.TaskGuid, reason: f.reason });
  }

  return {
    strategy: strategy.name,
    settings,
    seed,
    cells,
    failures,
    statesAfter: memoryReps.map((r) => structuredClone(r.state)),
    counters: {
      auctions: batch.lrps.length + batch.tasks.length,
      placed: outcome.placed.length,
      failed: outcome.failed.length,
      duplicatesDropped,
      messages,
      rounds,
      cellsScored: outcome.cellsScored,
    },
  };
}

function pickStrategy(s: string | Strategy): Strategy {
  if (typeof s !== 'string') return s;
  const found = findStrategy(s);
  if (!found) {
    throw new InputError([{ path: 'strategy', message: `unknown strategy ${JSON.stringify(s)} (expected one of: ${[...STRATEGIES.keys()].join(', ')})` }]);
  }
  return found;
}
