// `deploy`: a deploy of an app's next version (`<app>@v2`, `@v3`, ...), rolling or blue-green,
// checked every `every`; optionally staged first. The steps themselves are in ../push.ts.
import { durationText } from '../field-writers.js';
import { childPath } from '../../core/json/reader.js';
import { durationField } from '../field-readers.js';
import { DEFAULT_STAGING, deployStep, stage, type Deploy } from '../push.js';
import { versionless } from '../app-names.js';
import { appGuids } from '../workload.js';
import { eventKind, type EventRun } from './kind.js';

/** The body of a `deploy` event. */
export interface DeployEventBody {
  /** The app (or group) deployed. */
  app: string;
  /** Most new instances not yet routable at a time (rolling). */
  step: number;
  /** Time between checks (ms). */
  everyMs: number;
  /** Rolling or blue-green. */
  style: 'rolling' | 'blue-green';
  /** Whether a new droplet is staged first. */
  stage: boolean;
}

/** The deploys of one run and the kernel handler of their steps. */
interface Deploys {
  list: Deploy[];
  handler: number;
}

function deploysOf(run: EventRun): Deploys {
  return run.state('deploy', () => {
    const k = run.w.kernel;
    const d: Deploys = { list: [], handler: -1 };
    d.handler = k.register('workload.deploy-step', (i) => {
      const dep = d.list[i] as Deploy;
      if (!deployStep(run.w, dep)) k.after(dep.everyMs, dep.handler, dep.index);
    });
    return d;
  });
}

/** `deploy: <app>` or `deploy: {app, maxInFlight, every, style, stage}`. */
export const deploy = eventKind<'deploy', DeployEventBody, false>({
  kind: 'deploy',
  fault: false,
  docs: {
    what: 'an app, or `{ app, maxInFlight: 1, every: 30s, style: rolling, stage: false }`',
    effect:
      'a deploy of the next version (`<app>@v2`, `@v3`, ...), checked every `every`. `rolling`: the new version grows so that at most `maxInFlight` (alias `step`) of its instances are not yet routable, and the old one shrinks to what the routable new instances do not cover, so routable instances stay at the target; `blue-green`: the new version starts whole and the old is deleted once every new instance is routable. `stage: true` stages a new droplet first (the app\'s `push` sizes, or Diego\'s defaults); if staging fails the old version keeps running',
  },
  parse(r, value, path) {
    if (typeof value === 'string' && value !== '') return { app: value, step: 1, everyMs: 30_000, style: 'rolling', stage: false };
    const s = r.object(value, path, 'an app name or {app, maxInFlight, every, style, stage}');
    if (!s) return undefined;
    r.rejectUnknown(s, path, ['app', 'step', 'maxInFlight', 'every', 'style', 'stage']);
    const style = r.string(s, 'style', path, { default: 'rolling' });
    if (style !== 'rolling' && style !== 'blue-green') r.report(childPath(path, 'style'), `expected rolling or blue-green, got ${JSON.stringify(style)}`);
    const inFlight = s['maxInFlight'] !== undefined ? 'maxInFlight' : 'step';
    // A check of no length would never let simulated time pass.
    const everyMs = durationField(r, s, 'every', path, 30_000);
    if (everyMs < 100) r.report(childPath(path, 'every'), `expected at least 100ms, got ${everyMs}ms`);
    return {
      app: r.string(s, 'app', path, { nonEmpty: true }),
      step: r.integer(s, inFlight, path, { min: 1, max: 100_000, default: 1 }),
      everyMs,
      style: style === 'blue-green' ? 'blue-green' : 'rolling',
      stage: r.boolean(s, 'stage', path, { default: false }),
    };
  },
  appOf: (e) => e.app,
  write: (e) => ({ app: e.app, maxInFlight: e.step, every: durationText(e.everyMs), style: e.style, stage: e.stage }),
  describe: (e) => `${e.style} deploy ${e.app}${e.stage ? ' (staged)' : ''}`,
  apply(e, run) {
    const { w } = run;
    const deploys = deploysOf(run);
    for (const guid of appGuids(w, e.app)) {
      const d = w.bbs.desired.get(guid);
      if (!d) continue;
      const base = versionless(guid);
      const version = Number(/@v(\d+)$/.exec(guid)?.[1] ?? 1) + 1;
      const next = `${base}@v${version}`;
      const begin = () => {
        w.api.desire({ ...d, processGuid: next, instances: 0 });
        const dep: Deploy = { from: guid, to: next, target: d.instances, maxInFlight: e.step, everyMs: e.everyMs, style: e.style, handler: deploys.handler, index: deploys.list.length };
        deploys.list.push(dep);
        w.kernel.after(0, deploys.handler, dep.index);
        w.kernel.note('deploy', { from: guid, to: next, style: e.style });
      };
      // A new droplet is staged first; a failed staging leaves the old version running.
      if (e.stage) stage(w, { ...d, processGuid: next }, w.scenario.apps.find((a) => a.name === w.routes.appOf(guid))?.staging ?? DEFAULT_STAGING, begin);
      else begin();
    }
  },
});
