// The real auctioneer's BBS journal: what is synced survives a reopen, user-supplied names are only
// keys, a torn last append is dropped, anything else wrong is refused with a one-line error and the
// file untouched, version 1 files are converted, and the file stays bounded.
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BBSStore, type DesiredApp, type StoredTask } from '../../src/real/bbs-store.js';
import { isGuid } from '../../src/real/names.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function freshDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'bbs-store-'));
  dirs.push(d);
  return d;
}

function journal(): string {
  return join(freshDir(), 'state.jsonl');
}

const HEADER = '{"journal":"auctionlab-bbs","version":2}';

function app(processGuid: string, over: Partial<DesiredApp> = {}): DesiredApp {
  return { processGuid, instances: 2, memoryMB: 256, diskMB: 512, template: 'sleeper', placementTags: ['blue'], ...over };
}

function task(guid: string, over: Partial<StoredTask> = {}): StoredTask {
  return {
    guid,
    state: 'PENDING',
    cell: null,
    createdAtMs: 1_000,
    sentAtMs: null,
    template: 'sleeper',
    memoryMB: 64,
    diskMB: 0,
    rejections: 0,
    failed: false,
    failureReason: '',
    ranOn: [],
    cellBoot: null,
    completedAtMs: null,
    ...over,
  };
}

/** Everything a store holds, as plain data to compare. */
function contents(s: BBSStore) {
  return {
    desired: [...s.desired.entries()],
    tasks: [...s.tasks.entries()],
    crashes: [...s.crashes.entries()],
    placementErrors: [...s.placementErrors.entries()],
  };
}

function openError(file: string): string {
  try {
    BBSStore.open(file);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected BBSStore.open to throw');
}

describe('BBSStore', () => {
  it('round trip: every kind of set and delete survives sync and reopen', () => {
    const file = journal();
    const s = BBSStore.open(file);
    s.setDesired(app('web'));
    s.setDesired(app('worker', { instances: 0, placementTags: [] }));
    s.setDesired(app('gone'));
    s.deleteDesired('gone');
    s.setTask(task('t1'));
    s.setTask(task('t2', { state: 'RUNNING', cell: 'c1', sentAtMs: 2_000, ranOn: ['c1'], cellBoot: 'boot-7' }));
    s.setTask(task('t3', { state: 'COMPLETED', failed: true, failureReason: 'exit 1', completedAtMs: 3_000 }));
    s.setTask(task('t4'));
    s.deleteTask('t4');
    s.setCrash('web.0', { count: 1, crashedAtMs: 5_000 });
    s.setCrash('web.1', { count: 3, crashedAtMs: 6_000 });
    s.deleteCrash('web.1');
    s.setPlacementError('worker.3', 'insufficient resources: memory');
    s.setPlacementError('worker.4', 'found no compatible cell');
    s.deletePlacementError('worker.4');
    s.sync();
    const again = BBSStore.open(file);
    expect(contents(again)).toEqual(contents(s));
    expect(again.desired.get('gone')).toBeUndefined();
    expect(again.tasks.get('t2')?.cellBoot).toBe('boot-7');
    expect(again.tasks.get('t3')?.completedAtMs).toBe(3_000);
    expect([...again.crashes.keys()]).toEqual(['web.0']);
    expect(again.stats()).toEqual({ records: 7, live: 7 });

    // Changes and deletions after a reopen are journalled too.
    again.deleteTask('t1');
    again.setDesired(app('web', { instances: 5 }));
    again.sync();
    const third = BBSStore.open(file);
    expect(third.tasks.has('t1')).toBe(false);
    expect(third.desired.get('web')?.instances).toBe(5);
  });

  it('cron entries: set, changed and deleted survive sync, reopen and compaction; a bad cron record is one line', () => {
    const file = journal();
    const s = BBSStore.open(file);
    const entry = { name: 'report', schedule: '*/5 * * * *', concurrency: 'forbid' as const, startingDeadlineMs: 30_000, historyLimit: 3, lateAfterMs: 10_000, template: 'web', memoryMB: 64, diskMB: 0, createdAtMs: 1_000, lastScheduledMs: 1_000 };
    s.setCron(entry);
    s.setCron({ ...entry, name: 'gone' });
    s.deleteCron('gone');
    s.sync();
    entry.lastScheduledMs = 301_000;
    s.setCron(entry);
    s.sync();
    const again = BBSStore.open(file);
    expect([...again.cron.values()]).toEqual([entry]);
    expect(again.stats()).toEqual({ records: 1, live: 1 });
    expect(() => s.setCron({ ...entry, schedule: '61 * * * *' })).toThrow(/BBSStore.setCron: cron.schedule: expected a schedule/);
    expect(() => s.setCron({ ...entry, name: 'a.b' })).toThrow(/cron.name: expected a guid/);
    writeFileSync(file, `{"journal":"auctionlab-bbs","version":2}\n{"op":"cron","cron":${JSON.stringify({ ...entry, concurrency: 'sometimes' })}}\n`);
    expect(openError(file)).toMatch(/:2: cron.concurrency: expected allow, forbid or replace, got "sometimes"; move the file away/);
  });

  it('a memory-only store works and writes nothing', () => {
    const dir = freshDir();
    const s = BBSStore.open(null);
    s.setDesired(app('web'));
    s.setTask(task('t1'));
    s.setCrash('web.0', { count: 1, crashedAtMs: 1 });
    s.setPlacementError('web.1', 'no cell');
    s.sync();
    s.compact();
    expect(s.desired.get('web')?.instances).toBe(2);
    expect(s.tasks.get('t1')?.state).toBe('PENDING');
    expect(s.stats()).toEqual({ records: 0, live: 4 });
    s.deleteTask('t1');
    expect(s.tasks.size).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('prototype names are ordinary keys, stored and reopened, and absent ones read as undefined', () => {
    const file = journal();
    const s = BBSStore.open(file);
    for (const k of ['toString', 'valueOf']) {
      expect(s.desired.get(k)).toBeUndefined();
      expect(s.tasks.get(k)).toBeUndefined();
      expect(s.crashes.get(`${k}.0`)).toBeUndefined();
      expect(s.placementErrors.get(k)).toBeUndefined();
    }
    const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];
    for (const [i, k] of names.entries()) {
      s.setDesired(app(k, { instances: i + 1 }));
      s.setTask(task(k, { memoryMB: i + 10 }));
      s.setCrash(`${k}.${i}`, { count: i, crashedAtMs: 100 + i });
      s.setPlacementError(`${k}.${i}`, `error ${k}`);
    }
    s.deleteDesired('valueOf'); // absent, and a prototype name: a no-op
    s.sync();
    const again = BBSStore.open(file);
    for (const [i, k] of names.entries()) {
      expect(again.desired.get(k)).toEqual(app(k, { instances: i + 1 }));
      expect(again.tasks.get(k)?.memoryMB).toBe(i + 10);
      expect(again.crashes.get(`${k}.${i}`)).toEqual({ count: i, crashedAtMs: 100 + i });
      expect(again.placementErrors.get(`${k}.${i}`)).toBe(`error ${k}`);
    }
    expect(again.desired.size).toBe(4);
    expect(again.desired.get('valueOf')).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call({}, 'web')).toBe(false); // Object.prototype untouched
    expect(({} as Record<string, unknown>)['instances']).toBeUndefined();
    again.deleteDesired('__proto__');
    again.sync();
    expect(BBSStore.open(file).desired.has('__proto__')).toBe(false);
  });

  it('nothing is written before sync; after it the file ends with a newline and a reopen sees everything', () => {
    const file = journal();
    const s = BBSStore.open(file);
    expect(readFileSync(file, 'utf8')).toBe(`${HEADER}\n`);
    s.setDesired(app('web'));
    const t = task('t1');
    s.setTask(t);
    t.state = 'RUNNING';
    t.cell = 'c1';
    t.ranOn.push('c1');
    s.setTask(t); // the map holds the same object: journal its value now
    expect(s.tasks.get('t1')).toBe(t);
    expect(readFileSync(file, 'utf8')).toBe(`${HEADER}\n`);
    expect(BBSStore.open(file).tasks.size).toBe(0);
    s.sync();
    const text = readFileSync(file, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(text.split('\n')).toHaveLength(4); // header, app, one task record (coalesced), ""
    const again = BBSStore.open(file);
    expect(again.tasks.get('t1')).toEqual(t);
    expect(again.desired.get('web')).toEqual(app('web'));
    // A sync with nothing new writes nothing.
    const before = readFileSync(file, 'utf8');
    again.sync();
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('a torn last line is dropped with a log line, earlier state intact, and the file compacted', () => {
    const file = journal();
    const s = BBSStore.open(file);
    s.setDesired(app('web'));
    s.setTask(task('t1'));
    s.sync();
    const whole = `{"op":"task","task":${JSON.stringify(task('t2'))}}`;
    appendFileSync(file, whole.slice(0, Math.floor(whole.length / 2)));
    const logs: string[] = [];
    const again = BBSStore.open(file, { log: (l) => logs.push(l) });
    expect(contents(again)).toEqual(contents(s));
    expect(again.tasks.has('t2')).toBe(false);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toContain(`${file}:4: dropped an incomplete last record`);
    const text = readFileSync(file, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(text).not.toContain('"t2"');
    // Appending after the repair gives a readable journal.
    again.setTask(task('t3'));
    again.sync();
    expect([...BBSStore.open(file).tasks.keys()].sort()).toEqual(['t1', 't3']);
  });

  const corruptions: { name: string; line: number; path: string; edit: (lines: string[]) => string[] }[] = [
    { name: 'bad JSON in the middle', line: 2, path: '(record)', edit: (l) => [l[0]!, '{"op":"desire","app":{', ...l.slice(1)] },
    { name: 'instances -1', line: 2, path: 'app.instances', edit: (l) => [l[0]!, l[1]!.replace('"instances":2', '"instances":-1'), ...l.slice(2)] },
    { name: 'guid "../x"', line: 3, path: 'task.guid', edit: (l) => [l[0]!, l[1]!, l[2]!.replace('"guid":"t1"', '"guid":"../x"'), ...l.slice(3)] },
    { name: 'unknown op', line: 3, path: 'op', edit: (l) => [...l.slice(0, 2), '{"op":"explode","guid":"t1"}', ...l.slice(2)] },
    { name: 'wrong header version', line: 1, path: 'version', edit: (l) => ['{"journal":"auctionlab-bbs","version":3}', ...l.slice(1)] },
    { name: 'wrong header name', line: 1, path: 'journal', edit: (l) => ['{"journal":"other","version":2}', ...l.slice(1)] },
    { name: 'no header', line: 1, path: '(header)', edit: (l) => l.slice(1) },
    { name: 'a task field of the wrong type', line: 3, path: 'task.failed', edit: (l) => [l[0]!, l[1]!, l[2]!.replace('"failed":false', '"failed":"no"'), ...l.slice(3)] },
    { name: 'a missing field', line: 2, path: 'app.template', edit: (l) => [l[0]!, l[1]!.replace('"template":"sleeper",', ''), ...l.slice(2)] },
    { name: 'an unknown field', line: 2, path: 'app.colour', edit: (l) => [l[0]!, l[1]!.replace('"instances"', '"colour":"red","instances"'), ...l.slice(2)] },
    { name: 'a bad crash id', line: 4, path: 'id', edit: (l) => [...l.slice(0, 3), l[3]!.replace('"web.0"', '"web.x"'), ...l.slice(4)] },
    { name: 'a blank line in the middle', line: 2, path: '(record)', edit: (l) => [l[0]!, '', ...l.slice(1)] },
  ];

  it.each(corruptions)('a bad record ($name) is one line naming file:line and the field path, and the file is left unchanged', ({ line, path, edit }) => {
    const file = journal();
    const s = BBSStore.open(file);
    s.setDesired(app('web'));
    s.setTask(task('t1'));
    s.setCrash('web.0', { count: 1, crashedAtMs: 5 });
    s.sync();
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines).toHaveLength(5);
    const bad = edit(lines).join('\n');
    writeFileSync(file, bad);
    const msg = openError(file);
    expect(msg).not.toContain('\n');
    expect(msg.startsWith(`${file}:${line}: ${path}: expected `)).toBe(true);
    expect(msg).toMatch(/, got .{1,70}; move the file away or pass another --state$/);
    expect(readFileSync(file, 'utf8')).toBe(bad);
    expect(existsSync(`${file}.tmp`)).toBe(false);
  });

  it('a file that is not a journal at all is refused and never overwritten', () => {
    const file = journal();
    writeFileSync(file, 'hello, world\n');
    expect(openError(file)).toMatch(/:1: \(header\): expected an auctionlab state journal .*got "hello, world"; move the file away/);
    writeFileSync(file, '');
    expect(openError(file)).toContain(`${file}:1: (header)`);
    expect(readFileSync(file, 'utf8')).toBe('');
  });

  it('the setters refuse bad values and change nothing', () => {
    const file = journal();
    const s = BBSStore.open(file);
    expect(() => s.setTask(task('../x'))).toThrow(/^BBSStore\.setTask: task\.guid: expected a guid/);
    expect(() => s.setDesired(app('web', { instances: -1 }))).toThrow(/app\.instances: expected a whole number 0\.\.10000, got -1/);
    expect(() => s.setDesired(app('web', { memoryMB: -1 }))).toThrow(/app\.memoryMB/);
    expect(() => s.setTask(task('t1', { state: 'DONE' as 'COMPLETED' }))).toThrow(/task\.state/);
    expect(() => s.setCrash('web', { count: 1, crashedAtMs: 1 })).toThrow(/BBSStore\.setCrash: id: expected an instance id/);
    expect(() => s.setCrash('web.01', { count: 1, crashedAtMs: 1 })).toThrow(/id: expected an instance id/);
    expect(() => s.setPlacementError('../x.0', 'e')).toThrow(/id: expected an instance id/);
    expect(s.stats().live).toBe(0);
    s.sync();
    expect(readFileSync(file, 'utf8')).toBe(`${HEADER}\n`);
    // Extra properties on the caller's object are kept in memory but not journalled.
    s.setTask({ ...task('t1'), extra: 1 } as StoredTask);
    s.sync();
    expect(BBSStore.open(file).tasks.get('t1')).toEqual(task('t1'));
    expect(isGuid('a-B_9')).toBe(true);
    expect(isGuid('a.b')).toBe(false);
    expect(isGuid('x'.repeat(129))).toBe(false);
    expect(isGuid(7)).toBe(false);
  });

  it('a version 1 file (as the old commit wrote it) is loaded and rewritten as version 2', () => {
    const file = journal();
    const oldTask = { guid: 't1', state: 'RUNNING', cell: 'c1', createdAtMs: 10, sentAtMs: 20, template: 'sleeper', memoryMB: 64, diskMB: 0, rejections: 1, failed: false, failureReason: '', ranOn: ['c1'] };
    const doneTask = { ...oldTask, guid: 't2', state: 'COMPLETED', cell: null, failed: true, failureReason: 'exit 1' };
    const v1 = {
      version: 1,
      desired: { web: app('web'), constructor: app('constructor', { instances: 1 }) },
      tasks: { t1: oldTask, t2: doneTask },
      crashes: { 'web.0': { count: 2, crashedAtMs: 30 } },
      placementErrors: { 'web.1': 'insufficient resources' },
    };
    writeFileSync(file, JSON.stringify(v1));
    const logs: string[] = [];
    const before = Date.now();
    const s = BBSStore.open(file, { log: (l) => logs.push(l) });
    expect(s.desired.get('web')).toEqual(app('web'));
    expect(s.desired.get('constructor')?.instances).toBe(1);
    expect(s.tasks.get('t1')).toEqual({ ...oldTask, cellBoot: null, completedAtMs: null });
    // A completed version 1 task counts as completed at the upgrade (it never said when), so it is
    // pruned a retention period later rather than never.
    expect(s.tasks.get('t2')?.completedAtMs).toBeGreaterThanOrEqual(before);
    expect(s.crashes.get('web.0')).toEqual({ count: 2, crashedAtMs: 30 });
    expect(s.placementErrors.get('web.1')).toBe('insufficient resources');
    expect(logs.join('\n')).toContain('version 1');
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith(`${HEADER}\n`)).toBe(true);
    expect(text.split('\n')).toHaveLength(1 + 6 + 1);
    expect(contents(BBSStore.open(file))).toEqual(contents(s));
  });

  it('a version 1 file is checked field by field, with paths such as desired.web.instances', () => {
    const file = journal();
    const bad = JSON.stringify({ version: 1, desired: { web: app('web', { instances: -1 }) }, tasks: {}, crashes: {}, placementErrors: {} });
    writeFileSync(file, bad);
    expect(openError(file)).toMatch(new RegExp(`^${file.replace(/[.\\]/g, '\\$&')}:1: desired\\.web\\.instances: expected a whole number 0\\.\\.10000, got -1; move the file away`));
    expect(readFileSync(file, 'utf8')).toBe(bad);
    writeFileSync(file, JSON.stringify({ version: 1, desired: { web: app('other') }, tasks: {} }));
    expect(openError(file)).toContain('desired.web.processGuid: expected "web" (its key), got "other"');
    writeFileSync(file, JSON.stringify({ version: 1, desired: {}, tasks: { t1: { guid: 't1' } } }));
    expect(openError(file)).toContain(':1: tasks.t1.');
  });

  it('pruneCompleted deletes only COMPLETED tasks completed more than the retention ago (strictly, as Diego), and the deletion is journalled', () => {
    const file = journal();
    const s = BBSStore.open(file);
    s.setTask(task('old', { state: 'COMPLETED', completedAtMs: 1_000 }));
    s.setTask(task('past', { state: 'COMPLETED', completedAtMs: 4_999 }));
    s.setTask(task('edge', { state: 'COMPLETED', completedAtMs: 5_000 }));
    s.setTask(task('recent', { state: 'COMPLETED', completedAtMs: 5_001 }));
    s.setTask(task('undated', { state: 'COMPLETED', completedAtMs: null }));
    s.setTask(task('running', { state: 'RUNNING', cell: 'c1', createdAtMs: 0 }));
    s.setTask(task('pending', { createdAtMs: 0 }));
    s.sync();
    expect(s.pruneCompleted(15_000, 10_000).sort()).toEqual(['old', 'past']);
    expect(s.pruneCompleted(15_000, 10_000)).toEqual([]);
    s.sync();
    expect([...BBSStore.open(file).tasks.keys()].sort()).toEqual(['edge', 'pending', 'recent', 'running', 'undated']);
  });

  it('compaction keeps the records bounded through many updates of one task, and a reopen gives the latest value', () => {
    const file = journal();
    const s = BBSStore.open(file, { compactAfterRecords: 50 });
    s.setDesired(app('web'));
    const t = task('t1');
    s.setTask(t);
    s.sync();
    let most = 0;
    for (let i = 1; i <= 500; i++) {
      t.rejections = i;
      t.sentAtMs = i;
      s.setTask(t);
      s.sync();
      most = Math.max(most, s.stats().records);
    }
    expect(most).toBeLessThanOrEqual(51);
    expect(s.stats().live).toBe(2);
    const lines = readFileSync(file, 'utf8').split('\n').length - 2;
    expect(lines).toBe(s.stats().records);
    const again = BBSStore.open(file);
    expect(again.tasks.get('t1')?.rejections).toBe(500);
    expect(again.stats()).toEqual({ records: 2, live: 2 });
    // An explicit compact writes one record per live entry.
    s.setCrash('web.0', { count: 1, crashedAtMs: 1 });
    s.compact();
    expect(s.stats()).toEqual({ records: 3, live: 3 });
    expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(5);
  });

  it('if the file is removed under it, the next sync rewrites it whole (no headerless appends)', () => {
    const file = journal();
    const logs: string[] = [];
    const s = BBSStore.open(file, { log: (l) => logs.push(l) });
    s.setTask(task('t1'));
    s.sync();
    unlinkSync(file);
    s.setTask(task('t2'));
    s.sync();
    expect(logs.join('\n')).toContain('rewrote the journal');
    expect(readFileSync(file, 'utf8').startsWith(`${HEADER}\n`)).toBe(true);
    expect([...BBSStore.open(file).tasks.keys()]).toEqual(['t1', 't2']);
  });
});
