// The most instances each app of a scenario ever has: its `instances`, or the largest `scale` aimed
// at it or at a name it belongs to (a scale of `web` reaches `web-0`, `web-1`, ... as the simulator
// applies it: sim/app-names.ts belongsTo). Used for the size limit and to check crash indices; one
// pass over the events, so a file of many events is refused quickly.
import type { ScenarioEvent } from '../sim/events/registry.js';
import type { AppSpec } from '../sim/scenario-types.js';

/** The peaks of a scenario's apps. */
export class InstancePeaks {
  /** The largest scale aimed at each name. */
  private readonly scaled = new Map<string, number>();

  /** Peaks of `apps` under the scale events among `events`. */
  constructor(private readonly apps: readonly AppSpec[], events: readonly ScenarioEvent[]) {
    for (const e of events) if (e.kind === 'scale') this.scaled.set(e.app, Math.max(this.scaled.get(e.app) ?? 0, e.instances));
  }

  // The largest scale aimed at `name` or at a name it belongs to (its prefixes ending before a '-').
  private reaching(name: string): number {
    let most = this.scaled.get(name) ?? 0;
    for (let i = name.indexOf('-'); i > 0; i = name.indexOf('-', i + 1)) most = Math.max(most, this.scaled.get(name.slice(0, i)) ?? 0);
    return most;
  }

  /** The most instances the app `processGuid` ever has, or null when no app of the scenario has that guid. */
  of(processGuid: string): number | null {
    for (const a of this.apps) {
      if (a.count === 1 ? processGuid !== a.name : !isMember(processGuid, a)) continue;
      return Math.max(a.instances, this.reaching(processGuid));
    }
    return null;
  }

  /** Instances of every app at its most, added up (count x instances, with each member's own scales). */
  total(): number {
    let sum = 0;
    for (const a of this.apps) {
      if (a.count === 1) {
        sum += Math.max(a.instances, this.reaching(a.name));
        continue;
      }
      // Every member at the group's peak, then the members scaled on their own above it.
      const base = Math.max(a.instances, this.reaching(a.name));
      sum += a.count * base;
      for (const [name, n] of this.scaled) if (n > base && isMember(name, a)) sum += n - base;
    }
    return sum;
  }
}

// Whether `guid` is a member (`<name>-<n>`, n below the count) of the app group `a`.
function isMember(guid: string, a: AppSpec): boolean {
  if (!guid.startsWith(`${a.name}-`)) return false;
  const n = guid.slice(a.name.length + 1);
  return /^(0|[1-9]\d*)$/.test(n) && Number(n) < a.count;
}
