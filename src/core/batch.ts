import { copyExtraFields } from './model/work-fields.js';
import { setLength } from './scheduler/scratch.js';
import { hashHex } from './hash.js';
import { APP_NUMBER, NO_APP_NUMBER } from './rep/app-numbers.js';
import type { AuctionBatch, LRPAuction, TaskAuction } from './model/auctions.js';
import type { LRPStartRequest, TaskStartRequest } from './model/requests.js';

/**
 * A slot for a driver's own bookkeeping on every auction {@link buildBatch} makes (a number, 0 when
 * made). Symbol-keyed, so never serialised and never in the way of Diego's fields; part of the
 * object from the start, so setting it allocates nothing (a property added later would take a
 * backing store of its own, for every auction of every batch).
 */
export const AUCTION_MARK: unique symbol = Symbol('auctionlab.auctionMark');

/**
 * A slot on every LRP instance (`auction.lrp`) {@link buildBatch} makes: the context its request was
 * given in {@link BuildBatchOptions.contexts}, else null. It travels with the instance (to the
 * cell that gets it as work, too), so a driver finds its own record for the instance without a
 * lookup. Symbol-keyed like {@link AUCTION_MARK}.
 */
export const INSTANCE_CONTEXT: unique symbol = Symbol('auctionlab.instanceContext');

/** Options for {@link buildBatch}. */
export interface BuildBatchOptions {
  /** Seed for deterministic instance guids (default 0). */
  seed?: number;
  /**
   * Makes the instance guid for an auction id (`processGuid.index`). Diego draws a random guid per
   * auction; the default here derives one from the seed and the id so runs repeat byte for byte.
   */
  instanceGuid?: (id: string) => string;
  /**
   * The caller guarantees that no auction identity occurs twice in the requests (no process guid in
   * two LRP requests, no index twice in one, no task guid twice), as a BBS's own batch of requests
   * does: the duplicate check, a set of every identity, is skipped. Default false. The batch is the
   * same either way when the guarantee holds.
   */
  unique?: boolean;
  /**
   * The LRP requests come in runs starting at these positions (ascending, the first 0), and the
   * caller guarantees each run repeats no identity within itself (as `unique` does for all of them,
   * e.g. a queue made of several BBS flushes): only repeats across runs are looked for, and the
   * largest run is never indexed, only probed. Task requests are checked as usual. Ignored when
   * `unique` is set. The batch is the same as with the full check when the guarantee holds.
   */
  uniqueRuns?: readonly number[];
  /**
   * The caller's context for each LRP request, by position. It rides on the instance in a symbol-keyed
   * slot (`INSTANCE_CONTEXT`), which only auctionlab's own drivers read.
   */
  contexts?: readonly unknown[];
  /**
   * Numbers apps (the table the reps and placement index share), called once per LRP request with
   * its process guid and its context (see `contexts`; undefined without one): each instance carries
   * its app's number in a symbol-keyed slot, which saves the reps and the scheduler a lookup by
   * guid. For auctionlab's own drivers, like `contexts` (the table is internal); absent, the
   * instances carry no number and nothing else changes.
   */
  appNumbers?: { no(processGuid: string, context: unknown): number };
}

/** A built batch and how many duplicate requests were dropped. */
export interface BuiltBatch {
  /** The deduplicated auctions. */
  batch: AuctionBatch;
  /** Requests dropped because an earlier one in the batch had the same identity. */
  duplicatesDropped: number;
}

/**
 * The (process guid, index) pairs seen so far, keyed by the guid: the guid string the request
 * already holds (its hash computed once, kept by the string), not a new `guid.index` string to
 * flatten and hash per auction. The identity is the same as the id's: an index is an integer (no
 * dot), so `guid.index` splits back at its last dot into exactly one pair.
 */
class SeenIndices {
  // One index seen for a guid (most apps), or the set of them once there are more.
  private readonly byGuid = new Map<string, number | Set<number>>();

  /** Adds a pair; false if it was there already. */
  add(processGuid: string, index: number): boolean {
    const seen = this.byGuid.get(processGuid);
    if (seen === undefined) {
      this.byGuid.set(processGuid, index);
      return true;
    }
    if (typeof seen === 'number') {
      if (seen === index) return false;
      this.byGuid.set(processGuid, new Set([seen, index]));
      return true;
    }
    if (seen.has(index)) return false;
    seen.add(index);
    return true;
  }

  /** Whether a pair is there. */
  has(processGuid: string, index: number): boolean {
    const seen = this.byGuid.get(processGuid);
    return seen !== undefined && (typeof seen === 'number' ? seen === index : seen.has(index));
  }
}

/**
 * The positions (counting every index of every request, in order) of the LRP pairs that repeat an
 * earlier one, when the requests come in runs that repeat nothing within themselves: first wins, as
 * in the full check. A converger pass's tens of thousands of requests queued beside a few restarts
 * make one large run and some small ones; only the small ones are indexed. Items of runs after the
 * largest that it also holds are found while it is probed, so it is never indexed either.
 */
function repeatsAcrossRuns(lrps: readonly LRPStartRequest[], runs: readonly number[]): Set<number> {
  const runEnd = (i: number) => (i + 1 < runs.length ? (runs[i + 1] as number) : lrps.length);
  let largest = 0;
  let most = -1;
  for (let i = 0; i < runs.length; i++) {
    let n = 0;
    for (let r = runs[i] as number; r < runEnd(i); r++) n += (lrps[r] as LRPStartRequest).indices.length;
    if (n > most) [largest, most] = [i, n];
  }
  // What the runs after the largest hold, so the largest can tell them it came first.
  const later = new SeenIndices();
  for (let r = runEnd(largest); r < lrps.length; r++) {
    const q = lrps[r] as LRPStartRequest;
    for (const index of q.indices) later.add(q.process_guid, index);
  }
  const seen = new SeenIndices(); // pairs kept so far, outside the largest run
  const inLargest = new SeenIndices(); // pairs of later runs that the largest holds
  const drop = new Set<number>();
  let p = 0;
  for (let i = 0; i < runs.length; i++) {
    const isLargest = i === largest;
    const after = i > largest;
    for (let r = runs[i] as number; r < runEnd(i); r++) {
      const q = lrps[r] as LRPStartRequest;
      for (let k = 0; k < q.indices.length; k++, p++) {
        const index = q.indices[k] as number;
        if (isLargest) {
          if (seen.has(q.process_guid, index)) drop.add(p);
          else if (later.has(q.process_guid, index)) inLargest.add(q.process_guid, index);
        } else if ((after && inLargest.has(q.process_guid, index)) || !seen.add(q.process_guid, index)) drop.add(p);
      }
    }
  }
  return drop;
}

/** Diego's identity of an LRP auction: `processGuid.index`. */
export function lrpAuctionId(processGuid: string, index: number): string {
  // Joined, not concatenated: from 13 characters on, `a + b` is a V8 cons string (a pair of
  // pointers), which every read of its characters (the seeded order hashes each auction's id) first
  // copies into a flat string; a join makes the flat string at once (script: hashing 600,000 ids
  // 92-112 ms as cons strings, 16-19 ms flat).
  return [processGuid, '.', index].join('');
}

/**
 * Turns start requests into one batch of auctions the way Diego's auctioneer does: one auction per
 * LRP index, one per task, duplicates (same `processGuid.index` or task guid) dropped, first wins.
 */
export function buildBatch(
  lrps: readonly LRPStartRequest[],
  tasks: readonly TaskStartRequest[],
  opts: BuildBatchOptions = {},
): BuiltBatch {
  const seed = opts.seed ?? 0;
  const guid = opts.instanceGuid ?? ((id: string) => `${id}-${hashHex(`${seed}/${id}`)}`);
  let duplicatesDropped = 0;
  // Nothing to check when the caller vouches for the requests (a converger pass can send tens of
  // thousands, and a set of every id cost more than the rest of the batch).
  const check = opts.unique !== true;
  // Runs the caller vouches for: the repeats are found up front, and the loop checks positions.
  const runs = check && opts.uniqueRuns !== undefined && opts.uniqueRuns.length > 0 ? repeatsAcrossRuns(lrps, opts.uniqueRuns) : null;
  const checkLRPs = check && runs === null;
  let p = 0;
  const seenLRP = new SeenIndices();
  // Sized up front (and cut to what was kept): growing an array a quarter of a million long by
  // push copies it over and over.
  let total = 0;
  for (let r = 0; r < lrps.length; r++) total += (lrps[r] as LRPStartRequest).indices.length;
  const lrpAuctions = new Array<LRPAuction>(total);
  let made = 0;
  const contexts = opts.contexts ?? [];
  // Indexed loops: a batch can hold a quarter of a million auctions.
  for (let r = 0; r < lrps.length; r++) {
    const q = lrps[r] as LRPStartRequest;
    const context = contexts[r] ?? null;
    const appNo = opts.appNumbers !== undefined ? opts.appNumbers.no(q.process_guid, contexts[r]) : NO_APP_NUMBER;
    // Auctionlab's CPU and GPU fields, copied only when the request has any (Diego's have none).
    const extra = q.CpuMilli !== undefined || q.GpuCount !== undefined || q.GpuMilli !== undefined || q.GpuModels !== undefined;
    for (let k = 0; k < q.indices.length; k++) {
      const index = q.indices[k] as number;
      if (runs !== null ? runs.has(p++) : checkLRPs && !seenLRP.add(q.process_guid, index)) {
        duplicatesDropped++;
        continue;
      }
      const id = lrpAuctionId(q.process_guid, index);
      const auction = (lrpAuctions[made++] = {
        kind: 'lrp',
        id,
        lrp: {
          instance_guid: guid(id),
          process_guid: q.process_guid,
          index,
          domain: q.domain,
          // The lists are shared with the request, not copied: auctions only read them.
          PlacementTags: q.PlacementTags,
          VolumeDrivers: q.VolumeDrivers,
          RootFs: q.RootFs,
          MemoryMB: q.MemoryMB,
          DiskMB: q.DiskMB,
          MaxPids: q.MaxPids,
          state: '',
          [INSTANCE_CONTEXT]: context,
          [APP_NUMBER]: appNo,
        } as LRPAuction['lrp'],
        [AUCTION_MARK]: 0,
      } as LRPAuction);
      if (extra) copyExtraFields(q, auction.lrp);
    }
  }
  setLength(lrpAuctions, made);
  const seenTask = new Set<string>();
  const taskAuctions: TaskAuction[] = [];
  for (const q of tasks) {
    if (check) {
      if (seenTask.has(q.TaskGuid)) {
        duplicatesDropped++;
        continue;
      }
      seenTask.add(q.TaskGuid);
    }
    const auction = {
      kind: 'task',
      id: q.TaskGuid,
      task: {
        TaskGuid: q.TaskGuid,
        Domain: q.Domain,
        PlacementTags: q.PlacementTags,
        VolumeDrivers: q.VolumeDrivers,
        RootFs: q.RootFs,
        MemoryMB: q.MemoryMB,
        DiskMB: q.DiskMB,
        MaxPids: q.MaxPids,
        state: '',
        failed: false,
      },
      [AUCTION_MARK]: 0,
    } as TaskAuction;
    copyExtraFields(q, auction.task);
    taskAuctions.push(auction);
  }
  return { batch: { lrps: lrpAuctions, tasks: taskAuctions }, duplicatesDropped };
}
