/**
 * GPU devices on a cell, as thousandths free of each device. Diego has no GPUs; the rules here are
 * auctionlab's (assumed), after the GPU-sharing clusters of the Alibaba OpenB trace: work asks for
 * `count` devices with `milli` thousandths free on each (whole devices: 1000; a GPU-sharing pod: one
 * device, less than 1000).
 * @module
 */

/** The thousandths of one whole device. */
export const WHOLE_GPU = 1000;

/** What a piece of work asks of a cell's GPUs. */
export interface GpuAsk {
  /** Devices (0: none). */
  count: number;
  /** Thousandths free needed on each of them. */
  milli: number;
}

/** The GPU ask of a request, or `null` when it asks for none. */
export function gpuAsk(w: { GpuCount?: number | undefined; GpuMilli?: number | undefined }): GpuAsk | null {
  const count = w.GpuCount ?? 0;
  return count > 0 ? { count, milli: w.GpuMilli ?? WHOLE_GPU } : null;
}

/** Whether `free` has `ask.count` devices with at least `ask.milli` free each (no devices: never). */
export function gpusFit(free: readonly number[] | undefined, ask: GpuAsk): boolean {
  if (free === undefined) return false;
  let n = 0;
  for (let d = 0; d < free.length; d++) if ((free[d] as number) >= ask.milli && ++n >= ask.count) return true;
  return false;
}

/**
 * The devices a cell gives the work: those that fit with the least left over first (a share goes
 * where it fragments least), equal ones by device number; `null` when too few fit. The simulated
 * rep and the auctioneer's snapshot both pick with this rule, so they agree on what is left.
 */
export function pickGpus(free: readonly number[] | undefined, ask: GpuAsk): number[] | null {
  if (free === undefined) return null;
  const fitting: number[] = [];
  for (let d = 0; d < free.length; d++) if ((free[d] as number) >= ask.milli) fitting.push(d);
  if (fitting.length < ask.count) return null;
  fitting.sort((a, b) => (free[a] as number) - (free[b] as number) || a - b);
  return fitting.slice(0, ask.count).sort((a, b) => a - b);
}

/** Takes `milli` from each of `devices` (they were picked by {@link pickGpus}). */
export function takeGpus(free: number[], devices: readonly number[], milli: number): void {
  for (const d of devices) free[d] = (free[d] as number) - milli;
}

/** Gives `milli` back to each of `devices`. */
export function giveGpus(free: number[], devices: readonly number[], milli: number): void {
  for (const d of devices) free[d] = (free[d] as number) + milli;
}

/** Thousandths free in all, and on devices wholly free (whole GPUs left), of a cell's devices. */
export function gpuFree(free: readonly number[] | undefined): { milli: number; whole: number } {
  let milli = 0;
  let whole = 0;
  for (const f of free ?? []) {
    milli += f;
    if (f >= WHOLE_GPU) whole++;
  }
  return { milli, whole };
}
