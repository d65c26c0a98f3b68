import type { Reply, Request } from '../protocol/messages.js';
import type { RepHandler } from '../rep/memory-rep.js';
import { emptyOutboxesMessage, MAX_EMPTY_OUTBOXES, type AuctionOutcome, type AuctionProtocol } from '../strategy.js';

/** How a protocol ran under a driver. */
export interface DriveResult {
  /** What the strategy decided. */
  outcome: AuctionOutcome;
  /** Requests sent (each had one reply). */
  messages: number;
  /** Outboxes the strategy yielded: network round trips on the critical path. */
  rounds: number;
}

/** The error a driver answers for a message to a cell it does not know. */
export const ERR_NO_SUCH_CELL = 'no such cell';

/**
 * Runs a strategy's protocol against reps in memory: every message is delivered at once, in
 * outbox order, and never lost. This is how `schedule()` runs one auction.
 */
export function driveInMemory(
  protocol: AuctionProtocol,
  reps: ReadonlyMap<string, RepHandler>,
  strategy = 'strategy',
  /** Sees every exchange, with the round it was in (explanations by messages); absent on the normal path. */
  observe?: (req: Request, reply: Reply, round: number) => void,
): DriveResult {
  let messages = 0;
  let rounds = 0;
  let empty = 0;
  let step = protocol.next([]);
  while (!step.done) {
    rounds++;
    const outbox = step.value;
    // A strategy that only ever yields nothing would hang the caller.
    empty = outbox.length === 0 ? empty + 1 : 0;
    if (empty >= MAX_EMPTY_OUTBOXES) throw new Error(emptyOutboxesMessage(strategy));
    const inbox: Reply[] = new Array<Reply>(outbox.length);
    for (let i = 0; i < outbox.length; i++) {
      const req = outbox[i] as Request;
      const rep = reps.get(req.cell);
      inbox[i] = rep ? rep.handle(req) : { kind: req.kind, ok: false, error: ERR_NO_SUCH_CELL, lost: true };
      observe?.(req, inbox[i] as Reply, rounds);
    }
    messages += outbox.length;
    step = protocol.next(inbox);
  }
  return { outcome: step.value, messages, rounds };
}
