// The real auctioneer's BBS state (desired apps, tasks, crash records, placement errors) and its
// journal on disk.
//
// Why a journal: the state used to be written whole after every change (a 1,000-task POST took 10 s
// with 4,000 tasks stored) and without fsync (an acknowledged change could vanish in a power cut).
// Now every change is kept in memory and appended as one record; `sync()` writes the records made
// since the last sync with one write and one fsync, and the auctioneer calls it before it answers
// 2xx, so whatever it acknowledged survives a crash. The file is rewritten (compacted) at start and
// whenever it holds much more than the live state, so it and the start time stay bounded.
//
// Why Maps: keys are user-supplied names; in a plain object `desired["toString"]` finds
// Object.prototype's function and `__proto__` cannot be stored. Map keys are just strings.
//
// File format (version 2): JSON Lines, one JSON object per line, each line ending in "\n".
//   line 1: {"journal":"auctionlab-bbs","version":2}
//   {"op":"desire","app":{processGuid,instances,memoryMB,diskMB,template,placementTags}}  set an app
//   {"op":"undesire","guid":"<processGuid>"}                                            delete it
//   {"op":"task","task":{guid,state,cell,createdAtMs,sentAtMs,template,memoryMB,diskMB,
//                        rejections,failed,failureReason,ranOn,cellBoot,completedAtMs}}  set a task
//   {"op":"deltask","guid":"<guid>"}                                                    delete it
//   {"op":"crash","id":"<processGuid>.<index>","crash":{count,crashedAtMs}}              set a crash
//   {"op":"delcrash","id":"<processGuid>.<index>"}                                      delete it
//   {"op":"perr","id":"<processGuid>.<index>","error":"<text>"}                         set a placement error
//   {"op":"delperr","id":"<processGuid>.<index>"}                                       delete it
//   {"op":"cron","cron":{name,schedule,concurrency,startingDeadlineMs,historyLimit,lateAfterMs,
//                        template,memoryMB,diskMB,createdAtMs,lastScheduledMs}}              set a cron entry
//   {"op":"delcron","guid":"<name>"}                                                    delete it
// A set record holds the entry's full value, so each key's state is its last record: replay does not
// depend on how records for different keys interleave, and several changes to one key between syncs
// are written as one record. Deleting an absent key is a no-op. Every field of every record is
// checked on replay; an unknown field or op is an error (the file is only ever written by this code).
//
// Version 1 (the format before): one JSON object
// {"version":1,"desired":{<guid>:app},"tasks":{<guid>:task},"crashes":{<id>:crash},"placementErrors":{<id>:text}},
// rewritten whole on every change. It is read with the same checks and rewritten as version 2 at once.
import { closeSync, constants, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CrashRecord, TaskRecord } from '../core/convergence/plan.js';
import { MAX_INSTANCES, isGuid, shown } from './names.js';
import { parseSchedule } from '../core/cron/schedule.js';

/** A desired app. */
export interface DesiredApp {
  /** Process guid (the app's name). */
  processGuid: string;
  /** Instances desired. */
  instances: number;
  /** Memory per instance (MB). */
  memoryMB: number;
  /** Disk per instance (MB). */
  diskMB: number;
  /** The process template its instances run. */
  template: string;
  /** Placement tags (isolation segments). */
  placementTags: string[];
}

/**
 * A recurring task (`PUT /v1/cron/:name`): its schedule and policy, what each tick's task runs, and
 * the last tick it scheduled (journalled with that tick's task, so a restart never sends it twice).
 */
export interface CronEntry {
  /** Its name: its tasks are `<name>-<tick time>`. */
  name: string;
  /** Five cron fields, a nickname, or `@every <duration>` (see core/cron/schedule.ts). */
  schedule: string;
  /** allow, forbid or replace. */
  concurrency: 'allow' | 'forbid' | 'replace';
  /** A tick whose task has not started this long after its time is cancelled (null: none). */
  startingDeadlineMs: number | null;
  /** Completed tick tasks kept; older ones are deleted. */
  historyLimit: number;
  /** A tick whose task started within this of its time is on time. */
  lateAfterMs: number;
  /** The process template each tick's task runs. */
  template: string;
  /** Memory per task (MB). */
  memoryMB: number;
  /** Disk per task (MB). */
  diskMB: number;
  /** When it was made (ms since the epoch): an `@every` period counts from here. */
  createdAtMs: number;
  /** The last tick it scheduled (ms since the epoch), or its creation time. */
  lastScheduledMs: number;
}

/** A task as the BBS holds it, with what it runs and its result. */
export interface StoredTask extends TaskRecord {
  /** The process template it runs. */
  template: string;
  /** Memory (MB). */
  memoryMB: number;
  /** Disk (MB). */
  diskMB: number;
  /** Times a cell turned it down. */
  rejections: number;
  /** Whether it failed (once COMPLETED). */
  failed: boolean;
  /** Why it failed. */
  failureReason: string;
  /** Cells it ran on, in order (at most one, if the rules hold). */
  ranOn: string[];
  /** The boot id of the cell it was sent to, as last polled before sending (null: not sent / unknown). */
  cellBoot: string | null;
  /** When it completed (ms), or null. */
  completedAtMs: number | null;
}

// An instance index's id, `<processGuid>.<index>` (lrpAuctionId): guids have no ".", so the split is
// unambiguous; the index is written as JavaScript writes numbers (no leading zeros) and is below the
// most instances an app may desire.
const INSTANCE_ID = /^[A-Za-z0-9_-]{1,128}\.(0|[1-9][0-9]{0,3})$/;
const INT32_MAX = 2_147_483_647;
// A template name as the auctioneer's API accepts it (templates.ts allows a subset of these).
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const HEADER = '{"journal":"auctionlab-bbs","version":2}';
const JOURNAL = 'auctionlab-bbs';
const MOVE_AWAY = 'move the file away or pass another --state';
const TASK_STATES: readonly string[] = ['PENDING', 'RUNNING', 'COMPLETED'];

// ---- validation: one checker per kind of value, shared by the setters and replay, so whatever the
// store accepts and writes, a restart reads back.

/** A value that failed a check: where, what was expected, what was there. */
class Bad extends Error {
  constructor(
    readonly path: string,
    readonly expected: string,
    readonly got: unknown,
  ) {
    super(`${path}: expected ${expected}, got ${shown(got, 60)}`);
  }
}


type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// Own fields only, so a record lacking `template` cannot find something on Object.prototype.
function get(o: Obj, key: string): unknown {
  return Object.hasOwn(o, key) ? o[key] : undefined;
}

function object(v: unknown, path: string, what: string): Obj {
  if (!isObj(v)) throw new Bad(path, what, v);
  return v;
}

function onlyFields(o: Obj, path: string, fields: readonly string[]): void {
  for (const k of Object.keys(o)) if (!fields.includes(k)) throw new Bad(`${path}.${k}`, `no such field (fields: ${fields.join(', ')})`, o[k]);
}

function int(o: Obj, key: string, path: string, min: number, max: number): number {
  const v = get(o, key);
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new Bad(`${path}.${key}`, `a whole number ${min}..${max}`, v);
  return v;
}

function time(o: Obj, key: string, path: string, nullable: boolean): number | null {
  const v = get(o, key);
  if (v === null && nullable) return null;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Bad(`${path}.${key}`, `a time in ms (a number >= 0)${nullable ? ' or null' : ''}`, v);
  return v;
}

function str(o: Obj, key: string, path: string, nullable: boolean): string | null {
  const v = get(o, key);
  if (v === null && nullable) return null;
  if (typeof v !== 'string') throw new Bad(`${path}.${key}`, `a string${nullable ? ' or null' : ''}`, v);
  return v;
}

function strings(o: Obj, key: string, path: string): string[] {
  const v = get(o, key);
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new Bad(`${path}.${key}`, 'a list of strings', v);
  return v as string[];
}

function guidIn(o: Obj, key: string, path: string): string {
  const v = get(o, key);
  if (!isGuid(v)) throw new Bad(`${path}.${key}`, 'a guid (1-128 of A-Z a-z 0-9 _ -)', v);
  return v;
}

function nameIn(o: Obj, key: string, path: string): string {
  const v = get(o, key);
  if (typeof v !== 'string' || !NAME.test(v)) throw new Bad(`${path}.${key}`, 'a template name (letters, digits, ".", "_", "-"; up to 128)', v);
  return v;
}

function checkGuid(v: unknown, path: string): string {
  if (!isGuid(v)) throw new Bad(path, 'a guid (1-128 of A-Z a-z 0-9 _ -)', v);
  return v;
}

function checkInstanceId(v: unknown, path: string): string {
  if (typeof v !== 'string' || !INSTANCE_ID.test(v)) throw new Bad(path, `an instance id <processGuid>.<index> (index 0..${MAX_INSTANCES - 1})`, v);
  return v;
}

const APP_FIELDS = ['processGuid', 'instances', 'memoryMB', 'diskMB', 'template', 'placementTags'] as const;
const TASK_FIELDS = [
  'guid',
  'state',
  'cell',
  'createdAtMs',
  'sentAtMs',
  'template',
  'memoryMB',
  'diskMB',
  'rejections',
  'failed',
  'failureReason',
  'ranOn',
  'cellBoot',
  'completedAtMs',
] as const;
const CRASH_FIELDS = ['count', 'crashedAtMs'] as const;
const CRON_FIELDS = ['name', 'schedule', 'concurrency', 'startingDeadlineMs', 'historyLimit', 'lateAfterMs', 'template', 'memoryMB', 'diskMB', 'createdAtMs', 'lastScheduledMs'] as const;
const CONCURRENCY: readonly string[] = ['allow', 'forbid', 'replace'];
/** The longest cron entry name: its tasks' guids add `-YYYYMMDDTHHMMSS_mmmZ` (21) and stay within 128. */
export const MAX_CRON_NAME = 100;

/** Checks an app; `strict`: no other fields (replay), else extra fields are ignored (setters). */
function checkApp(v: unknown, path: string, strict: boolean): DesiredApp {
  const o = object(v, path, `an app {${APP_FIELDS.join(', ')}}`);
  if (strict) onlyFields(o, path, APP_FIELDS);
  return {
    processGuid: guidIn(o, 'processGuid', path),
    instances: int(o, 'instances', path, 0, MAX_INSTANCES),
    memoryMB: int(o, 'memoryMB', path, 0, INT32_MAX),
    diskMB: int(o, 'diskMB', path, 0, INT32_MAX),
    template: nameIn(o, 'template', path),
    placementTags: strings(o, 'placementTags', path),
  };
}

/** Checks a task; `defaults` fills fields version 1 did not have. */
function checkTask(v: unknown, path: string, strict: boolean, defaults?: Pick<StoredTask, 'cellBoot' | 'completedAtMs'>): StoredTask {
  const o = object(v, path, `a task {${TASK_FIELDS.join(', ')}}`);
  if (strict) onlyFields(o, path, TASK_FIELDS);
  const state = get(o, 'state');
  if (typeof state !== 'string' || !TASK_STATES.includes(state)) throw new Bad(`${path}.state`, 'PENDING, RUNNING or COMPLETED', state);
  const failed = get(o, 'failed');
  if (typeof failed !== 'boolean') throw new Bad(`${path}.failed`, 'true or false', failed);
  const has = (k: string) => defaults === undefined || Object.hasOwn(o, k);
  return {
    guid: guidIn(o, 'guid', path),
    state: state as StoredTask['state'],
    cell: str(o, 'cell', path, true),
    createdAtMs: time(o, 'createdAtMs', path, false) as number,
    sentAtMs: time(o, 'sentAtMs', path, true),
    template: nameIn(o, 'template', path),
    memoryMB: int(o, 'memoryMB', path, 0, INT32_MAX),
    diskMB: int(o, 'diskMB', path, 0, INT32_MAX),
    rejections: int(o, 'rejections', path, 0, INT32_MAX),
    failed,
    failureReason: str(o, 'failureReason', path, false) as string,
    ranOn: strings(o, 'ranOn', path),
    cellBoot: has('cellBoot') ? str(o, 'cellBoot', path, true) : (defaults?.cellBoot ?? null),
    completedAtMs: has('completedAtMs') ? time(o, 'completedAtMs', path, true) : (defaults?.completedAtMs ?? null),
  };
}

function checkCrash(v: unknown, path: string, strict: boolean): CrashRecord {
  const o = object(v, path, `a crash {${CRASH_FIELDS.join(', ')}}`);
  if (strict) onlyFields(o, path, CRASH_FIELDS);
  return { count: int(o, 'count', path, 0, INT32_MAX), crashedAtMs: time(o, 'crashedAtMs', path, false) as number };
}

function checkCron(v: unknown, path: string, strict: boolean): CronEntry {
  const o = object(v, path, `a cron entry {${CRON_FIELDS.join(', ')}}`);
  if (strict) onlyFields(o, path, CRON_FIELDS);
  const name = guidIn(o, 'name', path);
  if (name.length > MAX_CRON_NAME) throw new Bad(`${path}.name`, `at most ${MAX_CRON_NAME} characters`, name);
  const concurrency = get(o, 'concurrency');
  if (typeof concurrency !== 'string' || !CONCURRENCY.includes(concurrency)) throw new Bad(`${path}.concurrency`, 'allow, forbid or replace', concurrency);
  const schedule = str(o, 'schedule', path, false) as string;
  if ('error' in parseSchedule(schedule)) throw new Bad(`${path}.schedule`, 'a schedule (five cron fields, a nickname or @every <duration>)', schedule);
  return {
    name,
    schedule,
    concurrency: concurrency as CronEntry['concurrency'],
    startingDeadlineMs: time(o, 'startingDeadlineMs', path, true),
    historyLimit: int(o, 'historyLimit', path, 0, 10_000),
    lateAfterMs: time(o, 'lateAfterMs', path, false) as number,
    template: nameIn(o, 'template', path),
    memoryMB: int(o, 'memoryMB', path, 0, INT32_MAX),
    diskMB: int(o, 'diskMB', path, 0, INT32_MAX),
    createdAtMs: time(o, 'createdAtMs', path, false) as number,
    lastScheduledMs: time(o, 'lastScheduledMs', path, false) as number,
  };
}

function checkError(v: unknown, path: string): string {
  if (typeof v !== 'string') throw new Bad(path, 'a string', v);
  return v;
}

// ---- records: the checked value is what is written (known fields in a fixed order), so an extra
// property the caller hung on an object is never journalled.

const desireLine = (a: DesiredApp) => `{"op":"desire","app":${JSON.stringify(a)}}`;
const taskLine = (t: StoredTask) => `{"op":"task","task":${JSON.stringify(t)}}`;
const crashLine = (id: string, c: CrashRecord) => `{"op":"crash","id":${JSON.stringify(id)},"crash":${JSON.stringify(c)}}`;
const perrLine = (id: string, e: string) => `{"op":"perr","id":${JSON.stringify(id)},"error":${JSON.stringify(e)}}`;
const cronLine = (c: CronEntry) => `{"op":"cron","cron":${JSON.stringify(c)}}`;
const delLine = (op: string, field: 'guid' | 'id', key: string) => `{"op":"${op}","${field}":${JSON.stringify(key)}}`;

/** Options of {@link BBSStore.open}. */
export interface BBSStoreOptions {
  /** Where to say what opening did that is worth knowing (a torn last record dropped, a migration). */
  log?: (line: string) => void;
  /** Compact once the file holds more records than this and more than twice the live entries (default 1,000). */
  compactAfterRecords?: number;
}

/**
 * The BBS state in memory and its journal. Change it with the setters, then call
 * {@link BBSStore.sync} before acknowledging the change.
 */
export class BBSStore {
  private readonly desiredMap = new Map<string, DesiredApp>();
  private readonly taskMap = new Map<string, StoredTask>();
  private readonly crashMap = new Map<string, CrashRecord>();
  private readonly perrMap = new Map<string, string>();
  private readonly cronMap = new Map<string, CronEntry>();
  /** Cron entries by name. */
  readonly cron: ReadonlyMap<string, CronEntry> = this.cronMap;
  /** Desired apps by process guid. */
  readonly desired: ReadonlyMap<string, DesiredApp> = this.desiredMap;
  /** Tasks by guid. */
  readonly tasks: ReadonlyMap<string, StoredTask> = this.taskMap;
  /** Latest crash per instance index, by `${processGuid}.${index}`. */
  readonly crashes: ReadonlyMap<string, CrashRecord> = this.crashMap;
  /** Latest placement error per instance index, by `${processGuid}.${index}`. */
  readonly placementErrors: ReadonlyMap<string, string> = this.perrMap;

  // Records not yet written, by kind and key (guids and ids have no ":"), so a key changed several
  // times between syncs is written once, as its last value.
  private readonly pending = new Map<string, string>();
  // Records in the file, header excluded.
  private records = 0;
  // Set when an append failed or its fsync did: the file's tail is then unknown (a partial line may
  // sit there, and after a failed fsync Linux may have dropped the dirty pages), so the next sync
  // rewrites the whole file instead of appending after it.
  private rewrite = false;
  // Do not try background compaction again before the file holds this many records (set when one
  // failed, so a full disk does not make every sync retry and log).
  private retryCompactionAt = 0;
  private readonly compactAfter: number;
  private readonly log: (line: string) => void;

  private constructor(
    private readonly file: string | null,
    opts: BBSStoreOptions,
  ) {
    this.compactAfter = opts.compactAfterRecords ?? 1000;
    this.log = opts.log ?? (() => undefined);
  }

  /**
   * Opens the journal at `file` (null: memory only, nothing is written). A missing file starts empty
   * and is created. An existing one is replayed, every field of every record checked; a last line
   * cut short (a crash mid-append: never fsynced, so never acknowledged) is dropped and logged. A
   * version 1 file is read and converted. The file is then compacted, so the next start reads one
   * record per live entry. Anything else that is wrong is an `Error` with a one-line message
   * `<file>:<line>: <field path>: expected <what>, got <value>; move the file away or pass another
   * --state`, and the file is left as it is.
   */
  static open(file: string | null, opts: BBSStoreOptions = {}): BBSStore {
    const store = new BBSStore(file, opts);
    if (file === null) return store;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`${file}: cannot read the state journal (${(e as Error).message}); ${MOVE_AWAY}`, { cause: e });
      try {
        store.compact(); // a new file appears whole (header written to a temporary file, then renamed)
      } catch (w) {
        throw new Error(`${file}: cannot create the state journal (${(w as NodeJS.ErrnoException).code ?? (w as Error).message}${(w as NodeJS.ErrnoException).code === 'ENOENT' ? ': its directory does not exist' : ''})`, { cause: w });
      }
      return store;
    }
    store.load(file, text);
    store.compact();
    return store;
  }

  // Replays `text` (either format) into the maps; throws the one-line error on the first bad record.
  private load(file: string, text: string): void {
    const nl = text.indexOf('\n');
    const first = nl < 0 ? text : text.slice(0, nl);
    const header = parseOrUndefined(first);
    if (isObj(header) && Object.hasOwn(header, 'journal')) {
      this.at(file, 1, () => {
        onlyFields(header, '(header)', ['journal', 'version']);
        if (get(header, 'journal') !== JOURNAL) throw new Bad('journal', JSON.stringify(JOURNAL), get(header, 'journal'));
        if (get(header, 'version') !== 2) throw new Bad('version', '2', get(header, 'version'));
      });
      this.replay(file, text);
      return;
    }
    const whole = parseOrUndefined(text);
    if (isObj(whole) && get(whole, 'version') === 1) {
      this.at(file, 1, () => this.loadVersion1(whole));
      this.log(`${file}: version 1 state (${this.desiredMap.size} apps, ${this.taskMap.size} tasks) converted to a version 2 journal`);
      return;
    }
    this.at(file, 1, () => {
      throw new Bad('(header)', `an auctionlab state journal (first line ${HEADER}, or a version 1 state)`, first);
    });
  }

  // Runs `check`, turning a Bad into the one-line error that names the file and line.
  private at(file: string, line: number, check: () => void): void {
    try {
      check();
    } catch (e) {
      if (!(e instanceof Bad)) throw e;
      throw new Error(`${file}:${line}: ${e.message}; ${MOVE_AWAY}`, { cause: e });
    }
  }

  private replay(file: string, text: string): void {
    const lines = text.split('\n');
    // A file written by this code ends in "\n", so the last piece is empty. If it is not, the last
    // append was cut short; a complete record there is kept (it was written, just not acknowledged),
    // anything else is the torn part of an append that was never fsynced, so never acknowledged.
    const last = lines.length - 1;
    const tail = lines[last] as string;
    let end = last;
    if (tail !== '') {
      try {
        JSON.parse(tail);
        end = last + 1;
      } catch {
        this.log(`${file}:${last + 1}: dropped an incomplete last record (${Buffer.byteLength(tail)} bytes: an append cut short, never acknowledged)`);
      }
    }
    for (let i = 1; i < end; i++) {
      const raw = lines[i] as string;
      this.at(file, i + 1, () => {
        let rec: unknown;
        try {
          rec = JSON.parse(raw);
        } catch {
          throw new Bad('(record)', 'a JSON object on one line', raw);
        }
        this.apply(object(rec, '(record)', 'a JSON object {"op":...}'));
      });
      this.records++;
    }
  }

  // Applies one version 2 record, checked field by field.
  private apply(r: Obj): void {
    const op = get(r, 'op');
    switch (op) {
      case 'desire': {
        onlyFields(r, '(record)', ['op', 'app']);
        const a = checkApp(get(r, 'app'), 'app', true);
        this.desiredMap.set(a.processGuid, a);
        return;
      }
      case 'undesire':
        onlyFields(r, '(record)', ['op', 'guid']);
        this.desiredMap.delete(checkGuid(get(r, 'guid'), 'guid'));
        return;
      case 'task': {
        onlyFields(r, '(record)', ['op', 'task']);
        const t = checkTask(get(r, 'task'), 'task', true);
        this.taskMap.set(t.guid, t);
        return;
      }
      case 'deltask':
        onlyFields(r, '(record)', ['op', 'guid']);
        this.taskMap.delete(checkGuid(get(r, 'guid'), 'guid'));
        return;
      case 'crash': {
        onlyFields(r, '(record)', ['op', 'id', 'crash']);
        const id = checkInstanceId(get(r, 'id'), 'id');
        this.crashMap.set(id, checkCrash(get(r, 'crash'), 'crash', true));
        return;
      }
      case 'delcrash':
        onlyFields(r, '(record)', ['op', 'id']);
        this.crashMap.delete(checkInstanceId(get(r, 'id'), 'id'));
        return;
      case 'perr': {
        onlyFields(r, '(record)', ['op', 'id', 'error']);
        const id = checkInstanceId(get(r, 'id'), 'id');
        this.perrMap.set(id, checkError(get(r, 'error'), 'error'));
        return;
      }
      case 'delperr':
        onlyFields(r, '(record)', ['op', 'id']);
        this.perrMap.delete(checkInstanceId(get(r, 'id'), 'id'));
        return;
      case 'cron': {
        onlyFields(r, '(record)', ['op', 'cron']);
        const c = checkCron(get(r, 'cron'), 'cron', true);
        this.cronMap.set(c.name, c);
        return;
      }
      case 'delcron':
        onlyFields(r, '(record)', ['op', 'guid']);
        this.cronMap.delete(checkGuid(get(r, 'guid'), 'guid'));
        return;
      default:
        throw new Bad('op', 'desire, undesire, task, deltask, crash, delcrash, perr, delperr, cron or delcron', op);
    }
  }

  // Version 1: the whole state in one object, as the old commit() wrote it. Keys are checked as
  // guids or instance ids and must match the guid inside.
  private loadVersion1(v: Obj): void {
    onlyFields(v, '(state)', ['version', 'desired', 'tasks', 'crashes', 'placementErrors']);
    const section = (key: string, required: boolean): [string, unknown][] => {
      const s = get(v, key);
      if (s === undefined && !required) return [];
      return Object.entries(object(s, key, 'an object'));
    };
    for (const [k, raw] of section('desired', true)) {
      checkGuid(k, 'desired (key)');
      const a = checkApp(raw, `desired.${k}`, true);
      if (a.processGuid !== k) throw new Bad(`desired.${k}.processGuid`, `${JSON.stringify(k)} (its key)`, a.processGuid);
      this.desiredMap.set(k, a);
    }
    // A version 1 task never recorded when it completed; a completed one counts as completed now, so
    // pruneCompleted removes it a retention period after the upgrade rather than never.
    const migratedAt = Date.now();
    for (const [k, raw] of section('tasks', true)) {
      checkGuid(k, 'tasks (key)');
      const state = isObj(raw) ? get(raw, 'state') : undefined;
      const t = checkTask(raw, `tasks.${k}`, true, { cellBoot: null, completedAtMs: state === 'COMPLETED' ? migratedAt : null });
      if (t.guid !== k) throw new Bad(`tasks.${k}.guid`, `${JSON.stringify(k)} (its key)`, t.guid);
      this.taskMap.set(k, t);
    }
    for (const [k, raw] of section('crashes', false)) this.crashMap.set(checkInstanceId(k, 'crashes (key)'), checkCrash(raw, `crashes.${k}`, true));
    for (const [k, raw] of section('placementErrors', false)) this.perrMap.set(checkInstanceId(k, 'placementErrors (key)'), checkError(raw, `placementErrors.${k}`));
  }

  // ---- changes. Each setter checks its value first (a bad one throws and changes nothing), so the
  // journal never holds a record a restart would refuse.

  private checked<T>(method: string, check: () => T): T {
    try {
      return check();
    } catch (e) {
      if (e instanceof Bad) throw new Error(`BBSStore.${method}: ${e.message}`, { cause: e });
      throw e;
    }
  }

  private buffer(key: string, line: () => string): void {
    if (this.file !== null) this.pending.set(key, line());
  }

  /** Desires (or changes) an app, keyed by its process guid. */
  setDesired(d: DesiredApp): void {
    const a = this.checked('setDesired', () => checkApp(d, 'app', false));
    this.desiredMap.set(a.processGuid, d);
    this.buffer(`d:${a.processGuid}`, () => desireLine(a));
  }

  /** Deletes a desired app (no-op if absent). */
  deleteDesired(processGuid: string): void {
    if (!this.desiredMap.delete(processGuid)) return;
    this.buffer(`d:${processGuid}`, () => delLine('undesire', 'guid', processGuid));
  }

  /**
   * Stores a task, keyed by its guid. The map holds `t` itself; after changing a stored task's
   * fields, call this again: it journals the task's full value as it is now.
   */
  setTask(t: StoredTask): void {
    const c = this.checked('setTask', () => checkTask(t, 'task', false));
    this.taskMap.set(c.guid, t);
    this.buffer(`t:${c.guid}`, () => taskLine(c));
  }

  /** Deletes a task (no-op if absent). */
  deleteTask(guid: string): void {
    if (!this.taskMap.delete(guid)) return;
    this.buffer(`t:${guid}`, () => delLine('deltask', 'guid', guid));
  }

  /** Records the latest crash of instance index `id` (`${processGuid}.${index}`). */
  setCrash(id: string, rec: CrashRecord): void {
    const c = this.checked('setCrash', () => {
      checkInstanceId(id, 'id');
      return checkCrash(rec, 'crash', false);
    });
    this.crashMap.set(id, rec);
    this.buffer(`c:${id}`, () => crashLine(id, c));
  }

  /** Forgets the crash of instance index `id` (no-op if absent). */
  deleteCrash(id: string): void {
    if (!this.crashMap.delete(id)) return;
    this.buffer(`c:${id}`, () => delLine('delcrash', 'id', id));
  }

  /** Records why instance index `id` (`${processGuid}.${index}`) could not be placed. */
  setPlacementError(id: string, error: string): void {
    this.checked('setPlacementError', () => {
      checkInstanceId(id, 'id');
      checkError(error, 'error');
    });
    this.perrMap.set(id, error);
    this.buffer(`p:${id}`, () => perrLine(id, error));
  }

  /** Forgets the placement error of instance index `id` (no-op if absent). */
  deletePlacementError(id: string): void {
    if (!this.perrMap.delete(id)) return;
    this.buffer(`p:${id}`, () => delLine('delperr', 'id', id));
  }

  /**
   * Stores a cron entry, keyed by its name. After changing a stored entry's fields (its last tick),
   * call this again: it journals the entry's full value as it is now.
   */
  setCron(c: CronEntry): void {
    const v = this.checked('setCron', () => checkCron(c, 'cron', false));
    this.cronMap.set(v.name, c);
    this.buffer(`k:${v.name}`, () => cronLine(v));
  }

  /** Deletes a cron entry (no-op if absent); its tasks stay. */
  deleteCron(name: string): void {
    if (!this.cronMap.delete(name)) return;
    this.buffer(`k:${name}`, () => delLine('delcron', 'guid', name));
  }

  /**
   * Writes every change made since the last sync as appended records and fsyncs the file; no-op when
   * nothing changed or memory-only. Call before answering 2xx. If the append or its fsync fails,
   * the whole file is rewritten from memory at once (and at every later sync until that works); the
   * error is thrown only if that fails too, with the changes still pending.
   */
  sync(): void {
    if (this.file === null || (this.pending.size === 0 && !this.rewrite)) return;
    if (this.rewrite) {
      this.compact();
      return;
    }
    let appendError: Error | null = null;
    try {
      this.append(this.file);
    } catch (e) {
      appendError = e as Error;
      this.rewrite = true;
    }
    if (appendError !== null) {
      try {
        this.compact();
      } catch (e) {
        throw new Error(`${this.file}: cannot write the state journal (${appendError.message}; rewriting it failed too: ${(e as Error).message})`, { cause: e });
      }
      this.log(`${this.file}: appending failed (${appendError.message}); rewrote the journal instead`);
      return;
    }
    if (this.records > Math.max(this.compactAfter, 2 * this.live(), this.retryCompactionAt)) {
      // The changes are durable already; a failed compaction only leaves the file longer.
      try {
        this.compact();
      } catch (e) {
        this.retryCompactionAt = 2 * this.records;
        this.log(`${this.file}: compaction failed (${(e as Error).message}); the journal is intact, retrying at ${this.retryCompactionAt} records`);
      }
    }
  }

  private append(file: string): void {
    const buf = Buffer.from([...this.pending.values(), ''].join('\n'));
    // No O_CREAT: if the file was removed under us, appending would make a file with no header.
    const fd = openSync(file, constants.O_WRONLY | constants.O_APPEND);
    try {
      writeAll(fd, buf);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.records += this.pending.size;
    this.pending.clear();
  }

  /**
   * Deletes COMPLETED tasks completed more than retentionMs ago, strictly (bbs
   * db/sqldb/task_convergence.go: first_completed_at < now - expiry; journalled like
   * {@link BBSStore.deleteTask}; {@link BBSStore.sync} writes it); returns their guids. A COMPLETED
   * task with no completion time is kept.
   */
  pruneCompleted(nowMs: number, retentionMs: number): string[] {
    const gone: string[] = [];
    for (const t of this.taskMap.values()) {
      if (t.state === 'COMPLETED' && t.completedAtMs !== null && nowMs - t.completedAtMs > retentionMs) gone.push(t.guid);
    }
    for (const g of gone) this.deleteTask(g);
    return gone;
  }

  /**
   * Rewrites the file as one record per live entry (temp file, fsync, rename, fsync of the
   * directory); the old file stays whole until the rename. Pending changes are part of it, so it also
   * does what {@link BBSStore.sync} does. No-op when memory-only.
   */
  compact(): void {
    if (this.file === null) return;
    // The current values of the maps, checked again: a caller may have changed an object after its
    // setter, and the rewritten file must still be one a restart reads.
    const lines = [HEADER];
    const put = (check: () => string) => lines.push(this.checked('compact', check));
    for (const a of this.desiredMap.values()) put(() => desireLine(checkApp(a, `app ${a.processGuid}`, false)));
    for (const t of this.taskMap.values()) put(() => taskLine(checkTask(t, `task ${t.guid}`, false)));
    for (const [id, c] of this.crashMap) put(() => crashLine(id, checkCrash(c, `crash ${id}`, false)));
    for (const [id, e] of this.perrMap) put(() => perrLine(id, e));
    for (const c of this.cronMap.values()) put(() => cronLine(checkCron(c, `cron ${c.name}`, false)));
    lines.push('');
    const tmp = `${this.file}.tmp`;
    try {
      const fd = openSync(tmp, 'w');
      try {
        writeAll(fd, Buffer.from(lines.join('\n')));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, this.file);
    } catch (e) {
      try {
        unlinkSync(tmp);
      } catch {
        // Already gone (renamed, or never made).
      }
      throw e;
    }
    fsyncDir(dirname(this.file)); // the rename itself is durable only once the directory is
    this.records = lines.length - 2;
    this.pending.clear();
    this.rewrite = false;
    this.retryCompactionAt = 0;
  }

  private live(): number {
    return this.desiredMap.size + this.taskMap.size + this.crashMap.size + this.perrMap.size + this.cronMap.size;
  }

  /** For logs and tests: records in the file now (header excluded), live entries. */
  stats(): { records: number; live: number } {
    return { records: this.records, live: this.live() };
  }
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

// writeSync may write less than asked (a signal, a nearly full disk); loop until all is written.
function writeAll(fd: number, buf: Buffer): void {
  for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off);
}

function fsyncDir(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch (e) {
    // Platforms where a directory cannot be opened (Windows) have no directory fsync to do.
    if ((e as NodeJS.ErrnoException).code === 'EISDIR' || (e as NodeJS.ErrnoException).code === 'EPERM') return;
    throw e;
  }
  try {
    fsyncSync(fd);
  } catch (e) {
    // Some file systems do not support fsync on a directory; the rename is then as durable as it gets.
    if ((e as NodeJS.ErrnoException).code !== 'EINVAL' && (e as NodeJS.ErrnoException).code !== 'ENOTSUP') throw e;
  } finally {
    closeSync(fd);
  }
}
