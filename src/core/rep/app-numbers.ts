import type { LRP } from '../model/cell-state.js';

/**
 * A slot on an LRP instance for its app's number in an {@link AppNumbers} table (-1 or absent:
 * none), set by `buildBatch` when it is given the table. It travels with the instance (into the
 * cell's own record of it, too), so a rep or scheduler sharing the table finds the app's entries
 * without looking the guid up. Symbol-keyed: never serialised, never in the way of Diego's fields.
 * A number is only a hint: it is checked against the table (see {@link AppNumbers.no}).
 */
export const APP_NUMBER: unique symbol = Symbol('auctionlab.appNumber');

/** No app number: what an instance made without a table carries in {@link APP_NUMBER}. */
export const NO_APP_NUMBER = -1;

/** The app number an instance carries ({@link APP_NUMBER}), or {@link NO_APP_NUMBER}. */
export function appNumberOf(lrp: LRP): number {
  return (lrp as { [APP_NUMBER]?: number })[APP_NUMBER] ?? NO_APP_NUMBER;
}

/**
 * Process guids numbered in the order they are first seen: the reps' and the placement index's
 * tables of apps are keyed by these small integers rather than by the guid strings (a string key
 * is hashed and compared at every lookup; at Diego's scale a few hundred thousand of them, looked
 * up several times per instance placed or removed). A shared table (a placement index's) keeps
 * every number it gave (one entry per app ever seen: a simulated run's apps are bounded by its
 * scenario); one table's owner may give numbers back ({@link AppNumbers.release}), to be given again.
 */
export class AppNumbers {
  private readonly numbers = new Map<string, number>();
  // By number: the guid, or undefined while the number is free.
  private readonly guids: (string | undefined)[] = [];
  private readonly free: number[] = [];

  /**
   * The app's number, given it now if it has none yet. `hint` is a number the caller was handed
   * with the guid (an instance's {@link APP_NUMBER}): taken, without a lookup, when it is this
   * table's number for that guid (a number from another table, or none, is looked up as usual).
   */
  no(processGuid: string, hint = -1): number {
    if (hint >= 0 && this.guids[hint] === processGuid) return hint;
    let n = this.numbers.get(processGuid);
    if (n === undefined) {
      n = this.free.pop() ?? this.guids.length;
      this.numbers.set(processGuid, n);
      this.guids[n] = processGuid;
    }
    return n;
  }

  /**
   * Gives an app's number back: the app has none from now on, and the number may go to another app.
   * Only for a table nobody else holds numbers of (a hint is checked against the guid, so a stale
   * one is looked up anyway). A number not given is ignored.
   */
  release(no: number): void {
    const guid = this.guids[no];
    if (guid === undefined) return;
    this.numbers.delete(guid);
    this.guids[no] = undefined;
    this.free.push(no);
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

  /** Numbers given so far and not given back. */
  get count(): number {
    return this.numbers.size;
  }

  /** One more than the largest number ever given (numbers run from 0 to this minus one). */
  get limit(): number {
    return this.guids.length;
  }
}
