// `cf push` and deploys in the simulator: staging as a task through the auction (the stager), the
// droplet kept by the file server, the DesiredLRP created (the app manager); rolling and blue-green
// deploys that only retire old instances as new ones become routable.
import type { StagingSpec } from './scenario-types.js';
import type { DesiredLRP } from './actors/bbs.js';
import type { World } from './world.js';

/** Diego's staging task when an app declares none: 1 GiB, 4 GiB of disk, 30-90 s. */
export const DEFAULT_STAGING: StagingSpec = { memoryMB: 1024, diskMB: 4096, duration: { kind: 'uniform', min: 30_000, max: 90_000 }, failureProbability: 0 };

/** Failure reason of a staging task that failed. */
export const ERR_STAGING_FAILED = 'staging failed';

/**
 * Stages a droplet for `app` (a process guid): a staging task sized by `spec` is desired and
 * auctioned like any task; when it succeeds the droplet is stored and `then` runs; when it fails
 * nothing more happens (no LRP is desired).
 */
export function stage(w: World, app: DesiredLRP, spec: StagingSpec, then: () => void): void {
  const guid = `staging-${app.processGuid}`;
  const desired = w.bbs.tasks.desire({ guid, memoryMB: spec.memoryMB, diskMB: spec.diskMB, rootfs: app.rootfs, placementTags: app.placementTags, duration: spec.duration });
  if (!desired) return;
  w.kernel.note('staging', { app: app.processGuid });
  w.watchTask(guid, {
    failureProbability: spec.failureProbability,
    failureReason: ERR_STAGING_FAILED,
    done: (failed) => {
      if (failed) {
        w.kernel.note('staging-failed', { app: app.processGuid });
        return;
      }
      w.kernel.note('droplet-stored', { app: app.processGuid });
      then();
    },
  });
  w.requestTask(guid);
}

/** A deploy in progress from one version of an app to the next. */
export interface Deploy {
  /** The old version's process guid. */
  from: string;
  /** The new version's process guid. */
  to: string;
  /** Instances the app should have. */
  target: number;
  /** Most new instances not yet routable at a time (rolling). */
  maxInFlight: number;
  /** Time between steps (ms). */
  everyMs: number;
  /** Rolling: grow the new version while retiring old instances as new ones become routable; blue-green: start all, then switch. */
  style: 'rolling' | 'blue-green';
  /** The kernel handler of a step. */
  handler: number;
  /** This deploy's index (the handler's argument). */
  index: number;
}

/**
 * One step of a deploy. Rolling: the new version grows so that at most `maxInFlight` of its
 * instances are not yet routable, and the old version shrinks to `target - routable new`, so
 * routable instances never fall below the target by more than what crashes take. Blue-green: the new
 * version starts whole; the old is deleted once all new instances are routable. Returns whether the
 * deploy is done.
 */
export function deployStep(w: World, d: Deploy): boolean {
  const next = w.bbs.desired.get(d.to);
  if (!next) return true;
  const ready = w.routableOf(d.to);
  const old = w.bbs.desired.get(d.from);
  if (d.style === 'blue-green') {
    if (next.instances < d.target) w.api.scale(d.to, d.target);
    if (ready >= d.target && old) w.api.deleteApp(d.from);
  } else {
    const grown = Math.min(d.target, Math.max(next.instances, ready + d.maxInFlight));
    if (grown > next.instances) w.api.scale(d.to, grown);
    if (old) {
      const left = Math.max(0, d.target - ready);
      if (left === 0) w.api.deleteApp(d.from);
      else if (left < old.instances) w.api.scale(d.from, left);
    }
  }
  const done = ready >= d.target && !w.bbs.desired.has(d.from);
  if (done) w.kernel.note('deployed', { app: d.to });
  return done;
}
