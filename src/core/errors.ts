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
 * Whether a cell's refusal says it can never take the work, whatever it holds: the work's rootfs,
 * volume drivers or placement tags are not the cell's (resource shortfalls pass with time).
 */
export function isConstraintRefusal(error: string): boolean {
  return error === ERR_ROOTFS || error === ERR_VOLUME_DRIVERS || error.startsWith('found no compatible cell with placement tag') || error.startsWith('found no compatible cell with no placement tags');
}

/** Bit for a memory shortfall in a {@link ResourceProblems} mask. */
export const PROBLEM_MEMORY = 1;
/** Bit for a disk shortfall. */
export const PROBLEM_DISK = 2;
/** Bit for no free container. */
export const PROBLEM_CONTAINERS = 4;
/** All three problems: the starting point of Diego's intersection over rejecting cells. */
export const ALL_PROBLEMS = PROBLEM_MEMORY | PROBLEM_DISK | PROBLEM_CONTAINERS;

/** A set of resource problems as a bit mask of the `PROBLEM_*` bits. */
export type ResourceProblems = number;

/**
 * Diego's `insufficient resources: <problems>` text; problems are sorted by name
 * (containers, disk, memory) and the suffix is dropped when the set is empty.
 */
export function insufficientResources(problems: ResourceProblems): string {
  // Eight masks, eight messages: made once each, since a full cluster fails auctions by the million.
  const known = INSUFFICIENT[problems];
  if (known !== undefined) return known;
  const names: string[] = [];
  if (problems & PROBLEM_CONTAINERS) names.push('containers');
  if (problems & PROBLEM_DISK) names.push('disk');
  if (problems & PROBLEM_MEMORY) names.push('memory');
  const text = names.length === 0 ? 'insufficient resources' : `insufficient resources: ${names.join(', ')}`;
  if (problems >= 0 && problems <= ALL_PROBLEMS) INSUFFICIENT[problems] = text;
  return text;
}

const INSUFFICIENT: (string | undefined)[] = [];
