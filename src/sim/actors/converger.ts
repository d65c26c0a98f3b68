import { mayRestart } from '../../core/convergence/crash-restart.js';
import { ERR_TASK_CELL_DISAPPEARED, ERR_TASK_NOT_STARTED } from '../../core/convergence/states.js';
import type { World } from '../world.js';

/**
 * One pass of Diego's converger (BBS), in Diego's order:
 * suspect and evacuating copies whose fate is decided are settled; stale UNCLAIMED instances are
 * re-auctioned; instances on vanished cells become SUSPECT and get an UNCLAIMED replacement;
 * missing indices are created and auctioned; extra indices and instances with no DesiredLRP are
 * retired; CRASHED instances whose backoff has passed are restarted. Tasks: PENDING too long fail,
 * other PENDING are re-sent, RUNNING on a vanished cell fail, COMPLETED are deleted after their TTL.
 * All start requests of the pass go to the auctioneer together.
 */
export function convergencePass(w: World): void {
  const { bbs, kernel, scenario } = w;
  const now = kernel.now;
  const s = scenario.convergence;
  // Cells the BBS cannot see; usually none, and then no record needs a presence check.
  const absent = new Set(w.cells.filter((c) => !c.present).map((c) => c.id));
  const present = (cellId: string) => absent.size === 0 || (!absent.has(cellId) && w.cellById.has(cellId));
  let auctioned = 0;
  let retired = 0;

  // Apps whose ordinary records fall short of their instance count, for the missing-index step.
  const short = new Set<string>();
  for (const guid of bbs.desired.keys()) if (!bbs.actual.has(guid)) short.add(guid);
  for (const [guid, byIndex] of bbs.actual) {
    const d = bbs.desired.get(guid);
    let ordinaries = 0;
    for (const [index, g] of byIndex) {
      // A suspect whose cell came back: promoted if its replacement is not running yet.
      if (g.suspect && present(g.suspect.cell)) {
        if (g.ordinary?.state !== 'RUNNING') {
          const replacement = g.ordinary;
          if (replacement?.cell) w.stopInstance(replacement.cell, replacement.instanceGuid);
          bbs.promoteSuspect(g);
        } else {
          w.stopInstance(g.suspect.cell, g.suspect.instanceGuid);
          g.suspect = null;
        }
      }
      if (g.evacuating && !present(g.evacuating.cell)) g.evacuating = null;
      const o = g.ordinary;
      if (!o) {
        if (!g.evacuating && !g.suspect) byIndex.delete(index);
        continue;
      }
      if (!d || index >= d.instances) {
        if (o.cell) w.stopInstance(o.cell, o.instanceGuid);
        bbs.removeOrdinary(g);
        retired++;
        if (!g.evacuating && !g.suspect) byIndex.delete(index);
        continue;
      }
      if ((o.state === 'CLAIMED' || o.state === 'RUNNING') && !present(o.cell)) {
        bbs.suspect(g);
        w.requestLRP(guid, index);
        auctioned++;
      } else if (o.state === 'UNCLAIMED' && now - o.since >= s.staleUnclaimedMs) {
        w.requestLRP(guid, index);
        auctioned++;
      } else if (o.state === 'CRASHED' && mayRestart(o.crashCount, o.since, now)) {
        bbs.unclaim(o);
        w.requestLRP(guid, index);
        auctioned++;
      }
      if (g.ordinary) ordinaries++;
    }
    if (byIndex.size === 0) bbs.actual.delete(guid);
    if (d && ordinaries < d.instances) short.add(guid);
  }
  for (const guid of short) {
    for (const i of bbs.missingIndices(guid)) {
      bbs.createUnclaimed(guid, i);
      w.requestLRP(guid, i);
      auctioned++;
    }
  }

  for (const [guid, t] of bbs.tasks) {
    if (t.state === 'PENDING') {
      if (now - t.createdAt > s.pendingTaskTimeoutMs) bbs.finishTask(t, true, ERR_TASK_NOT_STARTED);
      else w.requestTask(guid);
    } else if (t.state === 'RUNNING' && !present(t.cell)) {
      bbs.finishTask(t, true, ERR_TASK_CELL_DISAPPEARED);
    } else if (t.state === 'RESOLVING' && now - t.updatedAt > s.resolvingTimeoutMs) {
      t.state = 'COMPLETED';
    } else if (t.state === 'COMPLETED' && now - t.completedAt >= s.completedTaskTtlMs) {
      bbs.tasks.delete(guid);
    }
  }
  kernel.note('converge', { auctioned, retired, missing: bbs.missing });
}
