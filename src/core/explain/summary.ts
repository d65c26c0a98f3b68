// An explanation cut down to what a person reads: the best few cells with their terms, and every
// other cell grouped by why it was not the one (with a count and the first few named, numbers and
// all). The CLI prints it as text and the HTML report draws it; both read this one grouping.
import type { AuctionDecider, AuctionExplanation, ExplainedOutcome, CellVerdict } from './explanation.js';
import { MESSAGES_RULE } from './explain-by-messages.js';

/** A verdict of one kind. */
export type VerdictOf<K extends CellVerdict['verdict']> = Extract<CellVerdict, Record<'verdict', K>>;

/** Cells that were not the one, for the same reason. */
export type VerdictGroup =
  | {
      /** Passed the filters but lacked room. */
      why: 'insufficient';
      /** What they lacked, e.g. `containers and memory`. */
      lacking: string;
      /** How many cells. */
      count: number;
      /** The first few, with what they had free. */
      examples: VerdictOf<'insufficient'>[];
    }
  | {
      /** Answered the strategy's request with a refusal. */
      why: 'refused';
      /** The cells' error. */
      error: string;
      count: number;
      examples: VerdictOf<'refused'>[];
    }
  | {
      /**
       * Could take the work but were never ranked: Diego's zones not reached, cells a window- or
       * sample-based strategy left out, cells a strategy explained by its messages never asked.
       */
      why: 'not-reached';
      /** Why, in words: `in a zone not reached`, `never asked`, `could take it, not scored by the strategy`. */
      how: string;
      count: number;
      examples: VerdictOf<'not-reached'>[];
    }
  | {
      /** Turned away by a filter. */
      why: 'filtered';
      /** The filter. */
      filter: VerdictOf<'filtered'>['filter'];
      /** Diego's error for it. */
      error: string;
      count: number;
      examples: VerdictOf<'filtered'>[];
    }
  | {
      /** Draining: left out of the auction. */
      why: 'evacuating';
      count: number;
      examples: VerdictOf<'evacuating'>[];
    };

/** An explanation with its cells summarised: {@link summarizeExplanation}. */
export interface ExplanationSummary extends SummaryOfOutcome, AuctionDecider {}

/** An auction's summary without who decided (a run's report says that once for all its auctions). */
export interface SummaryOfOutcome extends ExplainedOutcome {
  /** The best cells, best first, with their terms. */
  best: VerdictOf<'scored'>[];
  /** How many cells were scored in all. */
  scored: number;
  /** Every other cell, grouped by why it was not the one, in a fixed order: no room, refused, not reached, filtered, evacuating. */
  others: VerdictGroup[];
}

// Appends `c` to the group under `key`, made by `make` the first time.
function into<G extends { count: number; examples: unknown[] }>(groups: Map<string, G>, key: string, make: () => G, c: G['examples'][number], named: number): void {
  let g = groups.get(key);
  if (!g) groups.set(key, (g = make()));
  g.count++;
  if (g.examples.length < named) g.examples.push(c);
}

/**
 * Summarises an explanation: its `top` best cells, and every other cell grouped by why it was not
 * the one, `named` of each group kept as examples. The groups count every cell of the explanation.
 */
export function summarizeExplanation(e: AuctionExplanation, top = 5, named = 4): ExplanationSummary {
  const { cells, unlisted, ...rest } = e;
  const best: VerdictOf<'scored'>[] = [];
  let scored = unlisted?.scored ?? 0;
  const how = e.zones.length > 0 ? 'in a zone not reached' : e.rule === MESSAGES_RULE ? 'never asked' : 'could take it, not scored by the strategy';
  type G<K extends VerdictGroup['why']> = Extract<VerdictGroup, { why: K }>;
  const lacking = new Map<string, G<'insufficient'>>();
  const refused = new Map<string, G<'refused'>>();
  const notReached = new Map<string, G<'not-reached'>>();
  const filtered = new Map<string, G<'filtered'>>();
  const draining = new Map<string, G<'evacuating'>>();
  for (const c of cells) {
    switch (c.verdict) {
      case 'scored':
        scored++;
        if (best.length < top) best.push(c);
        break;
      case 'insufficient': {
        const k = c.problems.join(' and ');
        into(lacking, k, () => ({ why: 'insufficient' as const, lacking: k, count: 0, examples: [] }), c, named);
        break;
      }
      case 'refused':
        into(refused, c.error, () => ({ why: 'refused' as const, error: c.error, count: 0, examples: [] }), c, named);
        break;
      case 'not-reached':
        into(notReached, '', () => ({ why: 'not-reached' as const, how, count: 0, examples: [] }), c, named);
        break;
      case 'filtered':
        into(filtered, c.filter, () => ({ why: 'filtered' as const, filter: c.filter, error: c.error, count: 0, examples: [] }), c, named);
        break;
      case 'evacuating':
        into(draining, '', () => ({ why: 'evacuating' as const, count: 0, examples: [] }), c, named);
        break;
    }
  }
  // Cells not reached that an explanation with a limit did not list still count.
  const away = unlisted?.notReached ?? 0;
  if (away > 0) {
    const g = notReached.get('');
    if (g) g.count += away;
    else notReached.set('', { why: 'not-reached' as const, how, count: away, examples: [] });
  }
  return { ...rest, best, scored, others: [...lacking.values(), ...refused.values(), ...notReached.values(), ...filtered.values(), ...draining.values()] };
}
