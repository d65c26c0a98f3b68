// Explanations during a run (`run --explain`, `--explain-failures`): when the active auctioneer
// starts a batch with a strategy that explains itself (Strategy.explain: diego and the filtered
// family), the batch is explained there and then, over the very states the strategy just fetched
// and with a fork of the stream it will draw from, so the explanation decides as the strategy does.
// It reads and copies; it changes nothing of the run, whose digest stays the same.
import type { Strategy, StrategyContext, StrategySettings } from '../core/strategy.js';
import type { RunExplanation } from '../results/run-result.js';
import type { AuctionBatch } from '../core/model/auctions.js';
import type { CellState } from '../core/model/cell-state.js';

/** What to explain in a run. */
export interface ExplainRequest {
  /** Instances (`<process guid>.<index>`), each with an optional time: only its last auction at or before it. */
  instances?: readonly { id: string; atMs?: number }[];
  /** One example of each failure reason (the first auction that failed with it). */
  failures?: boolean;
  /**
   * For the log's story (set when the run is logged): every batch explained, within the budget,
   * so that each placed line can say the winner's score, the runner-up and the margin.
   */
  story?: boolean;
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
}

/**
 * How much explaining failures (and a logged run's scores) may cost a run, in (auctions + 1) x
 * (instances + cells) of the batches explained: the readable scheduler copies the states once a
 * batch, scans every cell's instances for every auction, and the explanation names every cell.
 * Measured on diego-stress-250k logged: about 1-2 us a unit (a 26 s run took 91 s with twenty
 * times this budget, 35 s with 5,000,000), so about 5 s at most. Past it, explaining stops and
 * says so.
 */
export const FAILURE_EXPLAIN_BUDGET = 3_000_000;

/** Collects the explanations a run was asked for. */
export class RunExplainer {
  private readonly byId = new Map<string, number | undefined>();
  private readonly kept: RunExplanation[] = [];
  private readonly reasons = new Set<string>();
  private spent = 0;
  /** Whether `--explain-failures` (or the story's scores) stopped at its budget. */
  budgetSpent = false;
  /** The story's scores of the auctions decided but not yet finished, by auction id. */
  private readonly scores = new Map<string, StoryScores>();

  /** An explainer for `request`. */
  constructor(private readonly request: ExplainRequest) {
    for (const q of request.instances ?? []) this.byId.set(q.id, q.atMs);
  }

  /** A batch `strategy` is about to decide on the states of `ctx.prefetched`, at `nowMs`. */
  batchStarting(batch: AuctionBatch, ctx: StrategyContext, strategy: Strategy, settings: StrategySettings, nowMs: number): void {
    const asked = [...batch.lrps, ...batch.tasks].some((a) => this.byId.has(a.id) && (this.byId.get(a.id) ?? Infinity) >= nowMs);
    const failures = this.request.failures === true && !this.budgetSpent;
    const story = this.request.story === true && !this.budgetSpent;
    if (!asked && !failures && !story) return;
    // The states the strategy keeps: answered, and from the cell asked (protocol-steps usableStates;
    // the explanation leaves the evacuating ones out itself).
    const states: CellState[] = [];
    (ctx.prefetched ?? []).forEach((r, i) => {
      if (r.kind === 'state' && r.ok && (r.state.cell_id === '' || r.state.cell_id === ctx.cells[i])) states.push(r.state);
    });
    if (failures || story) {
      const cost = (batch.lrps.length + batch.tasks.length + 1) * states.reduce((n, s) => n + s.LRPs.length + s.Tasks.length + 1, 0);
      if (this.spent + cost > FAILURE_EXPLAIN_BUDGET && !asked) {
        this.budgetSpent = true;
        return;
      }
      this.spent += cost;
    }
    const explained = strategy.explain?.(states, batch, settings, ctx.seed, ctx.rng.fork?.()) ?? [];
    for (const e of explained) {
      const wanted = this.byId.has(e.id) && (this.byId.get(e.id) ?? Infinity) >= nowMs;
      const newFailure = failures && e.placedOn === null && e.reason !== undefined && !this.reasons.has(e.reason);
      if (newFailure) this.reasons.add(e.reason as string);
      if (wanted || newFailure) this.kept.push({ atMs: nowMs, explanation: e });
      if (story && e.placedOn !== null) {
        const win = e.cells[0];
        if (win?.verdict === 'scored') this.scores.set(e.id, { score: win.score, ...(e.runnerUp ? { runnerUp: e.runnerUp.cell, runnerUpScore: e.runnerUp.score, ...(e.decidedByTie ? { tie: true } : {}) } : {}) });
      }
    }
  }

  /** The story's scores of an auction that just finished (and forgets them), if it was explained. */
  takeScores(id: string): StoryScores | undefined {
    const s = this.scores.get(id);
    if (s) this.scores.delete(id);
    return s;
  }

  /** The explanations in time order: every auction of each instance asked for (only the last before its time, when one was given), and one failure per reason. */
  results(): RunExplanation[] {
    const lastOnly = new Map<string, RunExplanation>();
    const out: RunExplanation[] = [];
    for (const x of this.kept) {
      const at = this.byId.get(x.explanation.id);
      if (at !== undefined && this.byId.has(x.explanation.id)) lastOnly.set(x.explanation.id, x);
      else out.push(x);
    }
    // (time, id): total, since an auction is explained once per batch.
    return [...out, ...lastOnly.values()].sort((a, b) => a.atMs - b.atMs || (a.explanation.id < b.explanation.id ? -1 : a.explanation.id > b.explanation.id ? 1 : 0));
  }
}
