// `cancelTask`: a task is cancelled: a pending one fails at once, a running one is stopped first.
import { Type } from '@sinclair/typebox';
import { say } from '../../core/json/schema-says.js';
import { eventKind } from './kind.js';

/** `cancelTask: <name>`. */
export const cancelTask = eventKind<'cancelTask', { name: string }, false>({
  kind: 'cancelTask',
  fault: false,
  docs: { what: "a task's name", effect: 'cancels it: a pending task fails at once, a running one is stopped first (`cancelled`)' },
  schema: say(Type.String({ minLength: 1 }), { expected: 'the name of a task submitted by a task event' }),
  read: (_r, value) => (typeof value === 'string' && value !== '' ? { name: value } : undefined),
  write: (e) => e.name,
  describe: (e) => `cancelTask ${e.name}`,
  apply(e, { w }) {
    w.api.cancelTask(e.name);
  },
  plan: { weight: 1, arbitrary: (fc, ctx) => fc.constantFrom(...ctx.tasks).map((name) => ({ body: name })) },
});
