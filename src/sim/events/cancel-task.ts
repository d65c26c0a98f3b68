// `cancelTask`: a task is cancelled: a pending one fails at once, a running one is stopped first.
import { eventKind } from './kind.js';

/** `cancelTask: <name>`. */
export const cancelTask = eventKind<'cancelTask', { name: string }, false>({
  kind: 'cancelTask',
  fault: false,
  docs: { what: "a task's name", effect: 'cancels it: a pending task fails at once, a running one is stopped first (`cancelled`)' },
  parse(r, value, path) {
    if (typeof value === 'string' && value !== '') return { name: value };
    r.fail(path, 'the name of a task submitted by a task event', value);
    return undefined;
  },
  write: (e) => e.name,
  describe: (e) => `cancelTask ${e.name}`,
  apply(e, { w }) {
    w.api.cancelTask(e.name);
  },
  plan: { weight: 1, arbitrary: (fc, ctx) => fc.constantFrom(...ctx.tasks).map((name) => ({ body: name })) },
});
