import { AUCTION_MARK, buildBatch, type BuildBatchOptions, INSTANCE_CONTEXT } from '../../core/batch.js';
import type { Auction, AuctionBatch } from '../../core/model/auctions.js';
import type { LRP } from '../../core/model/cell-state.js';
import type { LRPStartRequest, TaskStartRequest } from '../../core/model/requests.js';
import type { Inbox, Outbox, Reply, Request } from '../../core/protocol/messages.js';
import type { Rng } from '../../core/random.js';
import { emptyOutboxesMessage, MAX_EMPTY_OUTBOXES, type AuctionOutcome, type AuctionProtocol, type Strategy, type StrategyContext, type StrategySettings } from '../../core/strategy.js';
import { stateRequests } from '../../core/strategies/protocol-steps.js';
import type { Kernel } from '../kernel/kernel.js';
import type { ServiceTimes } from '../scenario-types.js';
import type { Endpoint, Network } from '../network.js';

/** Diego's auctioneer lock (locket): one holder at a time, for a TTL it keeps refreshing. */
export class AuctioneerLock {
  /** The holder's id, or null. */
  holder: string | null = null;
  /** When the holder's lease ends (ms). */
  expiresAt = 0;
}

/** What the auctioneer needs from the world. */
export interface AuctioneerWorld {
  /** The kernel. */
  readonly kernel: Kernel;
  /** The network to the cells. */
  readonly network: Network;
  /** The lock the auctioneers contend for. */
  readonly lock: AuctioneerLock;
  /** Ids of the cells whose presence the BBS sees, sorted. */
  presentCells(): readonly string[];
  /** A cell by id, if it exists. */
  endpoint(id: string): Endpoint | undefined;
  /** An auction ended. */
  auctionFinished(outcome: AuctionOutcome, rounds: number): void;
  /** A strategy's outcome did not account for its batch (an auction lost, or ended twice). */
  accountingError(detail: string): void;
  /** A fetch of the cells' states took this long (ms of simulated time). */
  statesFetched(durationMs: number): void;
  /** The auctioneer drained its queue into a batch, or lost it: every request in it has left the queue. */
  queueEmptied(): void;
  /** The scenario's service times (null: the auctioneer's own work takes no time). */
  readonly scenario: { readonly serviceTime: ServiceTimes | null };
  /**
   * Numbers a request's app in the cells' shared placement index, given the request's context: the
   * batch's instances carry the numbers (see APP_NUMBER).
   */
  readonly appNumbers: NonNullable<BuildBatchOptions['appNumbers']>;
  /**
   * A strategy that explains itself is about to decide `batch` on the states in `ctx.prefetched`
   * (for explanations; reads only, and draws nothing from `ctx.rng`).
   */
  batchStarting?(batch: AuctionBatch, ctx: StrategyContext, strategy: Strategy, settings: StrategySettings): void;
  /** An auctioneer took the lock anew (it was free, lapsed, or another's): it hosts the leader's work from now. */
  becameLeader?(id: string): void;
  /** A strategy that does not explain itself starts `batch` over `cells`: a listener for its messages when the run explains it, else null. */
  batchByMessages?(batch: AuctionBatch, cells: readonly string[], strategy: string): MessageListener | null;
}

/** Hears one batch's protocol, for an explanation by its messages. */
export interface MessageListener {
  /** A request the strategy sent and its reply, in round `round` of the batch. */
  heard(req: Request, reply: Reply, round: number): void;
  /** The protocol ended with `outcome` (before the BBS hears of it). */
  ended(outcome: AuctionOutcome): void;
}

// Marks an auction with the check that last saw it: -n while it belongs to check n's batch and has
// not ended, n once it has. The slot buildBatch makes on the batch's own objects, so the check
// hashes nothing and allocates nothing.
type Marked = Auction & { [AUCTION_MARK]?: number };
let checks = 0;

/** Checks that every auction of the batch ended exactly once, placed or failed; null if so. */
export function accountingProblem(batch: AuctionBatch, outcome: AuctionOutcome): string | null {
  const n = batch.lrps.length + batch.tasks.length;
  // Fast path: as many outcomes as auctions, each one of the batch's and not ended before, means
  // every auction ended exactly once.
  if (outcome.placed.length + outcome.failed.length === n) {
    const stamp = ++checks;
    for (let k = 0; k < batch.lrps.length; k++) (batch.lrps[k] as Marked)[AUCTION_MARK] = -stamp;
    for (let k = 0; k < batch.tasks.length; k++) (batch.tasks[k] as Marked)[AUCTION_MARK] = -stamp;
    let ok = true;
    const end = (list: readonly { auction: Auction }[]) => {
      for (let k = 0; k < list.length; k++) {
        const m = (list[k] as { auction: Auction }).auction as Marked;
        if (m[AUCTION_MARK] !== -stamp) ok = false;
        m[AUCTION_MARK] = stamp;
      }
    };
    end(outcome.placed);
    end(outcome.failed);
    if (ok) return null;
  }
  const ids = [...batch.lrps, ...batch.tasks].map((a) => a.id);
  const seen = new Map<string, number>();
  for (const x of [...outcome.placed, ...outcome.failed]) seen.set(x.auction.id, (seen.get(x.auction.id) ?? 0) + 1);
  const twice = [...seen].filter(([, k]) => k > 1).map(([id]) => id);
  const lost = ids.filter((id) => !seen.has(id));
  if (twice.length === 0 && lost.length === 0) return null;
  return [twice.length > 0 ? `ended more than once: ${twice.join(' ')}` : '', lost.length > 0 ? `never ended: ${lost.join(' ')}` : ''].filter(Boolean).join('; ');
}

type WithContext = { [INSTANCE_CONTEXT]?: unknown };

// No submit queued yet, so no promise made or broken (see SimAuctioneer.submit's `disjointAs`).
const NO_PROMISE = -2;

/**
 * The context an auction's instance was submitted with (see {@link SimAuctioneer.submit}), if any:
 * whoever reads the outcome, or the cell that gets the instance as work, has it back from the
 * instance instead of looking the instance up.
 */
export function requestContext(lrp: LRP): unknown {
  return (lrp as WithContext)[INSTANCE_CONTEXT];
}

/**
 * A simulated auctioneer. It holds or waits for the lock (TTL 15 s, asked for every 1 s), queues start
 * requests while an auction runs, and runs any core strategy's protocol over the simulated network:
 * everything in one outbox goes out at once and the strategy resumes when the last reply (or
 * timeout) is in. When it dies, its queue and its auction in flight are gone; convergence re-sends.
 */
export class SimAuctioneer {
  /** Whether the process is up. */
  alive = true;
  /** Auctions run. */
  auctions = 0;
  private lrps: LRPStartRequest[] = [];
  // The context each queued LRP request was submitted with (undefined for none), in step with `lrps`.
  private contexts: unknown[] = [];
  private tasks: TaskStartRequest[] = [];
  private running = false;
  // Bumped on death so replies to an abandoned auction are ignored.
  private epoch = 0;
  private guids = 0;
  private readonly guidPrefix: string;
  private readonly hStart: number;
  private readonly hLock: number;
  private readonly hCompute: number;
  // The scheduling time still to be spent before the current batch's first messages go out, and the
  // step waiting for it.
  private computeMs = 0;
  private parked: (() => void) | null = null;
  /** Hears the current batch's messages when the run explains it by them (null: not asked). */
  private listener: MessageListener | null = null;
  private startScheduled = false;
  // Where each submit's LRP requests start in the queue, while every submit queued vouched for its
  // own uniqueness (`vouched`): then only repeats across submits need looking for.
  private runs: number[] = [];
  private vouched = true;
  // The promise every submit queued made that it repeats none of the others (see submit's
  // `disjointAs`): the number they gave alike, or -1 (none yet is NO_PROMISE: no submit queued).
  private disjointAs = NO_PROMISE;

  /** An auctioneer named `id` running `strategy`. */
  constructor(
    readonly id: string,
    private readonly w: AuctioneerWorld,
    private readonly strategy: Strategy,
    private readonly settings: StrategySettings,
    private readonly rng: Rng,
    private readonly lockTtlMs: number,
    private readonly lockRetryMs: number,
  ) {
    this.guidPrefix = `${id}-i`;
    this.hStart = w.kernel.register(`${id}.auction`, () => this.startAuction());
    this.hLock = w.kernel.register(`${id}.lock`, () => this.lockTick());
    this.hCompute = w.kernel.register(`${id}.scheduled`, () => {
      const go = this.parked;
      this.parked = null;
      go?.();
    });
    w.kernel.at(0, this.hLock);
  }

  /** LRP instances waiting in its queue for the next batch (for tests and tools). */
  get queuedInstances(): number {
    let n = 0;
    for (const q of this.lrps) n += q.indices.length;
    return n;
  }

  /** Whether it holds a live lease. */
  get active(): boolean {
    return this.alive && this.w.lock.holder === this.id && this.w.kernel.now < this.w.lock.expiresAt;
  }

  /**
   * Queues start requests; an idle auctioneer starts an auction with everything queued now.
   * `unique`: no auction identity occurs twice in these requests (see `BuildBatchOptions.unique`).
   * `contexts`: the caller's context for each LRP request, which every auction made from it carries
   * (see {@link requestContext}).
   * `disjointAs`: a number (0 or more) the sender gives every submit that repeats no auction identity
   * of another it gave the same number, LRP or task, until this queue is next emptied (the BBS
   * client's queue generation: it marks each index queued then, and queues none twice): the batch of
   * a queue whose submits all gave the same number needs no check across them either. -1: no promise.
   */
  submit(lrps: readonly LRPStartRequest[], tasks: readonly TaskStartRequest[], unique = false, contexts: readonly unknown[] = [], disjointAs = -1): void {
    if (!this.alive) return;
    // Requests from one submit that vouches for itself need no duplicate check; two submits may
    // overlap, unless both promised not to with the same number.
    if (lrps.length > 0 || tasks.length > 0) {
      if (!unique) this.vouched = false;
      this.runs.push(this.lrps.length);
      this.disjointAs = disjointAs >= 0 && (this.disjointAs === NO_PROMISE || this.disjointAs === disjointAs) ? disjointAs : -1;
    }
    // The queue is the auctioneer's own array: the first submit is copied in one go, later ones are
    // appended one by one (not concat: a crash restart submitting one request while a long batch is
    // scheduled would copy the whole queue each time; not push(...xs): a cold start can queue more
    // requests than a call may take arguments).
    if (lrps.length > 0) {
      if (this.lrps.length === 0) {
        this.lrps = lrps.slice();
        this.contexts = contexts.length === lrps.length ? contexts.slice() : Array.from({ length: lrps.length }, (_, i) => contexts[i]);
      } else {
        for (let k = 0; k < lrps.length; k++) {
          this.lrps.push(lrps[k] as LRPStartRequest);
          this.contexts.push(contexts[k]);
        }
      }
    }
    for (const q of tasks) this.tasks.push(q);
    if (!this.running && !this.startScheduled) {
      this.startScheduled = true;
      this.w.kernel.after(0, this.hStart);
    }
  }

  /** The process dies: its lease is left to expire, its queue and auction in flight are lost. */
  die(): void {
    if (this.alive) this.w.queueEmptied();
    this.alive = false;
    this.epoch++;
    this.parked = null;
    this.computeMs = 0;
    this.running = false;
    this.lrps = [];
    this.contexts = [];
    this.tasks = [];
    this.runs = [];
    this.vouched = true;
    this.disjointAs = NO_PROMISE;
  }

  private lockTick(): void {
    if (!this.alive) return;
    const lock = this.w.lock;
    const now = this.w.kernel.now;
    if (lock.holder === this.id || lock.holder === null || now >= lock.expiresAt) {
      // A lease taken anew (not refreshed): this auctioneer starts its leader's work.
      const taken = lock.holder !== this.id || now >= lock.expiresAt;
      lock.holder = this.id;
      lock.expiresAt = now + this.lockTtlMs;
      if (taken) this.w.becameLeader?.(this.id);
    }
    this.w.kernel.after(this.lockRetryMs, this.hLock);
  }

  private startAuction(): void {
    this.startScheduled = false;
    if (!this.alive || this.running || (this.lrps.length === 0 && this.tasks.length === 0)) return;
    this.running = true;
    this.auctions++;
    const cells = this.w.presentCells();
    if (!this.strategy.fetchesStateFirst || cells.length === 0) {
      this.runBatch({ cells, seed: this.w.kernel.seed, rng: this.rng }, 0);
      return;
    }
    // Diego's auction runner fetches every cell's state first and drains the batch after
    // (auction auctionrunner/auction_runner.go Run: FetchStateAndBuildZones, then DedupeAndDrain):
    // work that arrives during the fetch joins this auction.
    const requests = stateRequests(cells);
    const ends = this.stateEndpoints(requests) as readonly Endpoint[];
    const sentAt = this.w.kernel.now;
    const epoch = this.epoch;
    this.w.network.fanOut(requests, ends, (replies) => {
      if (epoch !== this.epoch) return;
      this.w.statesFetched(this.w.kernel.now - sentAt);
      this.runBatch({ cells, seed: this.w.kernel.seed, rng: this.rng, prefetched: replies }, 1);
    });
  }

  // Drains the queue into a batch and runs the strategy on it (`rounds` already taken by a prefetch).
  private runBatch(ctx: StrategyContext, rounds: number): void {
    // One vouched submit, or several that promised alike to repeat none of the others: no check;
    // several vouched: only across them; any other: the full check.
    const vouched = this.vouched;
    const unique = vouched && (this.runs.length <= 1 || this.disjointAs >= 0);
    const { batch } = buildBatch(this.lrps, this.tasks, {
      // Instance guids, as Diego's are, say nothing of the app: the auctioneer's id and a counter
      // make each unique in a run (and a short string, since every auction needs one, placed or not).
      // Joined, not concatenated: `prefix + n` is a V8 cons string of 20-odd characters, two objects
      // (the pair and the number's text) and 56 bytes where a join makes one flat string of 40, and
      // a placed instance keeps its guid all its life (its BBS record, rep and container share it).
      instanceGuid: () => [this.guidPrefix, this.guids++].join(''),
      unique,
      ...(vouched && !unique ? { uniqueRuns: this.runs } : {}),
      contexts: this.contexts,
      appNumbers: this.w.appNumbers,
    });
    this.runs = [];
    this.vouched = true;
    this.disjointAs = NO_PROMISE;
    this.lrps = [];
    this.contexts = [];
    this.tasks = [];
    this.w.queueEmptied();
    // A strategy that decides on every cell's fetched state (Diego's scheduler, the baselines) is
    // charged for it before its decision goes out; the others per auction here, and per reply they
    // read (a bid, a probe, a state: a cell scored) before each next step (see advance).
    const t = this.w.scenario.serviceTime;
    this.computeMs = this.strategy.fetchesStateFirst === true ? this.schedulingMs(batch, ctx) : t === null ? 0 : (batch.lrps.length + batch.tasks.length) * t.schedulingPerAuctionMs;
    // Explanations (only when a run asks): a strategy that decides on the states it just fetched
    // explains itself; any other is explained by the messages it exchanges.
    if (this.strategy.explain && ctx.prefetched) this.w.batchStarting?.(batch, ctx, this.strategy, this.settings);
    else this.listener = this.w.batchByMessages?.(batch, ctx.cells, this.strategy.name) ?? null;
    this.advance(this.strategy.auction(batch, ctx, this.settings), [], this.epoch, rounds, 0, batch);
    // The strategy's first step has read the fetched states (see StrategyContext.prefetched), and
    // the context lives as long as the batch, simulated seconds with service times: its thousand
    // replies are let go now rather than outliving the young generation, batch after batch. (The
    // property added last: deleting it takes the object back to its shape before.)
    delete ctx.prefetched;
  }

  // The auctioneer's scheduling time for a batch (see ServiceTimes). Diego's scheduler scores every
  // cell for each auction and scans each cell's instances (auction auctionrunner/scheduler.go), so the
  // time grows with auctions x (cells + instances on them).
  private schedulingMs(batch: AuctionBatch, ctx: StrategyContext): number {
    const t = this.w.scenario.serviceTime;
    if (t === null) return 0;
    const auctions = batch.lrps.length + batch.tasks.length;
    // Each auction scans the instances on the cells, which the batch itself adds to as it goes: on
    // average half of it (the defaults are fitted to whole cold starts, where this is all there is).
    let instances = auctions / 2;
    // Read every cell's state only when instances cost time (diego-x10's untimed scoring: they do
    // not, and at 12,500 cells the walk was 2% of a run).
    // An indexed loop: the replies are a frozen array, and for-of over a frozen array is not
    // optimised into a plain walk (V8 allocates a result object per step: 150 MiB in the 250k hour).
    const replies = t.schedulingPerInstanceMs !== 0 ? ctx.prefetched : undefined;
    if (replies !== undefined)
      for (let i = 0; i < replies.length; i++) {
        const r = replies[i] as Reply;
        if (r.kind === 'state' && r.ok) instances += r.state.LRPs.length + r.state.Tasks.length;
      }
    return auctions * (t.schedulingPerAuctionMs + t.schedulingPerCellMs * ctx.cells.length + t.schedulingPerInstanceMs * instances);
  }

  // The endpoints of an outbox made only of state requests to known cells, else null. Strategies
  // hand the same request objects (which are only read) batch after batch while the cells stay,
  // and a run's cells never change, so the answer for the last such list is kept: checking the
  // objects are the same costs far less than looking a thousand cells up again.
  private stateEndpoints(outbox: readonly Request[]): readonly Endpoint[] | null {
    const last = this.lastStateRequests;
    // The same frozen list (stateRequests' own, batch after batch) cannot have changed; any other
    // list is compared request by request.
    if (outbox === last && Object.isFrozen(outbox) && last.length > 0) return this.lastStateEnds;
    if (last.length === outbox.length && last.length > 0 && outbox.every((r, i) => r === last[i])) return this.lastStateEnds;
    if (!outbox.every((r) => r.kind === 'state')) return null;
    const ends: Endpoint[] = [];
    for (const r of outbox) {
      const e = this.w.endpoint(r.cell);
      if (e === undefined) return null;
      ends.push(e);
    }
    // A frozen list is kept as it is (the next batch's is then the same object); any other is copied.
    this.lastStateRequests = Object.isFrozen(outbox) ? outbox : [...outbox];
    // Frozen: the network trusts a list it saw before to hold the same endpoints (Network.reportsEndpointChanges).
    this.lastStateEnds = Object.freeze(ends);
    return this.lastStateEnds;
  }
  private lastStateRequests: readonly Request[] = [];
  private lastStateEnds: readonly Endpoint[] = [];

  private advance(gen: AuctionProtocol, inbox: Inbox, epoch: number, rounds: number, empty: number, batch: AuctionBatch): void {
    if (epoch !== this.epoch) return;
    // A strategy that does not decide on the whole fetched state (bidding, sampling) is charged by its
    // own work: each bid or state it reads is a cell it scores (the cells score their own
    // instances), assumed at Diego's cost per cell scored.
    const t = this.w.scenario.serviceTime;
    if (t !== null && this.strategy.fetchesStateFirst !== true && inbox.length > 0) {
      let scored = 0;
      // A reservation that answers with a recast bid is a cell scored too (Diego 2014's ReserveAndRecastVote).
      for (const r of inbox) if (r.kind === 'bid' || r.kind === 'state' || (r.kind === 'reserve' && r.ok && r.bid !== undefined)) scored++;
      this.computeMs += scored * t.schedulingPerCellMs;
    }
    const step = gen.next(inbox);
    // The strategy decided now; its decision goes out once the scheduling time is spent.
    if (this.computeMs > 0) {
      const wait = this.computeMs;
      this.computeMs = 0;
      this.parked = () => this.act(gen, step, epoch, rounds, empty, batch);
      this.w.kernel.after(wait, this.hCompute);
      return;
    }
    this.act(gen, step, epoch, rounds, empty, batch);
  }

  // Acts on one step of the strategy: ends the auction, or sends its outbox.
  private act(gen: AuctionProtocol, step: IteratorResult<Outbox, AuctionOutcome>, epoch: number, rounds: number, empty: number, batch: AuctionBatch): void {
    if (epoch !== this.epoch) return;
    if (step.done) {
      this.running = false;
      const problem = accountingProblem(batch, step.value);
      if (problem) this.w.accountingError(`${this.strategy.name}: ${problem}`);
      this.listener?.ended(step.value);
      this.listener = null;
      this.w.auctionFinished(step.value, rounds);
      if (this.lrps.length > 0 || this.tasks.length > 0) this.submit([], []);
      return;
    }
    const outbox = step.value;
    if (outbox.length === 0) {
      // Nothing to send: the strategy resumes at once with no replies (and nothing to charge), in a
      // loop rather than through advance(), whose recursion a long idle would overflow.
      let next: IteratorResult<Outbox, AuctionOutcome> = step;
      let n = empty;
      while (!next.done && next.value.length === 0) {
        // Stopped at the 10,000th empty outbox in a row, as every driver stops it.
        n++;
        if (n >= MAX_EMPTY_OUTBOXES) throw new Error(emptyOutboxesMessage(this.strategy.name));
        next = gen.next([]);
      }
      this.act(gen, next, epoch, rounds, n, batch);
      return;
    }
    // A fan-out of state fetches costs one event; other messages act on their cell when they land.
    const ends = this.stateEndpoints(outbox);
    if (ends) {
      const sentAt = this.w.kernel.now;
      this.w.network.fanOut(outbox, ends, (replies) => {
        this.w.statesFetched(this.w.kernel.now - sentAt);
        if (this.listener && epoch === this.epoch) replies.forEach((r, i) => this.listener?.heard(outbox[i] as Request, r, rounds + 1));
        this.advance(gen, replies, epoch, rounds + 1, 0, batch);
      });
      return;
    }
    const replies = new Array<Reply>(outbox.length);
    let pending = outbox.length;
    const done = (i: number, reply: Reply) => {
      replies[i] = reply;
      if (this.listener && epoch === this.epoch) this.listener.heard(outbox[i] as Request, reply, rounds + 1);
      if (--pending === 0) this.advance(gen, replies, epoch, rounds + 1, 0, batch);
    };
    outbox.forEach((req: Request, i) => {
      const to = this.w.endpoint(req.cell);
      if (to) this.w.network.send(req, to, (reply) => done(i, reply));
      else done(i, { kind: req.kind, ok: false, error: 'no such cell', lost: true });
    });
  }
}
