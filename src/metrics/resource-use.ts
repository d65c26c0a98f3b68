// CPU and GPU figures of a cluster that carries those dimensions (auctionlab's, beyond Diego's
// three): how much of each is allocated, and GPU capacity stranded by fragmentation.
import { resourceProblems } from '../core/filters.js';
import type { CellState, LRP, Task } from '../core/model/cell-state.js';
import { gpuAsk, WHOLE_GPU } from '../core/model/gpus.js';

/** Allocation and stranding of CPU and GPUs; `null` where no cell carries the dimension. */
export interface ResourceUse {
  /** CPU allocated over CPU of the cells that account CPU. */
  cpuAllocation: number | null;
  /** GPU thousandths allocated over all GPU thousandths. */
  gpuAllocation: number | null;
  /**
   * Free GPUs (in whole devices' worth) on cells that cannot take one more piece of the most common
   * GPU work on the cluster (too few devices with its share free, or too little CPU, memory or
   * containers beside them): capacity paid for that this workload cannot use, as the
   * fragmentation measure of Weng et al. (ATC 2023) counts it against the typical task. Null without GPUs.
   */
  strandedGpus: number | null;
}

/** Whether any cell carries CPU or GPUs (else a cluster as Diego knows it, with no such figures). */
export function carriesExtraDimensions(states: readonly CellState[]): boolean {
  return states.some((s) => s.TotalResources.CpuMilli !== undefined || s.TotalResources.GpuMilli !== undefined);
}

/** CPU allocated over CPU accounted (null when no cell accounts CPU). */
export function cpuAllocation(states: readonly CellState[]): number | null {
  let used = 0;
  let total = 0;
  let any = false;
  for (const s of states) {
    const t = s.TotalResources.CpuMilli;
    if (t === undefined) continue;
    any = true;
    total += t;
    used += t - (s.AvailableResources.CpuMilli ?? t);
  }
  return any ? (total > 0 ? used / total : 0) : null;
}

/** GPU thousandths allocated over all (null when no cell has GPUs). */
export function gpuAllocation(states: readonly CellState[]): number | null {
  let used = 0;
  let total = 0;
  let any = false;
  for (const s of states) {
    const t = s.TotalResources.GpuMilli;
    if (t === undefined) continue;
    any = true;
    const free = s.AvailableResources.GpuMilli ?? [];
    for (let d = 0; d < t.length; d++) {
      total += t[d] as number;
      used += (t[d] as number) - (free[d] ?? 0);
    }
  }
  return any ? (total > 0 ? used / total : 0) : null;
}

/** The shape of one piece of GPU work: what it asks of a cell. */
interface GpuShape {
  memoryMB: number;
  cpuMilli: number;
  gpus: number;
  gpuMilli: number;
}

/**
 * The most common GPU work on the cells (LRPs and tasks asking GPUs), by memory, CPU, devices and
 * share; ties go to the larger ask (memory, then CPU, devices, share), so the order is total. Null
 * when no GPU work runs.
 */
export function commonGpuShape(states: readonly CellState[]): GpuShape | null {
  const counts = new Map<string, { shape: GpuShape; n: number }>();
  const add = (w: LRP | Task) => {
    const ask = gpuAsk(w);
    if (ask === null) return;
    const shape = { memoryMB: w.MemoryMB, cpuMilli: w.CpuMilli ?? 0, gpus: ask.count, gpuMilli: ask.milli };
    const key = `${shape.memoryMB}/${shape.cpuMilli}/${shape.gpus}/${shape.gpuMilli}`;
    const e = counts.get(key);
    if (e) e.n++;
    else counts.set(key, { shape, n: 1 });
  };
  for (const s of states) {
    for (const l of s.LRPs) add(l);
    for (const t of s.Tasks) add(t);
  }
  let best: { shape: GpuShape; n: number } | null = null;
  for (const e of counts.values()) {
    if (best === null || e.n > best.n || (e.n === best.n && larger(e.shape, best.shape))) best = e;
  }
  return best?.shape ?? null;
}

function larger(a: GpuShape, b: GpuShape): boolean {
  return a.memoryMB !== b.memoryMB ? a.memoryMB > b.memoryMB : a.cpuMilli !== b.cpuMilli ? a.cpuMilli > b.cpuMilli : a.gpus !== b.gpus ? a.gpus > b.gpus : a.gpuMilli > b.gpuMilli;
}

/** Free GPUs (whole devices' worth) on cells that cannot take one more of `shape` (default: the most common GPU work). */
export function strandedGpus(states: readonly CellState[], shape: GpuShape | null = commonGpuShape(states)): number | null {
  if (!states.some((s) => s.TotalResources.GpuMilli !== undefined)) return null;
  if (shape === null) return 0;
  let stranded = 0;
  for (const s of states) {
    const free = s.AvailableResources.GpuMilli;
    if (free === undefined) continue;
    const p = resourceProblems(s.AvailableResources, shape.memoryMB, 0, { CpuMilli: shape.cpuMilli, GpuCount: shape.gpus, GpuMilli: shape.gpuMilli });
    if (p !== 0) for (const f of free) stranded += f;
  }
  return stranded / WHOLE_GPU;
}

/** The CPU and GPU figures of the cells, or null for a cluster that carries neither. */
export function resourceUse(states: readonly CellState[]): ResourceUse | null {
  if (!carriesExtraDimensions(states)) return null;
  return { cpuAllocation: cpuAllocation(states), gpuAllocation: gpuAllocation(states), strandedGpus: strandedGpus(states) };
}
