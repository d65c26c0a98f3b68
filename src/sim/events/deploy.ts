// `deploy`: a deploy of an app's next version (`<app>@v2`, `@v3`, ...), rolling or blue-green,
// checked every `every`; optionally staged first. The steps themselves are in ../push.ts.
import { durationText } from '../field-writers.js';
import { childPath } from '../../core/json/reader.js';
import { Type } from '@sinclair/typebox';
import { boolean, byType, integer, object, say, string, withDefaults } from '../../core/json/schema-says.js';
import { durationMs, durationSchema } from '../field-schemas.js';
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

const DEPLOY_SYNTAX = 'an app name or {app, maxInFlight, every, style, stage}';

const DEPLOY = object(
  {
    app: string({ nonEmpty: true, description: 'The app (or app group) deployed.' }),
    step: Type.Optional(integer({ min: 1, max: 100_000, description: 'Another name for maxInFlight.' })),
    maxInFlight: Type.Optional(integer({ min: 1, max: 100_000, description: 'Rolling: most new instances not yet routable at a time (default 1).' })),
    every: Type.Optional(durationSchema({ default: '30s', description: 'How often the deploy checks its progress.' })),
    style: Type.Optional(
      say(Type.Unsafe<'rolling' | 'blue-green'>({ type: 'string', enum: ['rolling', 'blue-green'], default: 'rolling' }), {
        expected: (v) => (typeof v === 'string' ? 'rolling or blue-green' : 'a string'),
      }),
    ),
    stage: Type.Optional(boolean({ default: false, description: 'Stage a new droplet first.' })),
  },
  { expected: DEPLOY_SYNTAX, order: ['$unknown', '$self', 'style', 'every', 'app', 'maxInFlight', 'step', 'stage'] },
);

/** `deploy: <app>` or `deploy: {app, maxInFlight, every, style, stage}`. */
export const deploy = eventKind<'deploy', DeployEventBody, false>({
  kind: 'deploy',
  fault: false,
  docs: {
    what: 'an app, or `{ app, maxInFlight: 1, every: 30s, style: rolling, stage: false }`',
    effect:
      'a deploy of the next version (`<app>@v2`, `@v3`, ...), checked every `every`. `rolling`: the new version grows so that at most `maxInFlight` (alias `step`) of its instances are not yet routable, and the old one shrinks to what the routable new instances do not cover, so routable instances stay at the target; `blue-green`: the new version starts whole and the old is deleted once every new instance is routable. `stage: true` stages a new droplet first (the app\'s `push` sizes, or Diego\'s defaults); if staging fails the old version keeps running',
  },
  schema: byType<string, object>(
    'string',
    Type.String({ minLength: 1 }),
    DEPLOY,
    { expected: DEPLOY_SYNTAX },
  ),
  read(r, value, path) {
    if (value === undefined) return undefined;
    // `deploy: web` is `deploy: {app: web}` with every other field's default.
    const s = withDefaults(DEPLOY, typeof value === 'string' ? { app: value } : value);
    // A check of no length would never let simulated time pass.
    const everyMs = durationMs(s.every, 0);
    if (everyMs < 100) r.report(childPath(path, 'every'), `expected at least 100ms, got ${everyMs}ms`);
    return { app: s.app, step: s.maxInFlight ?? s.step ?? 1, everyMs, style: s.style === 'blue-green' ? 'blue-green' : 'rolling', stage: s.stage! };
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
