// Explanations of Diego's batch auction: the readable scheduler (the fast one's oracle, which
// places exactly as it does) run again over the same states, batch, settings and seed, traced,
// and its trace put in words. Nothing of this runs unless asked for.
import type { AuctionBatch } from '../model/auctions.js';
import type { CellState } from '../model/cell-state.js';
import type { DiegoSettings } from '../scheduler/diego-scheduler.js';
import { referenceScheduleBatch, type AuctionTrace } from '../scheduler/reference-scheduler.js';
import type { AuctionExplanation, CellVerdict } from './explanation.js';
import { evacuatingVerdicts, filteredVerdict, insufficientVerdict, needsOf, unreachableBatch, workOf } from './verdicts.js';

/** How Diego ranks the cells that can take the work. */
export const DIEGO_RULE = 'lower score wins; score = (memory + disk + containers) / 3 + starting + locality + binPack';

/** The same with the `scoreCpu` setting (auctionlab's): CPU joins the mean on cells that account CPU. */
export const DIEGO_CPU_RULE = 'lower score wins; score = (memory + disk + containers + cpu) / 4 on cells that account CPU (else / 3 without cpu) + starting + locality + binPack';

/** One trace in words. `states` are the cells as given (ids and zones only are read); `limit`: the most cells not reached listed. */
function explainTrace(t: AuctionTrace, states: readonly CellState[], rule: string, limit?: number): AuctionExplanation {
  const work = workOf(t.auction);
  // Best first, as the scheduler compared them: the score, then the seeded tie order.
  const scored = [...t.scored].sort((a, b) => a.terms.score - b.terms.score || a.tie - b.tie);
  const cells: CellVerdict[] = [
    ...scored.map((s): CellVerdict => {
      // Named one by one: a rest pattern ({ score, ...terms }) took a third of a run's explaining time.
      const { memory, disk, containers, starting, locality, binPack, score } = s.terms;
      // CPU is a term only where the score counted it (scoreCpu on a cell that accounts CPU).
      const terms = s.terms.cpu === undefined ? { memory, disk, containers, starting, locality, binPack } : { memory, disk, containers, cpu: s.terms.cpu, starting, locality, binPack };
      return { cell: states[s.cell]!.cell_id, zone: states[s.cell]!.Zone, verdict: 'scored', score, terms };
    }),
    ...t.insufficient.map((x) => insufficientVerdict(states[x.cell]!, x.problems, x.available, t.auction)),
    ...(limit === undefined ? t.notReached : t.notReached.slice(0, limit)).map((c): CellVerdict => ({ cell: states[c]!.cell_id, zone: states[c]!.Zone, verdict: 'not-reached' })),
    ...t.filtered.map((f) => filteredVerdict(states[f.cell]!, f.stage, t.auction)),
  ];
  const winner = scored[0];
  const runner = scored[1];
  const placed = typeof t.result === 'number';
  return {
    id: t.auction.id,
    kind: t.auction.kind,
    strategy: 'diego',
    rule,
    needs: needsOf(work),
    placedOn: placed ? states[t.result as number]!.cell_id : null,
    ...(placed ? {} : { reason: t.result as string }),
    ...(placed && winner && runner ? { runnerUp: { cell: states[runner.cell]!.cell_id, score: runner.terms.score }, margin: runner.terms.score - winner.terms.score } : {}),
    decidedByTie: placed && winner !== undefined && runner !== undefined && runner.terms.score === winner.terms.score,
    ...(limit !== undefined && (t.scoredCount > t.scored.length || t.notReached.length > limit) ? { unlisted: { scored: t.scoredCount - t.scored.length, notReached: Math.max(0, t.notReached.length - limit) } } : {}),
    zones: t.zones.map((z) => ({ zone: z.zone, instancesOfApp: z.count, passedFilters: z.passed, reached: z.reached })),
    cells,
  };
}

/**
 * Why each auction of a batch went where Diego's scheduler put it: run over the same cell states,
 * batch, settings and seed as the `diego` strategy decided them (its `fetchStates` replies, or a
 * batch file's cells), it places exactly as the strategy does (the property tests hold the two
 * schedulers equal) and says for every auction which cells the filters turned away and why, which
 * lacked room, how each of the others scored (term by term), the zones in Diego's order, the
 * winner, the runner-up and the margin. In placement order. With `limit`, only that many scored
 * cells (the best, at least two) are listed; the others are counted in `unlisted`.
 */
export function explainDiegoBatch(states: readonly CellState[], batch: AuctionBatch, settings: DiegoSettings, seed: number, only?: ReadonlySet<string>, limit?: number): AuctionExplanation[] {
  // The auctioneer drops evacuating cells' states before scheduling (protocol-steps fetchStates):
  // the scheduler, its ranks and its ties see only the others.
  const live = states.filter((s) => !s.Evacuating);
  const rule = settings.scoreCpu === 1 ? DIEGO_CPU_RULE : DIEGO_RULE;
  if (live.length === 0) return unreachableBatch(batch, states, 'diego', rule).filter((e) => !only || only.has(e.id));
  const draining = evacuatingVerdicts(states);
  const keep = limit === undefined ? undefined : Math.max(2, limit);
  const out: AuctionExplanation[] = [];
  referenceScheduleBatch(
    live,
    batch,
    settings,
    seed,
    (t) => {
      const e = explainTrace(t, live, rule, keep);
      e.cells.push(...draining);
      out.push(e);
    },
    only ? (id) => only.has(id) : undefined,
    only ? () => out.length >= only.size : undefined,
    keep,
  );
  return out;
}
