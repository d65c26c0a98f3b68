// `heal`: a partitioned zone is reachable again; its cells reconcile with the BBS.
import { eventKind } from './kind.js';
import { zoneOf, zoneSchema } from '../field-schemas.js';

/** `heal: <zone>`. */
export const heal = eventKind<'heal', { zone: string }, false>({
  kind: 'heal',
  fault: false,
  docs: { what: 'a zone', effect: 'the zone is reachable again; its cells reconcile with the BBS' },
  schema: zoneSchema(),
  read: (_r, value) => ({ zone: zoneOf(value) }),
  zoneOf: (e) => e.zone,
  write: (e) => e.zone,
  describe: (e) => `heal ${e.zone}`,
  apply(e, { w }) {
    w.faultInjector.heal(e.zone);
  },
  plan: { weight: 2, with: 'partition', arbitrary: (fc, ctx) => fc.constantFrom(...ctx.zones).map((z) => ({ body: z })) },
});
