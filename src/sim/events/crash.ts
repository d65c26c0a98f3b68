// `crash`: one instance's process crashes; Diego's restart policy applies.
import { restartDelayMs } from '../../core/convergence/crash-restart.js';
import { appGuids } from '../workload.js';
import { Type } from '@sinclair/typebox';
import { integer, object, string, withDefaults } from '../../core/json/schema-says.js';
import { eventKind } from './kind.js';

const CRASH = object({ app: string({ nonEmpty: true }), index: Type.Optional(integer({ min: 0, max: 100_000, default: 0 })) }, { expected: 'an instance {app, index}' });

/** `crash: {app, index}`. */
export const crash = eventKind<'crash', { app: string; index: number }, true>({
  kind: 'crash',
  fault: true,
  docs: { what: '`{ app, index }`', effect: "the instance's process crashes (Diego's restart policy applies)" },
  schema: CRASH,
  read(_r, value) {
    if (value === undefined) return undefined;
    const c = withDefaults(CRASH, value);
    return { app: c.app, index: c.index! };
  },
  appOf: (e) => e.app,
  write: (e) => ({ app: e.app, index: e.index }),
  describe: (e) => `crash ${e.app}`,
  apply(e, { w }) {
    for (const guid of appGuids(w, e.app)) w.faultInjector.crashInstance(guid, e.index);
    return `${e.app} index ${e.index}`;
  },
  plan: {
    weight: 2,
    arbitrary: (fc, ctx) => fc.record({ app: fc.constantFrom(...ctx.apps), index: fc.integer({ min: 0, max: 4 }) }).map((body) => ({ body, app: body.app })),
    // An instance crashed n times waits out Diego's backoff for n crashes before its restart.
    boundMs(events) {
      const crashes = new Map<string, number>();
      for (const e of events) crashes.set(`${e.app}.${e.index}`, (crashes.get(`${e.app}.${e.index}`) ?? 0) + 1);
      const backoff = restartDelayMs(Math.max(0, ...crashes.values()));
      return Number.isFinite(backoff) ? backoff : 0;
    },
  },
});
