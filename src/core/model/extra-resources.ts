import { giveGpus, type GpuAsk, gpuAsk, pickGpus, takeGpus } from './gpus.js';
import type { ResourceRequest, Resources } from './resources.js';

/** What work asks beyond memory and disk: CPU and GPUs. */
type Extra = Pick<ResourceRequest, 'CpuMilli' | 'GpuCount' | 'GpuMilli'>;

/**
 * Takes the work's CPU (on a cell that accounts it, as it is only checked there) and GPU devices
 * from a cell's free resources, the work fitting; returns the devices it got, if it asked for any.
 * `prefer` may name devices to take instead of the tightest-fit pick (null: pick).
 */
export function takeExtraResources(a: Resources, work: Extra, prefer?: (free: readonly number[], ask: GpuAsk) => number[] | null): number[] | undefined {
  if (a.CpuMilli !== undefined && work.CpuMilli !== undefined) a.CpuMilli -= work.CpuMilli;
  const ask = gpuAsk(work);
  if (ask === null || a.GpuMilli === undefined) return undefined;
  const devices = prefer?.(a.GpuMilli, ask) ?? pickGpus(a.GpuMilli, ask);
  if (devices === null) return undefined;
  takeGpus(a.GpuMilli, devices, ask.milli);
  return devices;
}

/** Gives back what {@link takeExtraResources} took: the CPU, and the share of each device the work holds. */
export function giveExtraResources(a: Resources, work: Extra & { GpuDevices?: number[] }): void {
  if (a.CpuMilli !== undefined && work.CpuMilli !== undefined) a.CpuMilli += work.CpuMilli;
  const ask = gpuAsk(work);
  if (ask !== null && a.GpuMilli !== undefined && work.GpuDevices !== undefined) giveGpus(a.GpuMilli, work.GpuDevices, ask.milli);
}
