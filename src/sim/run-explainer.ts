// Explanations during a run (`run --explain`, `--explain-failures`, the report's placements and
// the scores of a logged run's story): when the active auctioneer starts a batch with a strategy
// that explains itself (Strategy.explain: diego and the filtered family), the batch is explained
// there and then, over the very states the strategy just fetched and with a fork of the stream it
// will draw from, so the explanation decides as the strategy does; any other strategy's batch is
// explained by the messages its auctioneer exchanges, when its protocol ends (world.ts
// batchByMessages). It reads and copies; it changes nothing of the run, whose digest stays the
// same. Each purpose has a budget of work, past which it stops (or skips a batch) and says so.
import type { Strategy, StrategyContext, StrategySettings } from '../core/strategy.js';
import type { AuctionBatch } from '../core/model/auctions.js';
import type { CellState } from '../core/model/cell-state.js';
import type { AuctionOutcome } from '../core/strategy.js';
import type { AuctionExplanation } from '../core/explain/explanation.js';
import type { PlacementReasons, RunExplanation, SummaryAt } from '../results/run-result.js';
import type { PlacementSnapshot } from '../metrics/placement-snapshot.js';
import { summarizeExplanation } from '../core/explain/summary.js';
import { MESSAGES_RULE } from '../core/explain/message-log.js';

/** What to explain in a run. */
export interface ExplainRequest {
  /** Instances (`<process guid>.<index>`), each with an optional time: only its last auction at or before it. */
  instances?: readonly { id: string; atMs?: number }[];
  /** One example of each failure reason (the first auction that failed with it). */
  failures?: boolean;
  /**
   * For the log's story (set when the run is logged): every batch explained, within its budget, so
   * that each placed line can say the winner's score, the runner-up and the margin.
   */
  story?: boolean;
  /**
   * For the report's click-through: every batch explained that fits what is left of its budget (a
   * batch too big is skipped, and its instances stay unexplained), kept as summaries, so that each
   * instance on the final map can say why it is there, and each failure reason has an example.
   */
  placements?: boolean;
  /** Budgets other than the defaults, `EXPLAIN_BUDGETS` in run-explainer.ts (for tests, and library users with time to spend). */
  budgets?: Partial<Record<keyof typeof EXPLAIN_BUDGETS, number>>;
}

/** What the story says of one auction's decision: the winner's score, the runner-up and by how much. */
export interface StoryScores {
  /** The winner's score under the strategy's rule. */
  score: number;
  /** The runner-up cell. */
  runnerUp?: string;
  /** Its score. */
  runnerUpScore?: number;
  /** Whether the seeded tie order decided. */
  tie?: boolean;
  /** The numbers are the cells' bids (a strategy explained by its messages), not scores. */
  bid?: boolean;
}

/**
 * How much each purpose may cost a run, in (auctions + 1) x (instances + cells) of the batches it
 * explains: the readable scheduler copies the states once a batch, scans every cell's instances for
 * every auction, and the explanations name every cell. Measured on diego-stress-250k logged: about
 * 1-2 us a unit (a 26 s run took 91 s with 60,000,000 for the story's scores, 35 s with 5,000,000).
 */
export const EXPLAIN_BUDGETS = Object.freeze({
  /** The instances asked for (`--explain`): their batches are explained whatever they hold, up to this. */
  instances: 30_000_000,
  /** One example per failure reason. */
  failures: 3_000_000,
  /** The scores of a logged run's story. */
  story: 3_000_000,
  /**
   * The report's explanations of where each instance sits (a batch that does not fit is skipped,
   * not the rest). Summaries list only the best cells, which makes a unit cheaper: 40-85 ns measured
   * (a 1,000-cell run of 4,282 auctions spent 13,800,000 in 1.2 s), so at most about 2.5 s a run.
   */
  placements: 30_000_000,
});

/** How many instances' explanations a report keeps at most (each is about a kilobyte of the page). */
export const MAX_PLACEMENT_REASONS = 4_000;

/** Cells a report's summary shows: the best, and the first of each group of the others. */
const REPORT_TOP = 3;
const REPORT_NAMED = 2;

type Purpose = keyof typeof EXPLAIN_BUDGETS;

/** What one batch is explained for (see RunExplainer.plan): opaque to the drivers that carry it. */
export interface ExplainPlan {
  /** When the batch began (ms of simulated time). */
  readonly atMs: number;
  /** For the instances asked. */
  readonly forIds: boolean;
  /** For a first example of each failure reason. */
  readonly failures: boolean;
  /** For the log's story. */
  readonly story: boolean;
  /** For the report's placements. */
  readonly placements: boolean;
  /** Whether an auction id was asked for at this time. */
  readonly wantsId: (id: string) => boolean;
  /** Only these auctions need explaining (absent: every one). */
  readonly only?: ReadonlySet<string>;
  /** The most scored cells each explanation needs listed (absent: all). */
  readonly limit?: number;
}

/** Collects the explanations a run was asked for. */
export class RunExplainer {
  private readonly byId = new Map<string, number | undefined>();
  private readonly kept: RunExplanation[] = [];
  private readonly reasons = new Set<string>();
  private readonly spent: Record<Purpose, number> = { instances: 0, failures: 0, story: 0, placements: 0 };
  /** The purposes that stopped at their budget (the run says so). */
  readonly stopped = new Set<Purpose>();
  /** The story's scores and the explanations kept, of the auctions decided but not yet finished. */
  private readonly scores = new Map<string, StoryScores>();
  private readonly open = new Map<string, RunExplanation>();
  /** The report's summaries: of the auctions decided but not yet finished, of the last placement of each instance, and one failure per reason. */
  private readonly pendingWhy = new Map<string, SummaryAt>();
  private readonly placedWhy = new Map<string, SummaryAt>();
  private readonly failureWhy = new Map<string, SummaryAt>();
  private skipped = 0;
  private rule = '';

  /** An explainer for `request`. */
  constructor(private readonly request: ExplainRequest) {
    for (const q of request.instances ?? []) this.byId.set(q.id, q.atMs);
  }

  private budget(purpose: Purpose): number {
    return this.request.budgets?.[purpose] ?? EXPLAIN_BUDGETS[purpose];
  }

  // Whether `purpose` may spend `cost` more (and spends it), or stops it for good (the report's
  // placements only skip what does not fit: a later, smaller batch may).
  private afford(purpose: Purpose, cost: number): boolean {
    if (this.stopped.has(purpose)) return false;
    if (this.spent[purpose] + cost > this.budget(purpose)) {
      if (purpose === 'placements') return false;
      this.stopped.add(purpose);
      if (purpose === 'story') this.scores.clear();
      return false;
    }
    this.spent[purpose] += cost;
    return true;
  }

  /**
   * What a batch of `auctions` at `nowMs` is explained for, given what explaining it costs, or null
   * (nothing: no purpose wants it or can afford it). Spends the budgets.
   */
  private plan(batch: AuctionBatch, nowMs: number, cost: number): ExplainPlan | null {
    const wantsId = (id: string) => this.byId.has(id) && (this.byId.get(id) ?? Infinity) >= nowMs;
    const asked = this.byId.size > 0 && [...batch.lrps, ...batch.tasks].some((a) => wantsId(a.id));
    const mayFail = this.request.failures === true && !this.stopped.has('failures');
    const mayTell = this.request.story === true && !this.stopped.has('story');
    const mayPlace = this.request.placements === true;
    if (!asked && !mayFail && !mayTell && !mayPlace) return null;
    // A summary still pending for an auction of this batch is of a batch whose outcome never came
    // (its auctioneer stopped): that decision is superseded by this one, explained or not.
    if (mayPlace) for (const a of [...batch.lrps, ...batch.tasks]) this.pendingWhy.delete(a.id);
    const forIds = asked && this.afford('instances', cost);
    const failures = mayFail && this.afford('failures', cost);
    const story = mayTell && this.afford('story', cost);
    const placements = mayPlace && this.afford('placements', cost);
    if (mayPlace && !placements) {
      // Skipped: an instance it places is not explained by an earlier auction's summary.
      for (const a of batch.lrps) this.placedWhy.delete(a.id);
      this.skipped += batch.lrps.length + batch.tasks.length;
    }
    if (!forIds && !failures && !story && !placements) return null;
    return {
      atMs: nowMs,
      forIds,
      failures,
      story,
      placements,
      wantsId,
      // Failures, the story and the report need every auction; asked instances alone, only theirs.
      ...(failures || story || placements ? {} : { only: new Set([...batch.lrps, ...batch.tasks].map((a) => a.id).filter(wantsId)) }),
      // The report's summaries and the story's scores need only the best cells listed; asked
      // instances and failures are shown whole.
      ...(forIds || failures ? {} : { limit: REPORT_TOP }),
    };
  }

  /** A batch `strategy` is about to decide on the states of `ctx.prefetched`, at `nowMs`. */
  batchStarting(batch: AuctionBatch, ctx: StrategyContext, strategy: Strategy, settings: StrategySettings, nowMs: number): void {
    if (!this.wantsAny()) return;
    // The states the strategy keeps: answered, and from the cell asked (protocol-steps usableStates;
    // the explanation leaves the evacuating ones out itself).
    const states: CellState[] = [];
    (ctx.prefetched ?? []).forEach((r, i) => {
      if (r.kind === 'state' && r.ok && (r.state.cell_id === '' || r.state.cell_id === ctx.cells[i])) states.push(r.state);
    });
    const cost = (batch.lrps.length + batch.tasks.length + 1) * states.reduce((n, s) => n + s.LRPs.length + s.Tasks.length + 1, 0);
    const plan = this.plan(batch, nowMs, cost);
    if (plan) this.take(strategy.explain?.(states, batch, settings, ctx.seed, ctx.rng.fork?.(), plan.only, plan.limit) ?? [], plan);
  }

  /**
   * A batch of a strategy that does not explain itself starts at `nowMs` over `cells` cells: the
   * plan to explain it by its messages (the driver keeps them in a MessageLog and hands the
   * explanations to {@link RunExplainer.batchExplained} when the protocol ends), or null.
   */
  messagesWanted(batch: AuctionBatch, cells: number, nowMs: number): ExplainPlan | null {
    if (!this.wantsAny()) return null;
    // An explanation by messages names every cell for every auction.
    return this.plan(batch, nowMs, (batch.lrps.length + batch.tasks.length + 1) * (cells + 1));
  }

  /** The explanations of a batch planned by {@link RunExplainer.messagesWanted}, once its protocol ended. */
  batchExplained(explanations: readonly AuctionExplanation[], plan: ExplainPlan): void {
    this.take(explanations, plan);
  }

  // Whether any purpose could still want a batch (a cheap test before any work).
  private wantsAny(): boolean {
    return this.byId.size > 0 || (this.request.failures === true && !this.stopped.has('failures')) || (this.request.story === true && !this.stopped.has('story')) || this.request.placements === true;
  }

  // Keeps what each purpose of `plan` wants of a batch's explanations.
  private take(explanations: readonly AuctionExplanation[], plan: ExplainPlan): void {
    const { atMs: nowMs, forIds, failures, story, placements, wantsId } = plan;
    for (const e of explanations) {
      const wanted = forIds && wantsId(e.id);
      const newFailure = failures && e.placedOn === null && e.reason !== undefined && !this.reasons.has(e.reason);
      if (newFailure) this.reasons.add(e.reason as string);
      if (wanted || newFailure) {
        const x = { atMs: nowMs, explanation: e };
        this.kept.push(x);
        this.open.set(e.id, x);
      }
      if (placements) {
        const { strategy: _s, rule, ...why } = summarizeExplanation(e, REPORT_TOP, REPORT_NAMED);
        this.rule = rule;
        this.pendingWhy.set(e.id, { atMs: nowMs, why });
      }
      if (story && e.placedOn !== null) {
        const win = e.cells[0];
        // Explained by its messages, the numbers are bids, and a winner sent the work without one has none.
        const byBids = e.rule === MESSAGES_RULE;
        if (win?.verdict === 'scored' && (!byBids || win.terms['bid'] !== undefined)) {
          this.scores.set(e.id, { score: win.score, ...(byBids ? { bid: true } : {}), ...(e.runnerUp ? { runnerUp: e.runnerUp.cell, runnerUpScore: e.runnerUp.score, ...(e.decidedByTie ? { tie: true } : {}) } : {}) });
        }
      }
    }
  }

  /**
   * A batch's outcome: a decision a cell turned down when the work was sent is marked on its
   * explanation, and the batch's story scores are handed out once and forgotten.
   */
  settle(outcome: AuctionOutcome): void {
    for (const f of outcome.failed) {
      const why = this.pendingWhy.get(f.auction.id);
      if (why) {
        if (!this.failureWhy.has(f.reason)) this.failureWhy.set(f.reason, why.why.placedOn !== null && f.reason !== why.why.reason ? { ...why, why: { ...why.why, rejected: f.reason } } : why);
        this.pendingWhy.delete(f.auction.id);
      }
      const x = this.open.get(f.auction.id);
      if (x && x.explanation.placedOn !== null && f.reason !== x.explanation.reason) x.explanation = { ...x.explanation, rejected: f.reason };
      this.open.delete(f.auction.id);
      this.scores.delete(f.auction.id);
    }
    for (const p of outcome.placed) {
      this.open.delete(p.auction.id);
      const why = this.pendingWhy.get(p.auction.id);
      if (why) {
        // Tasks leave no instance on the map to click: only LRP instances are kept.
        if (p.auction.kind === 'lrp') this.placedWhy.set(p.auction.id, why);
        this.pendingWhy.delete(p.auction.id);
      }
    }
  }

  /**
   * The report's explanations for `placement` (the run's end): for each LRP instance on the map,
   * the summary of the auction that put it on its cell, if that auction was explained (at most
   * {@link MAX_PLACEMENT_REASONS}, in map order), and one explained failure per reason.
   */
  placementReasons(placement: PlacementSnapshot, strategy: string): PlacementReasons {
    // Null prototypes: ids and reasons are names from the run (a strategy's reason may be anything).
    const instances = Object.create(null) as Record<string, SummaryAt>;
    let kept = 0;
    let unexplained = 0;
    let overCap = 0;
    for (const c of placement.cells) {
      c.lrps.forEach((a, k) => {
        const id = `${placement.apps[a]!.guid}.${c.indices[k]!}`;
        const why = this.whyOn(id, c.id);
        if (!why) unexplained++;
        else if (kept >= MAX_PLACEMENT_REASONS) overCap++;
        else {
          instances[id] = why;
          kept++;
        }
      });
    }
    const failures = Object.create(null) as Record<string, SummaryAt>;
    for (const [reason, why] of [...this.failureWhy].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))) failures[reason] = why;
    return { strategy, rule: this.rule, instances, unexplained, overCap, skippedAuctions: this.skipped, budget: this.budget('placements'), failures };
  }

  // The explained auction that put `id` on `cell`: the last reported one, or a later one whose
  // outcome was never reported (its auctioneer stopped after sending the work, which the cell
  // started all the same), whichever is later and names that cell.
  private whyOn(id: string, cell: string): SummaryAt | null {
    const placed = this.placedWhy.get(id);
    const lost = this.pendingWhy.get(id);
    const candidates = [placed, lost && lost.why.placedOn !== null ? { ...lost, unreported: true } : undefined].filter((x): x is SummaryAt => x !== undefined && x.why.placedOn === cell);
    return candidates.reduce<SummaryAt | null>((best, x) => (best === null || x.atMs > best.atMs ? x : best), null);
  }

  /** The story's scores of an auction that just finished (and forgets them), if it was explained. */
  takeScores(id: string): StoryScores | undefined {
    const s = this.scores.get(id);
    if (s) this.scores.delete(id);
    return s;
  }

  /** Whether explaining instances or failures stopped at its budget before the run ended. */
  get stoppedEarly(): boolean {
    return this.stopped.has('instances') || this.stopped.has('failures');
  }

  /** The explanations in time order: every auction of each instance asked for (only the last before its time, when one was given), and one failure per reason. */
  results(): RunExplanation[] {
    const lastOnly = new Map<string, RunExplanation>();
    const out: RunExplanation[] = [];
    for (const x of this.kept) {
      if (this.byId.get(x.explanation.id) !== undefined) lastOnly.set(x.explanation.id, x);
      else out.push(x);
    }
    // (time, id): total, since an auction is explained once per batch.
    return [...out, ...lastOnly.values()].sort((a, b) => a.atMs - b.atMs || (a.explanation.id < b.explanation.id ? -1 : a.explanation.id > b.explanation.id ? 1 : 0));
  }
}
