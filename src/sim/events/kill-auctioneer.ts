// `killAuctioneer`: the active auctioneer dies; a standby takes the lock once its lease lapses.
import { Type } from '@sinclair/typebox';
import { say } from '../../core/json/schema-says.js';
import { eventKind } from './kind.js';

/** `killAuctioneer: true`. */
export const killAuctioneer = eventKind<'killAuctioneer', Record<never, never>, true>({
  kind: 'killAuctioneer',
  fault: true,
  docs: { what: 'true', effect: 'the active auctioneer dies; a standby takes the lock once its lease lapses' },
  schema: say(Type.Unsafe<true | 'active'>({ enum: [true, 'active'] }), { expected: 'true (the active auctioneer)' }),
  read: () => ({}),
  write: () => true,
  describe: () => 'kill the active auctioneer',
  apply(_e, { w }) {
    w.faultInjector.killActiveAuctioneer();
    return 'active auctioneer';
  },
  plan: { weight: 1, arbitrary: (fc) => fc.constant({ body: true }) },
});
