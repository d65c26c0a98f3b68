// `scale`: an app, or every app of a group by its name, gets a new instance count.
import { versionless } from '../app-names.js';
import { appGuids } from '../workload.js';
import { integer, object, string } from '../../core/json/schema-says.js';
import { eventKind } from './kind.js';

/** `scale: {app, instances}`. */
export const scale = eventKind<'scale', { app: string; instances: number }, false>({
  kind: 'scale',
  fault: false,
  docs: { what: '`{ app, instances }`', effect: 'an app (or every app of a group, by its `name`) gets a new instance count' },
  schema: object({ app: string({ nonEmpty: true }), instances: integer({ min: 0, max: 100_000 }) }, { expected: 'an object {app, instances}' }),
  read(_r, value) {
    if (value === undefined) return undefined;
    const s = value as { app?: string; instances?: number };
    return { app: s.app ?? '', instances: s.instances ?? 0 };
  },
  appOf: (e) => e.app,
  write: (e) => ({ app: e.app, instances: e.instances }),
  describe: (e) => `scale ${e.app} to ${e.instances}`,
  apply(e, { w }) {
    const guids = appGuids(w, e.app);
    for (const guid of guids) w.api.scale(guid, e.instances);
    // The route target counts each app of the group once, whatever versions a deploy left running.
    w.routes.targets.set(w.routes.appOf(e.app), e.instances * new Set(guids.map(versionless)).size);
  },
  plan: {
    weight: 2,
    arbitrary: (fc, ctx) => fc.record({ app: fc.constantFrom(...ctx.apps), instances: fc.integer({ min: 0, max: 6 }) }).map((body) => ({ body, app: body.app })),
  },
});
