/**
 * Diego's placement error texts, word for word, so results read like a real auctioneer's.
 * @module
 */

/** No cell offers the work's rootfs. */
export const ERR_ROOTFS = 'found no compatible cell for required rootfs';
/** No cell with the rootfs has every volume driver the work needs. */
export const ERR_VOLUME_DRIVERS = 'found no compatible cell with required volume drivers';
/** No cell answered the state fetch (after Diego's retries). */
export const ERR_CELL_COMMUNICATION = 'unable to communicate to compatible cells';
/** The in-flight start cap (`starting_container_count_maximum`) was reached. */
export const ERR_INFLIGHT_LIMIT = 'waiting to start instance: reached in-flight start limit';

/**
 * Diego's placement-tag mismatch text, which names the work's tags:
 * none, `"a"`, or `"a", "b" and "c"`.
 */
export function placementTagMismatch(tags: readonly string[]): string {
  if (tags.length === 0) return 'found no compatible cell with no placement tags';
  if (tags.length === 1) return `found no compatible cell with placement tag "${tags[0]}"`;
  const head = tags.slice(0, -1).map((t) => `"${t}"`);
  return `found no compatible cell with placement tags ${head.join(', ')} and "${tags[tags.length - 1]}"`;
}

/**
 * The text when no cell has a GPU model the work asks for, in the words of Diego's placement-tag
 * text (Diego has no GPUs; auctionlab's own): `"T4"`, or `"T4", "P100" or "V100M16"`.
 */
export function gpuModelMismatch(models: readonly string[]): string {
  if (models.length === 1) return `found no compatible cell with gpu model "${models[0]}"`;
  const head = models.slice(0, -1).map((m) => `"${m}"`);
  return `found no compatible cell with gpu model ${head.join(', ')} or "${models[models.length - 1]}"`;
}

/**
 * Whether a cell's refusal says it can never take the work, whatever it holds: the work's rootfs,
 * volume drivers, placement tags or GPU models are not the cell's (resource shortfalls pass with time).
 */
export function isConstraintRefusal(error: string): boolean {
  return (
    error === ERR_ROOTFS ||
    error === ERR_VOLUME_DRIVERS ||
    error.startsWith('found no compatible cell with placement tag') ||
    error.startsWith('found no compatible cell with no placement tags') ||
    error.startsWith('found no compatible cell with gpu model')
  );
}

/** Bit for a memory shortfall in a {@link ResourceProblems} mask. */
export const PROBLEM_MEMORY = 1;
/** Bit for a disk shortfall. */
export const PROBLEM_DISK = 2;
/** Bit for no free container. */
export const PROBLEM_CONTAINERS = 4;
/** All three of Diego's problems. */
export const ALL_PROBLEMS = PROBLEM_MEMORY | PROBLEM_DISK | PROBLEM_CONTAINERS;
/** Bit for a CPU shortfall (auctionlab's dimension; only a cell that accounts CPU has it). */
export const PROBLEM_CPU = 8;
/** Bit for too few GPU devices with the share asked free (auctionlab's dimension). */
export const PROBLEM_GPU = 16;
/**
 * Every problem bit: the starting point of Diego's intersection over rejecting cells (a bit no
 * rejecting cell has drops out, so a cluster without CPU or GPUs never names them).
 */
export const EVERY_PROBLEM = ALL_PROBLEMS | PROBLEM_CPU | PROBLEM_GPU;

/** A set of resource problems as a bit mask of the `PROBLEM_*` bits. */
export type ResourceProblems = number;

/** The names of a problem mask, sorted as Diego sorts them: containers, cpu, disk, gpu, memory. */
export function problemNames(problems: ResourceProblems): ('containers' | 'cpu' | 'disk' | 'gpu' | 'memory')[] {
  const names: ('containers' | 'cpu' | 'disk' | 'gpu' | 'memory')[] = [];
  if (problems & PROBLEM_CONTAINERS) names.push('containers');
  if (problems & PROBLEM_CPU) names.push('cpu');
  if (problems & PROBLEM_DISK) names.push('disk');
  if (problems & PROBLEM_GPU) names.push('gpu');
  if (problems & PROBLEM_MEMORY) names.push('memory');
  return names;
}

/**
 * Diego's `insufficient resources: <problems>` text; problems are sorted by name
 * (containers, cpu, disk, gpu, memory) and the suffix is dropped when the set is empty.
 * {@link EVERY_PROBLEM} is the intersection over no rejecting cell at all: it reads as Diego's three,
 * as it did before auctionlab had CPU and GPUs.
 */
export function insufficientResources(problems: ResourceProblems): string {
  // Few masks, few messages: made once each, since a full cluster fails auctions by the million.
  const mask = problems === EVERY_PROBLEM ? ALL_PROBLEMS : problems;
  const known = INSUFFICIENT[mask];
  if (known !== undefined) return known;
  const names = problemNames(mask);
  const text = names.length === 0 ? 'insufficient resources' : `insufficient resources: ${names.join(', ')}`;
  if (mask >= 0 && mask <= EVERY_PROBLEM) INSUFFICIENT[mask] = text;
  return text;
}

const INSUFFICIENT: (string | undefined)[] = [];
