import type { LRP } from '../model/cell-state.js';

/**
 * A slot on an LRP instance for its app's number in an {@link AppNumbers} table (-1 or absent:
 * none), set by `buildBatch` when it is given the table. It travels with the instance (into the
 * cell's own record of it, too), so a rep or scheduler sharing the table finds the app's entries
 * without looking the guid up. Symbol-keyed: never serialised, never in the way of Diego's fields.
 * A number is only a hint: it is checked against the table (see {@link AppNumbers.no}).
 */
export const APP_NUMBER: unique symbol = Symbol('auctionlab.appNumber');

/** The app number an instance carries ({@link APP_NUMBER}), or -1. */
export function appNumberOf(lrp: LRP): number {
  return (lrp as { [APP_NUMBER]?: number })[APP_NUMBER] ?? -1;
}

/**
 * Process guids numbered in the order they are first seen: the reps' and the placement index's
 * tables of apps are keyed by these small integers rather than by the guid strings (a string key
 * is hashed and compared at every lookup; at Diego's scale a few hundred thousand of them, looked
 * up several times per instance placed or removed). A number is never taken back: an app that
 * goes keeps its number (one entry per app ever seen).
 */
export class AppNumbers {
  private readonly numbers = new Map<string, number>();
  private readonly guids: string[] = [];

  /**
   * The app's number, given it now if it has none yet. `hint` is a number the caller was handed
   * with the guid (an instance's {@link APP_NUMBER}): taken, without a lookup, when it is this
   * table's number for that guid (a number from another table, or none, is looked up as usual).
   */
  no(processGuid: string, hint = -1): number {
    if (hint >= 0 && this.guids[hint] === processGuid) return hint;
    let n = this.numbers.get(processGuid);
    if (n === undefined) {
      n = this.guids.length;
      this.numbers.set(processGuid, n);
      this.guids.push(processGuid);
    }
    return n;
  }

  /** The app's number, or `undefined` if it has none (none is given); `hint` as for {@link AppNumbers.no}. */
  find(processGuid: string, hint = -1): number | undefined {
    if (hint >= 0 && this.guids[hint] === processGuid) return hint;
    return this.numbers.get(processGuid);
  }

  /** The process guid numbered `no`. */
  guid(no: number): string | undefined {
    return this.guids[no];
  }

  /** Numbers given so far (they run from 0 to this minus one). */
  get count(): number {
    return this.guids.length;
  }
}
