// The docs table of event kinds (scenarios/README.md), generated from the registry so that a new
// kind documents itself; `npm run docs` rewrites it and a test fails while it is stale.
import { ANY_EVENT_KINDS } from './registry.js';

/** Marks the start of the generated table in a Markdown file. */
export const EVENT_TABLE_BEGIN = '<!-- event kinds: generated from src/sim/events by `npm run docs` -->';
/** Marks its end. */
export const EVENT_TABLE_END = '<!-- end of event kinds -->';

/** The Markdown table of every event kind: its action key, what it names, its effect, whether it is a fault. */
export function eventKindsTable(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const rows = ANY_EVENT_KINDS.map((k) => `| \`${k.kind}\` | ${cell(k.docs.what)} | ${cell(k.docs.effect)} | ${k.fault ? 'yes' : ''} |`);
  return ['| action | what | effect | fault |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** `text` with the generated table between the markers replaced by the current one; undefined without the markers. */
export function withEventKindsTable(text: string): string | undefined {
  const a = text.indexOf(EVENT_TABLE_BEGIN);
  const b = text.indexOf(EVENT_TABLE_END);
  if (a < 0 || b < a) return undefined;
  return `${text.slice(0, a + EVENT_TABLE_BEGIN.length)}\n${eventKindsTable()}\n${text.slice(b)}`;
}
