import type { ClusterSnapshot } from '../scheduler/cluster-snapshot.js';
import { makeFilteredStrategy, type ChoiceContext } from './filtered-strategy.js';

/** The share of cells Kubernetes scores: its adaptive default, `max(5, 50 - n/125)` percent. */
export function adaptivePercentage(n: number): number {
  return Math.max(5, 50 - n / 125);
}

/** How many feasible cells Kubernetes looks at before scoring: all below 100, else a percentage (at least 100). */
export function feasibleToFind(n: number, percentage: number): number {
  if (n < 100) return n;
  const pct = percentage > 0 ? percentage : adaptivePercentage(n);
  return Math.min(n, Math.max(100, Math.floor((n * pct) / 100)));
}

/**
 * Fractions in use on cell `c` once the work is placed, over the resources scored: on a cell that
 * accounts CPU, CPU and memory, as kube-scheduler scores them (NodeResourcesFit and
 * NodeResourcesBalancedAllocation weigh `cpu` and `memory`, 1 each, by default); on Diego's cells,
 * which account no CPU, memory, disk and containers (what those cells have).
 */
function usedAfter(snap: ClusterSnapshot, c: number, needMem: number, needDisk: number, needCpu: number): number[] {
  const mem = 1 - ((snap.availMem[c] as number) - needMem) / (snap.totMem[c] as number);
  const totCpu = snap.totCpu[c] as number;
  if (totCpu > 0) return [1 - ((snap.availCpu[c] as number) - needCpu) / totCpu, mem];
  return [mem, 1 - ((snap.availDisk[c] as number) - needDisk) / (snap.totDisk[c] as number), 1 - ((snap.availCont[c] as number) - 1) / (snap.totCont[c] as number)];
}

/** The app's instances per zone in the snapshot (0 for zones without any). */
function zoneCounts(snap: ClusterSnapshot, processGuid: string): number[] {
  const counts = snap.zoneNames.map(() => 0);
  const placed = snap.instancesOf(processGuid);
  if (placed) placed.cells.forEach((c, k) => (counts[snap.zoneOf[c] as number]! += placed.counts[k] as number));
  return counts;
}

// The mean and standard deviation of the fractions, summed in their order (three terms: as before CPU).
function meanAndDeviation(f: readonly number[]): { mean: number; sd: number } {
  let sum = 0;
  for (const x of f) sum += x;
  const mean = sum / f.length;
  let sq = 0;
  for (const x of f) sq += (x - mean) ** 2;
  return { mean, sd: Math.sqrt(sq / f.length) };
}

function choose({ snap, fits, auction, settings, state, ranking }: ChoiceContext): number {
  // percentageOfNodesToScore: look at a window of feasible cells, rotating from where the last
  // auction stopped, as kube-scheduler does.
  const want = feasibleToFind(fits.length, settings['percentageOfNodesToScore'] ?? 0);
  const start = state.cursor % fits.length;
  state.cursor = start + want;
  const window = Array.from({ length: want }, (_, k) => (start + k) % fits.length);

  const work = auction.kind === 'lrp' ? auction.lrp : auction.task;
  const maxSkew = settings['maxSkew'] ?? 1;
  const counts = auction.kind === 'lrp' ? zoneCounts(snap, auction.lrp.process_guid) : null;
  let candidates = window;
  let lo = 0;
  let hi = 0;
  if (counts) {
    const zones = new Set(window.map((i) => snap.zoneOf[fits[i] as number] as number));
    lo = Math.min(...[...zones].map((z) => counts[z] as number));
    hi = Math.max(...[...zones].map((z) => counts[z] as number));
    // Topology spread (DoNotSchedule): a zone may not get more than maxSkew above the emptiest.
    const spread = window.filter((i) => (counts[snap.zoneOf[fits[i] as number] as number] as number) + 1 - lo <= maxSkew);
    if (spread.length > 0) candidates = spread; // none satisfies: schedule anyway, as ScheduleAnyway would
  }
  const wLeast = settings['leastAllocatedWeight'] ?? 1;
  const wMost = settings['mostAllocatedWeight'] ?? 0;
  const wBalanced = settings['balancedAllocationWeight'] ?? 1;
  const wSpread = settings['topologySpreadWeight'] ?? 2;
  let best = -1;
  let bestScore = -Infinity;
  for (const i of candidates) {
    const c = fits[i] as number;
    const used = usedAfter(snap, c, work.MemoryMB + (auction.kind === 'lrp' ? (snap.proxyMem[c] as number) : 0), work.DiskMB, work.CpuMilli ?? 0);
    const { mean, sd } = meanAndDeviation(used);
    let score = wLeast * (1 - mean) * 100 + wMost * mean * 100 + wBalanced * (1 - sd) * 100;
    const spreadTerm = counts ? wSpread * 100 * (1 - ((counts[snap.zoneOf[c] as number] as number) - lo) / (1 + hi - lo)) : 0;
    if (counts) score += spreadTerm;
    ranking?.push({ cell: c, score, terms: { leastAllocated: wLeast * (1 - mean) * 100, mostAllocated: wMost * mean * 100, balancedAllocation: wBalanced * (1 - sd) * 100, topologySpread: spreadTerm } });
    if (score > bestScore || (score === bestScore && best >= 0 && (snap.rank[c] as number) < (snap.rank[fits[best] as number] as number))) {
      best = i;
      bestScore = score;
    }
  }
  // Best first, as the loop above prefers them: the highest score, then the seeded cell order.
  ranking?.sort((a, b) => b.score - a.score || (snap.rank[a.cell] as number) - (snap.rank[b.cell] as number));
  return best;
}

/**
 * Kubernetes-style scheduling (kube-scheduler's default plugins, after Diego's filters): among a
 * rotating window of feasible cells (`percentageOfNodesToScore`, adaptive by default), drop zones
 * that would exceed `maxSkew` for the app (topology spread), then score 0-100 per plugin and sum
 * with weights: LeastAllocated (free share), MostAllocated (used share), BalancedAllocation
 * (1 - spread of the used shares), and topology spread (fewer of the app in the zone is better).
 * Highest total wins. The shares are of CPU and memory on cells that account CPU (kube-scheduler's
 * defaults), of memory, disk and containers on Diego's cells.
 */
export const kubernetesStrategy = makeFilteredStrategy(
  'kubernetes',
  'Kubernetes-style: filter, then weighted LeastAllocated, MostAllocated, BalancedAllocation and zone spread over a window of nodes',
  [
    { name: 'leastAllocatedWeight', default: 1, description: 'weight of LeastAllocated (spreads load)', min: 0, max: 100, integer: false },
    { name: 'mostAllocatedWeight', default: 0, description: 'weight of MostAllocated (packs cells)', min: 0, max: 100, integer: false },
    { name: 'balancedAllocationWeight', default: 1, description: 'weight of BalancedAllocation (even use of memory, disk, containers)', min: 0, max: 100, integer: false },
    { name: 'topologySpreadWeight', default: 2, description: 'weight of the zone spread score', min: 0, max: 100, integer: false },
    { name: 'maxSkew', default: 1, description: 'most instances of an app a zone may have above the emptiest zone', min: 1, max: 100_000, integer: true },
    { name: 'percentageOfNodesToScore', default: 0, description: 'percent of feasible cells scored (0 = adaptive: max(5, 50 - n/125); all below 100 cells)', min: 0, max: 100, integer: false },
  ],
  choose,
  {
    rule: 'highest score wins; score = leastAllocated + mostAllocated + balancedAllocation + topologySpread (each 0-100 x its weight), over a rotating window of the fitting cells, zones past maxSkew dropped (not scored)',
  },
);
