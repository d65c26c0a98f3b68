// `delete`: an app (or group) is deleted; its instances are retired.
import { appGuids } from '../workload.js';
import { Type } from '@sinclair/typebox';
import { byType, object, string } from '../../core/json/schema-says.js';
import { eventKind } from './kind.js';

const DELETE_SYNTAX = 'an app name or {app: name}';

/** `delete: <app>`. */
export const deleteApp = eventKind<'delete', { app: string }, false>({
  kind: 'delete',
  fault: false,
  docs: { what: 'an app', effect: 'an app (or group) is deleted; its instances are retired' },
  schema: byType<string, { app: string }>('string', Type.String({ minLength: 1 }), object({ app: string({ nonEmpty: true }) }, { expected: DELETE_SYNTAX }), { expected: DELETE_SYNTAX }),
  read(_r, value) {
    if (typeof value === 'string') return { app: value };
    const app = value !== null && typeof value === 'object' ? (value as { app?: unknown }).app : undefined;
    return { app: typeof app === 'string' ? app : '' };
  },
  appOf: (e) => e.app,
  write: (e) => ({ app: e.app }),
  describe: (e) => `delete ${e.app}`,
  apply(e, { w }) {
    for (const guid of appGuids(w, e.app)) w.api.deleteApp(guid);
    w.routes.targets.set(w.routes.appOf(e.app), 0);
  },
  plan: { weight: 1, arbitrary: (fc, ctx) => fc.constantFrom(...ctx.apps).map((app) => ({ body: app, app })) },
});
