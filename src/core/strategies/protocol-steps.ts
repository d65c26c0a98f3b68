import type { AuctionBatch } from '../model/auctions.js';
import type { CellState, LRP, Task } from '../model/cell-state.js';
import type { Inbox, Outbox, Reply, Request } from '../protocol/messages.js';
import type { PlacementIndex } from '../rep/placement-index.js';
import { ClusterSnapshot } from '../scheduler/cluster-snapshot.js';
import { giveBack, setLength, startedFrom, takeArray } from '../scheduler/scratch.js';
import type { ScheduledPlacement } from '../scheduler/diego-scheduler.js';
import type { AuctionOutcome, Failure, Placement, StrategyContext } from '../strategy.js';

/** Diego fetches state up to this many times in all before giving up on a batch. */
export const STATE_FETCH_ATTEMPTS = 4;

/** Reason recorded when a cell's rep turns down work at commit (Diego leaves the error empty). */
export function rejectedAtCommit(cell: string): string {
  return `rejected by cell ${cell} at commit`;
}

/** Every auction of the batch failed for one reason. */
export function failAll(batch: AuctionBatch, reason: string): AuctionOutcome {
  const failed: Failure[] = [];
  for (const auction of [...batch.lrps, ...batch.tasks]) failed.push({ auction, reason });
  return { placed: [], failed, cellsScored: 0 };
}

/** What a state fetch brought back. */
export interface Fetched {
  /** The usable states (frozen when the fetch made them: see {@link fetchStates}). */
  states: readonly CellState[];
  /** The reps' shared placement index, when every usable reply carried the same one. */
  index: PlacementIndex | undefined;
}

// What the last fetch for each list of cells asked kept: its usable states (frozen), their shared
// index, and, when the fetch can be trusted to keep the same states while nothing drains, its replies.
interface LastUsable {
  readonly states: readonly CellState[];
  readonly index: PlacementIndex | undefined;
  // The fetch's replies, when the cells asked, the list of replies and every reply were frozen and
  // every state reply carried `index` (then each reply's fields are fixed, a state's id is its rep's
  // for good, and a state's `Evacuating` changes only through a rep that tells `index`); else null.
  readonly inbox: Inbox | null;
  // `index.evacuationChanges` when the fetch was read.
  readonly evacuations: number;
}

// The last fetch's usable states for each list of cells asked: a fetch whose replies are the very
// same frozen list (a simulated network hands one on while every cell answers as before) keeps
// them without reading a reply, so long as no rep sharing their index started or stopped draining;
// one whose usable states are the same objects in the same order hands the same list on (at ten
// times Diego's scale, 12,500 replies and states read and a list of them made, batch after batch).
const LAST_USABLE = new WeakMap<readonly string[], LastUsable>();

/**
 * Keeps the states Diego's auctioneer would use: answered, not evacuating, and reporting the id
 * it was asked for (an empty id is taken on trust, as Diego does).
 */
function usableStates(asked: readonly string[], inbox: Inbox): Fetched {
  const last = LAST_USABLE.get(asked);
  if (last !== undefined && last.inbox === inbox && last.index !== undefined && last.index.evacuationChanges === last.evacuations) {
    return { states: last.states, index: last.index };
  }
  const prev = last?.states;
  // Made only from the first state that differs from the last list's (sized for every reply and cut
  // to the usable ones after: pushes into a growing array, batch after batch, were garbage).
  let states: CellState[] | null = null;
  let n = 0;
  let index: PlacementIndex | undefined;
  let shared = true;
  // Whether the fetch can be trusted as it is next time (see LastUsable.inbox), and the index every
  // state reply carried (usable or not), if one did.
  let fixed = Object.isFrozen(inbox);
  let every: PlacementIndex | undefined;
  for (let i = 0; i < inbox.length; i++) {
    const reply = inbox[i] as Inbox[number];
    if (fixed && !Object.isFrozen(reply)) fixed = false;
    if (reply.kind !== 'state' || !reply.ok) continue;
    if (fixed) {
      if (reply.index === undefined || (every !== undefined && reply.index !== every)) fixed = false;
      else every = reply.index;
    }
    const s = reply.state;
    if (s.Evacuating) continue;
    if (s.cell_id !== '' && s.cell_id !== asked[i]) continue;
    if (n === 0) index = reply.index;
    else if (reply.index !== index) shared = false;
    if (states === null) {
      if (prev !== undefined && prev[n] === s) {
        n++;
        continue;
      }
      states = startedFrom(prev ?? [], n, inbox.length);
    }
    states[n++] = s;
  }
  let kept: readonly CellState[];
  if (states === null && prev !== undefined && prev.length === n) kept = prev;
  else {
    if (states === null) states = (prev ?? []).slice(0, n);
    else setLength(states, n);
    kept = Object.freeze(states);
  }
  const usableIndex = shared ? index : undefined;
  // The cells asked must be a frozen list too: the ids the states were checked against stay so.
  const trusted = fixed && Object.isFrozen(asked) && every !== undefined && usableIndex === every;
  LAST_USABLE.set(asked, { states: kept, index: usableIndex, inbox: trusted ? inbox : null, evacuations: trusted ? (every as PlacementIndex).evacuationChanges : 0 });
  return { states: kept, index: usableIndex };
}

/**
 * Diego's state fetch as a protocol step: `GET /state` to every known cell in parallel, again (up
 * to 4 times in all) while no cell answered. Returns the usable states (possibly none).
 */
export function* fetchStates(ctx: StrategyContext): Generator<Outbox, Fetched, Inbox> {
  let fetched: Fetched = { states: [], index: undefined };
  for (let attempt = 0; attempt < STATE_FETCH_ATTEMPTS && fetched.states.length === 0 && ctx.cells.length > 0; attempt++) {
    // A driver that fetched before draining the batch hands its replies over as the first attempt.
    const inbox = attempt === 0 && ctx.prefetched !== undefined ? ctx.prefetched : yield stateRequests(ctx.cells);
    fetched = usableStates(ctx.cells, inbox);
  }
  return fetched;
}

// The state requests for a list of cells, remembered per list: a driver that hands the same
// (unchanging) list to auction after auction gets the same requests, which are only read.
const STATE_REQUESTS = new WeakMap<readonly string[], readonly Request[]>();

/**
 * The state requests for a list of cells (the same objects for the same unchanging list). The list
 * made, and each request in it, is frozen: whoever is handed it can rely on it never changing (see
 * the auctioneer's endpoints), and nobody can spoil it for the next caller.
 */
export function stateRequests(cells: readonly string[]): readonly Request[] {
  const known = STATE_REQUESTS.get(cells);
  // A frozen list of cells cannot have changed since its requests were made; any other is checked
  // cell by cell (at 12,500 cells, the check batch after batch was a percent of a run).
  if (known && (Object.isFrozen(cells) || (known.length === cells.length && known.every((r, i) => r.cell === cells[i])))) return known;
  // The requests frozen too: a driver may then rely on what each asks without reading it again.
  const made = Object.freeze(cells.map((cell): Request => Object.freeze({ kind: 'state', cell })));
  STATE_REQUESTS.set(cells, made);
  return made;
}

/**
 * A snapshot of fetched states for one batch, with the reps' index when they offered one (then the
 * auctioneer's snapshot of its last batch, brought up to date: see `ClusterSnapshot.forBatch`).
 * {@link commitWork} releases it.
 */
export function snapshotOf(fetched: Fetched, ctx: StrategyContext, normaliseIndices: boolean): ClusterSnapshot {
  return ClusterSnapshot.forBatch(fetched.states, { seed: ctx.seed, normaliseIndices, ...(fetched.index ? { index: fetched.index } : {}) });
}

/**
 * Diego's commit as a protocol step: one `perform` per cell with work reserved on the snapshot.
 * Work a cell turns down fails with the cell named; work whose `perform` got no reply counts as
 * placed but unconfirmed (Diego reports nothing failed then, so nothing can start twice). It
 * releases the snapshot once the work is sent.
 */
export function* commitWork(snap: ClusterSnapshot, decided: readonly ScheduledPlacement[], failed: Failure[]): Generator<Outbox, Placement[], Inbox> {
  const commits: Request[] = [];
  // Batch after batch over the same cells: a spare array, not a new one (typed arrays live outside
  // the heap and each new one costs an allocation the collector accounts for).
  const commitOf = takeArray('i32', snap.n, -1);
  // Indexed loops throughout: in a generator, a for-of over an array made an iterator result per
  // step (900,000 an hour at Diego's scale, a cell's commit and a placement each).
  const withWork = snap.cellsWithWork();
  for (let i = 0; i < withWork.length; i++) {
    const c = withWork[i] as number;
    const lrps = snap.workLRPs[c] as CellState['LRPs'];
    const tasks = snap.workTasks[c] as CellState['Tasks'];
    const cell = (snap.states[c] as CellState).cell_id;
    commitOf[c] = commits.length;
    commits.push({ kind: 'perform', cell, work: { LRPs: lrps, Tasks: tasks, cell_id: cell } });
  }
  // The work is on its way: the snapshot is done with before the replies come (another batch may
  // start meanwhile, and may take the auctioneer's kept snapshot).
  snap.release();
  const replies: Inbox = commits.length > 0 ? yield commits : [];
  // Made only when a cell turned something down: most commits start everything they carry.
  let rejected: Set<string> | null = null;
  for (let i = 0; i < replies.length; i++) {
    const reply = replies[i] as Reply;
    if (reply.kind !== 'perform' || !reply.ok) continue;
    const { LRPs, Tasks } = reply.failed;
    for (let k = 0; k < LRPs.length; k++) (rejected ??= new Set()).add(`${(LRPs[k] as LRP).process_guid}.${(LRPs[k] as LRP).index}`);
    for (let k = 0; k < Tasks.length; k++) (rejected ??= new Set()).add((Tasks[k] as Task).TaskGuid);
  }
  const placed: Placement[] = [];
  for (let i = 0; i < decided.length; i++) {
    const p = decided[i] as ScheduledPlacement;
    // Every placed auction's cell got work, so it has a commit, which names the cell.
    const at = commitOf[p.cell] as number;
    const cell = (commits[at] as Request).cell;
    const reply = replies[at];
    if (reply === undefined || !reply.ok) placed.push({ auction: p.auction, cell, confirmed: false });
    else if (rejected !== null && rejected.has(p.auction.id)) failed.push({ auction: p.auction, reason: rejectedAtCommit(cell) });
    else placed.push({ auction: p.auction, cell, confirmed: true });
  }
  giveBack('i32', commitOf);
  return placed;
}

