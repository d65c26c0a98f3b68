// The event log (`run --log`) as a story a person can follow: each JSON line in a sentence that
// names the actors and the work and says what happened and why. Used by `auctionlab log` and by
// `run --log -`. The internal bookkeeping events (lock renewals, samples, syncs) are left out
// unless asked for.
import { formatDuration } from './format-duration.js';
import { formatScore } from './format-explanation.js';

/** One parsed log line. */
export type LogLine = Readonly<Record<string, unknown>> & { t?: unknown; event?: unknown; note?: unknown; story?: unknown };

const str = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

const score = (v: unknown) => (typeof v === 'number' ? formatScore(v) : str(v));

// A placed line's scores (or bids), when the run explained its batch: the winner's, and the runner-up's.
function scores(f: LogLine): string {
  if (f['score'] === undefined) return '';
  const word = f['bid'] === true ? 'bid' : 'score';
  if (f['runnerUp'] === undefined) return ` (${word} ${score(f['score'])}; ${f['bid'] === true ? 'no other bid' : 'no other cell could take it'})`;
  const tie = f['tie'] === true ? ', a tie the seeded order broke' : '';
  return ` (${word} ${score(f['score'])}; runner-up ${str(f['runnerUp'])} ${score(f['runnerUpScore'])}${tie})`;
}

// Notes (facts in the digest) and story lines (log only), by kind.
const SENTENCES: Readonly<Record<string, (f: LogLine) => string>> = {
  placed: (f) => `auction: ${str(f['work'])} placed on ${str(f['cell'])}${scores(f)}${f['confirmed'] === false ? ' (the cell never confirmed it)' : ''}`,
  failed: (f) => `auction: ${str(f['work'])} FAILED: ${str(f['reason'])}`,
  converger: (f) => `converger: ${str(f['work'])}${f['cell'] !== undefined ? ` (on ${str(f['cell'])})` : ''}: ${str(f['did'])}`,
  desire: (f) => `desired: ${str(f['app'])}, ${str(f['instances'])} instance(s)`,
  scale: (f) => `scaled: ${str(f['app'])} to ${str(f['instances'])}`,
  delete: (f) => `deleted: ${str(f['app'])}`,
  claimed: (f) => `${str(f['lrp'])} claimed by ${str(f['cell'])} (starting)`,
  'task-started': (f) => `task ${str(f['task'])} started on ${str(f['cell'])}`,
  'task-done': (f) => `task ${str(f['task'])} done on ${str(f['cell'])}`,
  'task-cancelled': (f) => `task ${str(f['task'])} cancelled`,
  crash: (f) => `${str(f['lrp'])} CRASHED on ${str(f['cell'])}: ${f['restart'] === 'restart' ? 'restarted at once' : f['restart'] === 'backoff' ? 'restart after its backoff' : 'not restarted'}`,
  'container-failed': (f) => `${str(f['lrp'] ?? f['task'])} could not start on ${str(f['cell'])}: ${str(f['reason'])}`,
  'health-check-failed': (f) => `${str(f['lrp'])} failed its ${f['check'] === 'liveness' ? 'liveness' : 'health'} check on ${str(f['cell'])}`,
  'health-check-timed-out': (f) => `${str(f['lrp'])} not healthy within its start timeout on ${str(f['cell'])}`,
  unready: (f) => `${str(f['lrp'])} not ready on ${str(f['cell'])}: out of the routes`,
  ready: (f) => `${str(f['lrp'])} ready again on ${str(f['cell'])}: routable`,
  'rebalance-move': (f) => `rebalancer moves ${str(f['lrp'])} off ${str(f['from'])}${f['to'] !== undefined ? ` to ${str(f['to'])}` : ' (the auction places it)'}`,
  'rebalance-done': (f) => `rebalancer: ${str(f['lrp'])} now runs on ${str(f['to'])}; its old copy on ${str(f['from'])} stopped`,
  'rebalance-called-off': (f) => `rebalancer: move of ${str(f['lrp'])} called off${f['reason'] !== undefined ? ` (${str(f['reason'])})` : ' (no cell took its replacement): its copy on ' + str(f['cell']) + ' stays'}`,
  'residual-stopped': (f) => `${str(f['lrp'])}: a leftover copy stopped on ${str(f['cell'])} by its rep's sync`,
  'cell-killed': (f) => `FAULT: ${str(f['cell'])} killed`,
  'cell-recovered': (f) => `${str(f['cell'])} back (a new machine)`,
  'cell-gone': (f) => `${str(f['cell'])} vanished from the BBS (its presence lapsed)`,
  'cell-slowed': (f) => `FAULT: ${str(f['cell'])} slowed ${str(f['factor'])}x`,
  partition: (f) => `FAULT: zone ${str(f['zone'])} cut off`,
  heal: (f) => `zone ${str(f['zone'])} reachable again`,
  evacuate: (f) => `${str(f['cell'])} draining (evacuating)`,
  'auctioneer-killed': (f) => `FAULT: ${str(f['auctioneer'])} killed`,
  converge: (f) => `converger pass: ${str(f['auctioned'])} auctioned, ${str(f['retired'])} retired, ${str(f['missing'])} missing`,
  auction: (f) => `auction done: ${str(f['placed'])} placed, ${str(f['failed'])} failed`,
  staging: (f) => `staging ${str(f['app'])}`,
  'staging-failed': (f) => `staging of ${str(f['app'])} FAILED`,
  'droplet-stored': (f) => `droplet of ${str(f['app'])} stored`,
  deploy: (f) => `deploy (${str(f['style'])}): ${str(f['from'])} -> ${str(f['to'])}`,
  deployed: (f) => `deployed: ${str(f['to'])}`,
  'accounting-error': (f) => `ACCOUNTING ERROR: ${str(f['detail'])}`,
};

// Kernel events worth a sentence; the others are bookkeeping (shown with --all).
const EVENTS: Readonly<Record<string, (f: LogLine) => string>> = {
  'net.fan-out': (f) => `auctioneer has the states of ${str(f['cells'])} cells (or their timeouts)`,
  'net.deliver': (f) => (f['message'] === 'perform' ? `work sent to ${str(f['cell'])}: ${str(f['work'])}` : `${str(f['message'])} request reaches ${str(f['cell'])}${f['work'] !== undefined ? ` (${str(f['work'])})` : ''}`),
  'net.timeout': (f) => `no reply from ${str(f['cell'])} in time (${str(f['message'])}${f['work'] !== undefined ? ` ${str(f['work'])}` : ''}): lost`,
  'cell.container-running': (f) => `${str(f['work'])} running on ${str(f['cell'])}`,
  'converger.pass': () => 'converger pass starts',
};

/** The kind of a line: its note, story or event name. */
export function lineKind(l: LogLine): string {
  return str(l.story ?? l.note ?? l.event ?? '');
}

/** The line as a sentence, or null when it is bookkeeping and `all` is off. */
export function storySentence(l: LogLine, all = false): string | null {
  const kind = lineKind(l);
  // Own keys only: a line whose kind is `__proto__` or `toString` is no known kind.
  const table = l.event !== undefined ? EVENTS : SENTENCES;
  const say = Object.hasOwn(table, kind) ? table[kind] : undefined;
  if (say) return say(l);
  if (!all) return null;
  const rest = Object.entries(l).filter(([k]) => k !== 't' && k !== 'event' && k !== 'note' && k !== 'story');
  return `${kind}${rest.length > 0 ? ` ${rest.map(([k, v]) => `${k}=${str(v)}`).join(' ')}` : ''}`;
}

/** A story line with its time: `   3.50 s  auction: web-3.0 placed on cell-07`. */
export function storyLine(l: LogLine, all = false): string | null {
  const s = storySentence(l, all);
  if (s === null) return null;
  const t = typeof l.t === 'number' ? l.t : 0;
  return `${formatDuration(t).padStart(10)}  ${s}`;
}

/** What a line is about: its work (every id of a perform), app, task, cell. */
function about(l: LogLine): { work: string[]; cell: string | undefined } {
  const work: string[] = [];
  for (const k of ['work', 'lrp', 'app', 'task', 'from', 'to']) {
    const v = l[k];
    if (typeof v === 'string') work.push(...v.split(' '));
  }
  return { work, cell: typeof l['cell'] === 'string' ? l['cell'] : undefined };
}

/** Filters of `auctionlab log`. */
export interface StoryFilter {
  /** Only lines about this app (its process guid, group members, versions and instances). */
  app?: string;
  /** Only lines about this cell. */
  cell?: string;
  /** Only these kinds (notes, story lines or event names). */
  kinds?: ReadonlySet<string>;
}

/** Whether a line passes the filters. */
export function storyMatches(l: LogLine, f: StoryFilter): boolean {
  if (f.kinds && !f.kinds.has(lineKind(l))) return false;
  const a = about(l);
  if (f.cell !== undefined && a.cell !== f.cell) return false;
  if (f.app !== undefined) {
    const app = f.app;
    // The app itself, its group members (-3), versions (@v2) and instances (.0); not another app
    // whose name starts alike (tiny is not tiny-x4).
    const mine = new RegExp(`^${app.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(-\\d+)?(@v\\d+)?(\\.\\d+)?$`);
    if (!a.work.some((w) => mine.test(w))) return false;
  }
  return true;
}
