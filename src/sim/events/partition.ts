// `partition`: a zone is cut off from the control plane: messages to and from it are dropped and its
// cells' presence lapses.
import { eventKind } from './kind.js';
import { zoneOf, zoneSchema } from '../field-schemas.js';

/** `partition: <zone>`. */
export const partition = eventKind<'partition', { zone: string }, true>({
  kind: 'partition',
  fault: true,
  docs: { what: 'a zone', effect: 'the zone is cut off from the control plane (messages dropped, presence lapses)' },
  schema: zoneSchema(),
  read: (_r, value) => ({ zone: zoneOf(value) }),
  zoneOf: (e) => e.zone,
  write: (e) => e.zone,
  describe: (e) => `partition ${e.zone}`,
  apply(e, { w }) {
    w.faultInjector.partition(e.zone);
    return e.zone;
  },
  plan: { weight: 2, arbitrary: (fc, ctx) => fc.constantFrom(...ctx.zones).map((z) => ({ body: z })) },
});
