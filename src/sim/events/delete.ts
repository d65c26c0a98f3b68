// `delete`: an app (or group) is deleted; its instances are retired.
import { appGuids } from '../workload.js';
import { eventKind } from './kind.js';

/** `delete: <app>`. */
export const deleteApp = eventKind<'delete', { app: string }, false>({
  kind: 'delete',
  fault: false,
  docs: { what: 'an app', effect: 'an app (or group) is deleted; its instances are retired' },
  parse(r, value, path) {
    if (typeof value === 'string' && value !== '') return { app: value };
    const s = r.object(value, path, 'an app name or {app: name}');
    if (!s) return { app: '' };
    r.rejectUnknown(s, path, ['app']);
    return { app: r.string(s, 'app', path, { nonEmpty: true }) };
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
