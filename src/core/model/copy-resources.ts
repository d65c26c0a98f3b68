import type { Resources } from './resources.js';

/** A copy of a cell's resources sharing nothing with it (the GPU list included). */
export function copyResources(r: Resources): Resources {
  const out: Resources = { ...r };
  if (r.GpuMilli !== undefined) out.GpuMilli = [...r.GpuMilli];
  return out;
}
