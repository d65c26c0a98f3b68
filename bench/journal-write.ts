// Question: what does the real auctioneer's BBS journal (records appended at sync(), one write and
// one fsync per acknowledged request) cost against the old way of writing the whole state to a
// temporary file and renaming it after every change (no fsync), as a 1,000-task POST did it?
//
// Run: npx tsx bench/journal-write.ts   (npm run bench runs every benchmark)
import { mkdtempSync, renameSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BBSStore, type StoredTask } from '../src/real/bbs-store.js';
import { fmtMs, timed } from './timing.js';

const STORED = 4_000;
const SUBMIT = 1_000;
const SINGLE = 200;

function task(i: number): StoredTask {
  return {
    guid: `task-${String(i).padStart(6, '0')}`,
    state: 'PENDING',
    cell: null,
    createdAtMs: 1_764_000_000_000 + i,
    sentAtMs: null,
    template: 'sleeper',
    memoryMB: 128,
    diskMB: 256,
    rejections: 0,
    failed: false,
    failureReason: '',
    ranOn: [],
    cellBoot: null,
    completedAtMs: null,
  };
}

/** The state as the old store held it: plain objects, written whole by commit(). */
interface OldState {
  version: 1;
  desired: Record<string, unknown>;
  tasks: Record<string, StoredTask>;
  crashes: Record<string, unknown>;
  placementErrors: Record<string, string>;
}

/** The old commit(): the whole state to a temporary file, renamed over the journal (no fsync). */
function oldCommit(file: string, state: OldState): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, file);
}

function oldStore(file: string, stored: number): OldState {
  const state: OldState = { version: 1, desired: {}, tasks: {}, crashes: {}, placementErrors: {} };
  for (let i = 0; i < stored; i++) state.tasks[task(i).guid] = task(i);
  oldCommit(file, state);
  return state;
}

function newStore(file: string, stored: number): BBSStore {
  const s = BBSStore.open(file);
  for (let i = 0; i < stored; i++) s.setTask(task(i));
  s.sync();
  return BBSStore.open(file); // as after a restart: the file compacted, one record per task
}

/** A POST of `n` tasks, the old way: the old auctioneer committed once per submitted task. */
function oldSubmit(file: string, state: OldState, from: number, n: number): void {
  for (let i = from; i < from + n; i++) {
    const t = task(i);
    state.tasks[t.guid] = t;
    oldCommit(file, state);
  }
}

/** A POST of `n` tasks, the new way: set each, one sync before the reply. */
function newSubmit(s: BBSStore, from: number, n: number): void {
  for (let i = from; i < from + n; i++) s.setTask(task(i));
  s.sync();
}

// File systems by statfs magic: on tmpfs an fsync costs nothing and the figures would flatter the journal.
const FS_TYPES = new Map([
  [0xef53, 'ext4'],
  [0x01021994, 'tmpfs'],
  [0x58465342, 'xfs'],
  [0x9123683e, 'btrfs'],
  [0x794c7630, 'overlayfs'],
]);

/** Sub-millisecond latencies in µs (fmtMs shows tenths of a millisecond). */
function fmtLatency(ms: number): string {
  return ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : fmtMs(ms);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** p50 and p99 of `runs` single-task submits, each answered (committed or synced) on its own. */
function latencies(runs: number, submitOne: (i: number) => void): { p50: number; p99: number } {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    submitOne(i);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p99: percentile(ms, 99) };
}

/** Runs the benchmark, prints its lines and returns them. */
export function run(): string[] {
  const lines: string[] = [];
  const say = (s: string) => {
    lines.push(s);
    console.log(s);
  };
  const dir = mkdtempSync(join(tmpdir(), 'journal-write-'));
  try {
    const fsType = statfsSync(dir).type;
    say(
      `## journal-write: a ${SUBMIT.toLocaleString('en')}-task POST into the BBS journal, empty and with ${STORED.toLocaleString('en')} tasks stored ` +
        `(a temporary directory on ${FS_TYPES.get(fsType) ?? `file system 0x${fsType.toString(16)}`})`,
    );
    const f = (name: string) => join(dir, name);

    // Warm-up of both ways (compilation is not what is measured).
    oldSubmit(f('warm.json'), oldStore(f('warm.json'), 0), 0, 50);
    newSubmit(newStore(f('warm.jsonl'), 0), 0, SUBMIT);

    const rows: [string, number, number][] = [];
    for (const stored of [0, STORED]) {
      const oldState = oldStore(f(`old-${stored}.json`), stored);
      const store = newStore(f(`new-${stored}.jsonl`), stored);
      const old = timed(() => oldSubmit(f(`old-${stored}.json`), oldState, stored, SUBMIT));
      const neu = timed(() => newSubmit(store, stored, SUBMIT));
      if (BBSStore.open(f(`new-${stored}.jsonl`)).tasks.size !== stored + SUBMIT) throw new Error('journal lost tasks');
      rows.push([`${stored.toLocaleString('en')} stored`, old.ms, neu.ms]);
    }
    for (const [what, old, neu] of rows) {
      say(`  ${what.padEnd(12)}: old (whole state + rename per task, no fsync) ${fmtMs(old)}, journal (append + one fsync) ${fmtMs(neu)}: ratio ${(old / neu).toFixed(0)}x`);
    }

    // One task per request, each answered on its own, with the 5,000 tasks of the second POST stored.
    const base = STORED + SUBMIT;
    const oldState = oldStore(f('old-single.json'), base);
    const store = newStore(f('new-single.jsonl'), base);
    const old = latencies(SINGLE, (i) => oldSubmit(f('old-single.json'), oldState, base + i, 1));
    const neu = latencies(SINGLE, (i) => newSubmit(store, base + i, 1));
    if (BBSStore.open(f('new-single.jsonl')).tasks.size !== base + SINGLE) throw new Error('journal lost tasks');
    say(
      `single-task submit, ${SINGLE} in a row with ${base.toLocaleString('en')} stored: old p50 ${fmtLatency(old.p50)}, p99 ${fmtLatency(old.p99)}; ` +
        `journal (setTask + sync, fsynced) p50 ${fmtLatency(neu.p50)}, p99 ${fmtLatency(neu.p99)}: ratio ${(old.p50 / neu.p50).toFixed(1)}x at p50, ${(old.p99 / neu.p99).toFixed(1)}x at p99`,
    );

    const reopen = timed(() => BBSStore.open(f('new-single.jsonl')));
    say(`start: opening the journal of ${reopen.value.tasks.size.toLocaleString('en')} tasks (replay, checks, compaction) ${fmtMs(reopen.ms)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) run();
