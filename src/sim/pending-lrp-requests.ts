// The LRP start requests the BBS client gathers within one instant, one entry per process guid in
// the order the guids were first asked for (as a Map's keys would be), found by guid.
import type { AppActuals } from './actors/bbs.js';

/** One app's requests of an instant. */
export interface PendingLRPRequest {
  /** The app. */
  readonly guid: string;
  /** The indices asked for, each once, in the order asked. */
  readonly indices: number[];
  /** The BBS's map of the app, from the first request that held it. */
  app: AppActuals | undefined;
  /** Some index was asked for without its record, so the flush starts its wait. */
  lookUp: boolean;
}

/**
 * The requests of one instant by process guid. Most instants ask for one app or a few (a crash's
 * restart, a push): those are found by comparing guids along the list, where a `Map` made per
 * instant (205,000 of them in the 250k hour, each a table of its own) and its hashing cost more than
 * the search; past {@link PendingLRPRequests.SCAN_LIMIT} entries (a convergence pass asks for
 * thousands) a `Map` by guid is made and kept until the instant's requests are taken.
 */
export class PendingLRPRequests {
  /** Entries searched along the list; beyond, by a map. */
  static readonly SCAN_LIMIT = 8;
  private list: PendingLRPRequest[] = [];
  private byGuid: Map<string, PendingLRPRequest> | null = null;

  /** How many apps have requests. */
  get size(): number {
    return this.list.length;
  }

  /** The entry of an app, or undefined. */
  get(guid: string): PendingLRPRequest | undefined {
    if (this.byGuid !== null) return this.byGuid.get(guid);
    const list = this.list;
    for (let i = 0; i < list.length; i++) {
      const e = list[i] as PendingLRPRequest;
      if (e.guid === guid) return e;
    }
    return undefined;
  }

  /** Adds the entry of an app that has none (see {@link PendingLRPRequests.get}). */
  add(e: PendingLRPRequest): void {
    const list = this.list;
    list.push(e);
    if (this.byGuid !== null) this.byGuid.set(e.guid, e);
    else if (list.length > PendingLRPRequests.SCAN_LIMIT) {
      const m = new Map<string, PendingLRPRequest>();
      for (let i = 0; i < list.length; i++) m.set((list[i] as PendingLRPRequest).guid, list[i] as PendingLRPRequest);
      this.byGuid = m;
    }
  }

  /** Takes every entry, in the order added, and leaves none. */
  take(): PendingLRPRequest[] {
    const out = this.list;
    this.list = [];
    this.byGuid = null;
    return out;
  }
}
