import { ERR_CELL_COMMUNICATION } from '../errors.js';
import type { AuctionBatch } from '../model/auctions.js';
import type { CellState } from '../model/cell-state.js';
import type { Inbox, Request } from '../protocol/messages.js';
import type { PlacementIndex } from '../rep/placement-index.js';
import { ClusterSnapshot } from '../scheduler/cluster-snapshot.js';
import { DIEGO_DEFAULTS, type DiegoSettings, scheduleBatch } from '../scheduler/diego-scheduler.js';
import type { AuctionOutcome, AuctionProtocol, Failure, Placement, Strategy, StrategyContext, StrategySettings } from '../strategy.js';

/** Diego fetches state up to this many times in all before giving up on a batch. */
export const STATE_FETCH_ATTEMPTS = 4;

/** Reason recorded when a cell's rep turns down work at commit (Diego leaves the error empty). */
export function rejectedAtCommit(cell: string): string {
  return `rejected by cell ${cell} at commit`;
}

function failAll(batch: AuctionBatch, reason: string): AuctionOutcome {
  const failed: Failure[] = [];
  for (const auction of [...batch.lrps, ...batch.tasks]) failed.push({ auction, reason });
  return { placed: [], failed, cellsScored: 0 };
}

/**
 * Keeps the states Diego's auctioneer would use: answered, not evacuating, and reporting the id
 * it was asked for (an empty id is taken on trust, as Diego does).
 */
function usableStates(asked: readonly string[], inbox: Inbox): { states: CellState[]; index: PlacementIndex | undefined } {
  const states: CellState[] = [];
  // The reps' shared index is used only if every usable reply carries the same one.
  let index: PlacementIndex | undefined;
  let shared = true;
  inbox.forEach((reply, i) => {
    if (reply.kind !== 'state' || !reply.ok) return;
    const s = reply.state;
    if (s.Evacuating) return;
    if (s.cell_id !== '' && s.cell_id !== asked[i]) return;
    if (states.length === 0) index = reply.index;
    else if (reply.index !== index) shared = false;
    states.push(s);
  });
  return { states, index: shared ? index : undefined };
}

/**
 * Diego's batch auction (cloudfoundry/auction `auctionrunner`, rule for rule): fetch every cell's
 * state in parallel (retrying up to 4 times if none answers), place each auction in order on an
 * in-memory copy, then send each cell with work one `perform`. Work a cell turns down fails; work
 * whose `perform` got no reply counts as placed but unconfirmed, as Diego leaves it for the converger.
 */
export const diegoStrategy: Strategy = {
  name: 'diego',
  summary: "Diego's batch auction: one auctioneer, state fetch, scored placement, one POST /work per cell",
  settings: [
    {
      name: 'startingContainerWeight',
      default: DIEGO_DEFAULTS.startingContainerWeight,
      description: 'score added per container already starting on a cell (starting_container_weight)',
      min: 0,
      max: 1000,
      integer: false,
    },
    {
      name: 'binPackFirstFitWeight',
      default: DIEGO_DEFAULTS.binPackFirstFitWeight,
      description: 'score added per unit of per-zone cell index; > 0 packs low-index cells first (bin_pack_first_fit_weight)',
      min: 0,
      max: 1000,
      integer: false,
    },
    {
      name: 'startingContainerCountMaximum',
      default: DIEGO_DEFAULTS.startingContainerCountMaximum,
      description: 'cap on containers starting at once across cells, 0 = no cap (starting_container_count_maximum)',
      min: 0,
      max: Number.MAX_SAFE_INTEGER,
      integer: true,
    },
  ],
  *auction(batch: AuctionBatch, ctx: StrategyContext, raw: StrategySettings): AuctionProtocol {
    const settings: DiegoSettings = {
      startingContainerWeight: raw['startingContainerWeight'] ?? DIEGO_DEFAULTS.startingContainerWeight,
      binPackFirstFitWeight: raw['binPackFirstFitWeight'] ?? DIEGO_DEFAULTS.binPackFirstFitWeight,
      startingContainerCountMaximum: raw['startingContainerCountMaximum'] ?? DIEGO_DEFAULTS.startingContainerCountMaximum,
    };
    if (batch.lrps.length + batch.tasks.length === 0) return { placed: [], failed: [], cellsScored: 0 };
    if (ctx.cells.length === 0) return failAll(batch, ERR_CELL_COMMUNICATION);

    let fetched: ReturnType<typeof usableStates> = { states: [], index: undefined };
    for (let attempt = 0; attempt < STATE_FETCH_ATTEMPTS && fetched.states.length === 0; attempt++) {
      const inbox = yield ctx.cells.map((cell): Request => ({ kind: 'state', cell }));
      fetched = usableStates(ctx.cells, inbox);
    }
    if (fetched.states.length === 0) return failAll(batch, ERR_CELL_COMMUNICATION);

    const snap = new ClusterSnapshot(fetched.states, {
      seed: ctx.seed,
      normaliseIndices: settings.binPackFirstFitWeight > 0,
      ...(fetched.index ? { index: fetched.index } : {}),
    });
    const decided = scheduleBatch(snap, batch, settings);
    const failed: Failure[] = decided.failed.map(({ auction, reason }) => ({ auction, reason }));

    // One perform per cell with work; commitOf maps a cell to its position in the outbox.
    const commits: Request[] = [];
    const commitOf = new Int32Array(snap.n).fill(-1);
    for (let c = 0; c < snap.n; c++) {
      const lrps = snap.workLRPs[c] as CellState['LRPs'];
      const tasks = snap.workTasks[c] as CellState['Tasks'];
      if (lrps.length === 0 && tasks.length === 0) continue;
      const cell = (snap.states[c] as CellState).cell_id;
      commitOf[c] = commits.length;
      commits.push({ kind: 'perform', cell, work: { LRPs: lrps, Tasks: tasks, cell_id: cell } });
    }
    const replies: Inbox = commits.length > 0 ? yield commits : [];

    // What each cell turned down, by auction id.
    const rejected = new Set<string>();
    for (const reply of replies) {
      if (reply.kind !== 'perform' || !reply.ok) continue;
      for (const l of reply.failed.LRPs) rejected.add(`${l.process_guid}.${l.index}`);
      for (const t of reply.failed.Tasks) rejected.add(t.TaskGuid);
    }
    const placed: Placement[] = [];
    for (const p of decided.placed) {
      const cell = (snap.states[p.cell] as CellState).cell_id;
      const reply = replies[commitOf[p.cell] as number];
      // A perform that errored reports nothing failed, so no duplicate can be started (Diego's rule).
      if (reply === undefined || !reply.ok) placed.push({ auction: p.auction, cell, confirmed: false });
      else if (rejected.has(p.auction.id)) failed.push({ auction: p.auction, reason: rejectedAtCommit(cell) });
      else placed.push({ auction: p.auction, cell, confirmed: true });
    }
    return { placed, failed, cellsScored: decided.cellsScored };
  },
};
