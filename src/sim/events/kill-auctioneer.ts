// `killAuctioneer`: the active auctioneer dies; a standby takes the lock once its lease lapses.
import { eventKind } from './kind.js';

/** `killAuctioneer: true`. */
export const killAuctioneer = eventKind<'killAuctioneer', Record<never, never>, true>({
  kind: 'killAuctioneer',
  fault: true,
  docs: { what: 'true', effect: 'the active auctioneer dies; a standby takes the lock once its lease lapses' },
  parse(r, value, path) {
    if (value !== true && value !== 'active') r.fail(path, 'true (the active auctioneer)', value);
    return {};
  },
  write: () => true,
  describe: () => 'kill the active auctioneer',
  apply(_e, { w }) {
    w.faultInjector.killActiveAuctioneer();
    return 'active auctioneer';
  },
  plan: { weight: 1, arbitrary: (fc) => fc.constant({ body: true }) },
});
