import { EVERY_PROBLEM, ERR_INFLIGHT_LIMIT, insufficientResources, type ResourceProblems } from '../errors.js';
import { filterError, filterStage, FilterStage, resourceProblems } from '../filters.js';
import type { Auction, AuctionBatch, LRPAuction, TaskAuction } from '../model/auctions.js';
import type { CellState } from '../model/cell-state.js';
import { placementOrder } from '../placement-order.js';
import { copyResources } from '../model/copy-resources.js';
import { takeExtraResources } from '../model/extra-resources.js';
import type { ResourceRequest, Resources } from '../model/resources.js';
import { lrpScoreTerms, scoreLRP, scoreTask, taskScoreTerms, type ScoreTerms } from '../scoring.js';
import { cellsByRank, normalisedCellIndices } from './cluster-snapshot.js';
import type { DiegoSettings, ScheduledBatch } from './diego-scheduler.js';
import { zoneTieOrder, zoneTieSeed } from './zone-ties.js';

/**
 * What the reference scheduler saw in one auction, when traced (for explanations: core/explain).
 * Cells are indices into the states given.
 */
export interface AuctionTrace {
  /** The auction. */
  auction: Auction;
  /** LRPs: the zones in the order tried (fewest instances of the app first), then zones no cell of which passed the filters. */
  zones: { zone: string; count: number; passed: number; reached: boolean }[];
  /** Cells a filter turned away, with how far they got. */
  filtered: { cell: number; stage: FilterStage }[];
  /** Cells that passed the filters but lacked room, with what they had free. */
  insufficient: { cell: number; problems: ResourceProblems; available: Resources }[];
  /** Cells scored, in scan order, with their score's terms and their place in the tie order (traced with `keep`: only the best that many, best first). */
  scored: { cell: number; terms: ScoreTerms; tie: number }[];
  /** How many cells were scored in all. */
  scoredCount: number;
  /** Cells that passed the filters in zones never reached. */
  notReached: number[];
  /** The winning cell, or Diego's error. */
  result: number | string;
}

/**
 * A readable, slow port of Diego's scheduler that walks cell objects the way Diego's Go code does:
 * it counts an app's instances by scanning every cell's LRP list for every auction. It exists as a
 * test oracle for the fast scheduler (`scheduleBatch`, internal) (same input, same placements) and as the benchmark baseline.
 * It works on a copy of `states` (records already on the cells are shared, not copied); the reserved states are returned with the result.
 */
export function referenceScheduleBatch(
  states: readonly CellState[],
  batch: AuctionBatch,
  settings: DiegoSettings,
  seed: number,
  trace?: (t: AuctionTrace) => void,
  traced?: (id: string) => boolean,
  enough?: () => boolean,
  keep?: number,
): ScheduledBatch & { statesAfter: CellState[] } {
  // A copy of what placing changes (free resources, starting count, the lists placed onto); the
  // instances and tasks already there are shared, never changed. structuredClone of every record
  // cost about 6 ms at 1,000 cells, which made explaining a run's many small batches slow.
  const cells = states.map((s): CellState => ({ ...s, AvailableResources: copyResources(s.AvailableResources), LRPs: [...s.LRPs], Tasks: [...s.Tasks] }));
  const rank = new Array<number>(cells.length);
  const byRank = cellsByRank(cells, seed);
  byRank.forEach((c, r) => (rank[c] = r));
  const index = settings.binPackFirstFitWeight > 0 ? normalisedCellIndices(cells) : cells.map((c) => c.cell_index);
  const zoneNames = [...new Set(cells.map((c) => c.Zone))].sort();
  const zones = zoneNames.map((z) => cells.map((_, i) => i).filter((i) => cells[i]!.Zone === z));
  const out: ScheduledBatch & { statesAfter: CellState[] } = { placed: [], failed: [], cellsScored: 0, statesAfter: cells };
  let inflight = cells.reduce((t, c) => t + c.StartingContainerCount, 0);
  // Ties in an LRP auction: its zone order, then rank order within a zone (see zone-ties.ts); a
  // task's: rank order.
  const zoneNo = new Map(zoneNames.map((z, i) => [z, i] as const));
  const inZone = new Array<number>(cells.length);
  const seen = zoneNames.map(() => 0);
  for (const c of byRank) {
    const z = zoneNo.get(cells[c]!.Zone) as number;
    inZone[c] = seen[z]!++;
  }
  const zoneTie: number[] = [];
  const tieSeed = zoneTieSeed(seed);
  let lrpTies = false;
  const tieKey = (c: number) => (lrpTies ? (zoneTie[zoneNo.get(cells[c]!.Zone) as number] as number) * cells.length + (inZone[c] as number) : (rank[c] as number));
  const better = (score: number, c: number, best: number, bestScore: number) =>
    best < 0 || score < bestScore || (score === bestScore && tieKey(c) < tieKey(best));
  // A scored cell into the trace: every one, or with `keep` only the best that many (their terms
  // worked out only when they make the list: most of a traced auction's cost is the cells).
  const note = (rec: AuctionTrace, c: number, score: number, terms: () => ScoreTerms) => {
    rec.scoredCount++;
    const tie = tieKey(c);
    if (keep === undefined) {
      rec.scored.push({ cell: c, terms: terms(), tie });
      return;
    }
    const list = rec.scored;
    let at = list.length;
    while (at > 0 && (score < list[at - 1]!.terms.score || (score === list[at - 1]!.terms.score && tie < list[at - 1]!.tie))) at--;
    if (at >= keep) return;
    list.splice(at, 0, { cell: c, terms: terms(), tie });
    if (list.length > keep) list.pop();
  };

  const lrp = (a: LRPAuction, rec: AuctionTrace | null): number | string => {
    zoneTieOrder(tieSeed, a.id, zoneNames.length, zoneTie);
    lrpTies = true;
    const groups: { cells: number[]; count: number; zone: string }[] = [];
    const counts: number[] = [];
    let furthest: FilterStage = FilterStage.RootFS;
    zones.forEach((zone, z) => {
      let count = 0;
      for (const c of zone) for (const l of cells[c]!.LRPs) if (l.process_guid === a.lrp.process_guid) count++;
      counts[z] = count;
      const ok = zone.filter((c) => {
        const st = filterStage(cells[c]!, a.lrp);
        if (st > furthest) furthest = st;
        if (rec && st !== FilterStage.Passed) rec.filtered.push({ cell: c, stage: st });
        return st === FilterStage.Passed;
      });
      if (ok.length > 0) groups.push({ cells: ok, count, zone: zoneNames[z] as string });
    });
    if (groups.length === 0) return filterError(furthest, a.lrp) ?? '';
    groups.sort((x, y) => x.count - y.count);
    let best = -1;
    let bestScore = 0;
    let problems = EVERY_PROBLEM;
    let last = groups.length - 1;
    for (let g = 0; g < groups.length; g++) {
      for (const c of groups[g]!.cells) {
        out.cellsScored++;
        const s = cells[c]!;
        const p = resourceProblems(s.AvailableResources, a.lrp.MemoryMB + s.ProxyMemoryAllocationMB, a.lrp.DiskMB, a.lrp);
        if (p !== 0) {
          problems &= p;
          rec?.insufficient.push({ cell: c, problems: p, available: copyResources(s.AvailableResources) });
          continue;
        }
        const score = scoreLRP(s, a.lrp, settings, index[c]);
        if (rec) note(rec, c, score, () => lrpScoreTerms(s, a.lrp, settings, index[c]));
        if (better(score, c, best, bestScore)) [best, bestScore] = [c, score];
      }
      if (g + 1 < groups.length && groups[g + 1]!.count === groups[g]!.count) continue;
      if (best >= 0) {
        last = g;
        break;
      }
    }
    if (rec) {
      groups.forEach((g, i) => {
        rec.zones.push({ zone: g.zone, count: g.count, passed: g.cells.length, reached: i <= last });
        if (i > last) rec.notReached.push(...g.cells);
      });
      zoneNames.forEach((z, i) => {
        if (!groups.some((g) => g.zone === z)) rec.zones.push({ zone: z, count: counts[i] as number, passed: 0, reached: false });
      });
    }
    if (best < 0) return insufficientResources(problems);
    const s = cells[best]!;
    takeOnCell(s, a.lrp);
    s.LRPs.push(a.lrp);
    return best;
  };

  const task = (a: TaskAuction, rec: AuctionTrace | null): number | string => {
    lrpTies = false;
    let furthest: FilterStage = FilterStage.RootFS;
    const ok = zones.flat().filter((c) => {
      const st = filterStage(cells[c]!, a.task);
      if (st > furthest) furthest = st;
      if (rec && st !== FilterStage.Passed) rec.filtered.push({ cell: c, stage: st });
      return st === FilterStage.Passed;
    });
    if (ok.length === 0) return filterError(furthest, a.task) ?? '';
    let best = -1;
    let bestScore = 0;
    let problems = EVERY_PROBLEM;
    for (const c of ok) {
      out.cellsScored++;
      const s = cells[c]!;
      const p = resourceProblems(s.AvailableResources, a.task.MemoryMB, a.task.DiskMB, a.task);
      if (p !== 0) {
        problems &= p;
        rec?.insufficient.push({ cell: c, problems: p, available: copyResources(s.AvailableResources) });
        continue;
      }
      const score = scoreTask(s, a.task, settings);
      if (rec) note(rec, c, score, () => taskScoreTerms(s, a.task, settings));
      if (better(score, c, best, bestScore)) [best, bestScore] = [c, score];
    }
    if (best < 0) return insufficientResources(problems);
    const s = cells[best]!;
    takeOnCell(s, a.task);
    s.Tasks.push(a.task);
    return best;
  };

  for (const auction of placementOrder(batch, seed)) {
    // An explanation of some auctions needs none after them (later ones change nothing before).
    if (enough?.()) break;
    const cap = settings.startingContainerCountMaximum;
    if (cap > 0 && inflight >= cap) {
      if (!traced || traced(auction.id)) trace?.({ auction, zones: [], filtered: [], insufficient: [], scored: [], scoredCount: 0, notReached: [], result: ERR_INFLIGHT_LIMIT });
      out.failed.push({ auction, reason: ERR_INFLIGHT_LIMIT });
      continue;
    }
    // Traced only when asked: the oracle's normal path builds nothing.
    const rec: AuctionTrace | null = trace && (!traced || traced(auction.id)) ? { auction, zones: [], filtered: [], insufficient: [], scored: [], scoredCount: 0, notReached: [], result: '' } : null;
    const r = auction.kind === 'lrp' ? lrp(auction, rec) : task(auction, rec);
    if (rec && trace) {
      rec.result = r;
      trace(rec);
    }
    if (typeof r === 'number') {
      out.placed.push({ auction, cell: r });
      inflight++;
    } else out.failed.push({ auction, reason: r });
  }
  return out;
}

// Diego's reservation on the copied cell (memory without the proxy, disk, one container, one more
// starting), and auctionlab's CPU and GPUs as the cell takes them (memory-rep.ts).
function takeOnCell(s: CellState, work: ResourceRequest): void {
  const a = s.AvailableResources;
  a.MemoryMB -= work.MemoryMB;
  a.DiskMB -= work.DiskMB;
  a.Containers -= 1;
  takeExtraResources(a, work);
  s.StartingContainerCount += 1;
}
