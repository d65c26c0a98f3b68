import { shuffleInPlace } from '../random.js';
import type { ClusterSnapshot } from '../scheduler/cluster-snapshot.js';
import { makeFilteredStrategy, type ChoiceContext } from './filtered-strategy.js';

/** Nomad's default limit on feasible cells scored: `max(2, ceil(log2 n))`. */
export function nomadLimit(n: number): number {
  return Math.max(2, Math.ceil(Math.log2(Math.max(n, 1))));
}

// Nomad's fitness on a cell that accounts CPU (nomad/structs/funcs.go, ScoreFitBinPack and
// ScoreFitSpread, normalised by their maximum, 18): from the free shares of CPU and memory after the
// placement, `20 - (10^freeCpu + 10^freeMem)` packs, `(10^freeCpu + 10^freeMem) - 2` spreads.
function nomadTotal(snap: ClusterSnapshot, c: number, work: { MemoryMB: number; CpuMilli?: number | undefined }): number {
  const freeCpu = ((snap.availCpu[c] as number) - (work.CpuMilli ?? 0)) / (snap.totCpu[c] as number);
  const freeMem = ((snap.availMem[c] as number) - work.MemoryMB) / (snap.totMem[c] as number);
  return 10 ** freeCpu + 10 ** freeMem;
}

function clamp18(x: number): number {
  return Math.min(18, Math.max(0, x)) / 18;
}

// Bin-pack fitness in [0, 1], fuller is better: Nomad's on a cell that accounts CPU; on Diego's
// cells (no CPU) the mean used share of memory and disk.
function fitness(snap: ClusterSnapshot, c: number, work: { MemoryMB: number; DiskMB: number; CpuMilli?: number | undefined }): number {
  if ((snap.totCpu[c] as number) > 0) return clamp18(20 - nomadTotal(snap, c, work));
  const mem = 1 - ((snap.availMem[c] as number) - work.MemoryMB) / (snap.totMem[c] as number);
  const disk = 1 - ((snap.availDisk[c] as number) - work.DiskMB) / (snap.totDisk[c] as number);
  return (mem + disk) / 2;
}

// Spread fitness in [0, 1], emptier is better.
function spreadFitness(snap: ClusterSnapshot, c: number, work: { MemoryMB: number; CpuMilli?: number | undefined }, fit: number): number {
  return (snap.totCpu[c] as number) > 0 ? clamp18(nomadTotal(snap, c, work) - 2) : 1 - fit;
}

function choose({ snap, fits, auction, settings, rng, ranking }: ChoiceContext): number {
  // Nomad visits nodes in a random order and scores only the first `limit` feasible ones.
  const limit = (settings['limit'] ?? 0) > 0 ? (settings['limit'] as number) : nomadLimit(snap.n);
  const order = shuffleInPlace(rng, fits.map((_, i) => i)).slice(0, limit);
  const spread = (settings['spread'] ?? 0) === 1;
  const penalty = settings['antiAffinityPenalty'] ?? 0.5;
  const work = auction.kind === 'lrp' ? auction.lrp : auction.task;
  const placed = auction.kind === 'lrp' ? snap.instancesOf(auction.lrp.process_guid) : undefined;
  let best = -1;
  let bestScore = -Infinity;
  for (const i of order) {
    const c = fits[i] as number;
    const fit = fitness(snap, c, work);
    const spreadFit = spread ? spreadFitness(snap, c, work, fit) : 0;
    let score = spread ? spreadFit : fit;
    // Job anti-affinity: each instance of the same app already there costs `penalty`.
    const at = placed ? placed.cells.indexOf(c) : -1;
    const antiAffinity = at >= 0 ? penalty * (placed!.counts[at] as number) : 0;
    if (at >= 0) score -= antiAffinity;
    ranking?.push({ cell: c, score, terms: { [spread ? 'spread' : 'binPack']: spread ? spreadFit : fit, antiAffinity: -antiAffinity } });
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  }
  // Best first, as the loop above prefers them: the highest score, then the earlier in the random visit.
  if (ranking) {
    const visit = new Map(ranking.map((r, k) => [r.cell, k]));
    ranking.sort((a, b) => b.score - a.score || (visit.get(a.cell) as number) - (visit.get(b.cell) as number));
  }
  return best;
}

/**
 * Nomad-style scheduling: after Diego's filters, visit fitting cells in seeded random order, score
 * only the first `limit` (Nomad: `max(2, ceil(log2 n))`) by bin-pack fitness (fuller is better) or
 * spread (emptier is better; on cells that account CPU, Nomad's own
 * ScoreFitBinPack / ScoreFitSpread of CPU and memory), minus a job anti-affinity penalty per instance of the same app on the
 * cell, and take the best. Cheap, and good enough: Nomad's trade.
 */
export const nomadStrategy = makeFilteredStrategy(
  'nomad',
  'Nomad-style: bin-pack (or spread) score over max(2, ceil(log2 n)) fitting cells in random order, with job anti-affinity',
  [
    { name: 'spread', default: 0, description: '0 = bin-pack (fuller is better), 1 = spread (emptier is better)', min: 0, max: 1, integer: true },
    { name: 'limit', default: 0, description: 'fitting cells scored per placement (0 = max(2, ceil(log2 n)))', min: 0, max: 1_000_000, integer: true },
    { name: 'antiAffinityPenalty', default: 0.5, description: 'score taken off per instance of the same app on a cell', min: 0, max: 100, integer: false },
  ],
  choose,
  { rule: 'highest score wins; score = bin-pack fitness (spread: 1 - fitness) - antiAffinityPenalty x instances of the app on the cell, over only `limit` fitting cells in seeded random order (the others not scored)' },
);
