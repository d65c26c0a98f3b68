// A user-written strategy: ask cells in order to reserve; the first that agrees gets the work.
// It shows the sans-I/O protocol from outside the core: yield requests, receive replies.
import type { Failure, Placement, Strategy } from '../src/index.js';

/** First cell that accepts a reservation wins; no scores, no state fetch. */
export const firstThatSaysYes: Strategy = {
  name: 'first-yes',
  summary: 'ask cells in order to reserve; the first that agrees gets the work',
  settings: [],
  *auction(batch, ctx) {
    const placed: Placement[] = [];
    const failed: Failure[] = [];
    let asked = 0;
    for (const auction of [...batch.lrps, ...batch.tasks]) {
      let won = false;
      for (const cell of ctx.cells) {
        asked++;
        const [reply] = yield [{ kind: 'reserve', cell, auction }];
        if (!reply?.ok) continue;
        const [claim] = yield [{ kind: 'claim', cell, auction }];
        placed.push({ auction, cell, confirmed: claim?.ok === true });
        won = true;
        break;
      }
      if (!won) failed.push({ auction, reason: 'no cell accepted' });
    }
    return { placed, failed, cellsScored: asked };
  },
};
