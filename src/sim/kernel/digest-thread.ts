import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { DigestBytes, type DigestSink } from './digest-bytes.js';
import { CHUNK_DOUBLES, RecordEncoder, replayRecords, type RecordChunk } from './digest-records.js';
import type { NoteFields } from './note-text.js';

// The control words the two threads share (an Int32Array over a SharedArrayBuffer). A worker that
// fails sets C_FAILED first and then changes every word the simulation may be waiting on, so a wait
// ends and finds the failure.
/** 1 once the digest asked for is on the reply port (the simulation sets it to 0 as it asks). */
export const C_ANSWERED = 0;
/** Chunks sent and not yet hashed (-1 once the worker has failed). */
export const C_IN_FLIGHT = 1;
/** 1 once the worker has failed (for good: it replays nothing after), its message on the reply port. */
export const C_FAILED = 2;
/** The worker's code: 0 loading, 1 loaded (chunks may be sent), 2 it could not be loaded. */
export const C_LOADED = 3;
const CONTROL_WORDS = 4;

/** What the worker is started with. */
export interface DigestWorkerData {
  /** The control words (see C_ANSWERED and after). */
  readonly control: SharedArrayBuffer;
  /** Where the worker replies: used buffers, the digest, its failure. */
  readonly replies: MessagePort;
}

/** A message to the worker: a chunk to hash, or a request for the digest so far. */
export type ToDigestWorker = { readonly chunk: RecordChunk } | { readonly digest: true };
/** A message from the worker. */
export type FromDigestWorker = { readonly used: ArrayBuffer } | { readonly digest: string } | { readonly failed: string };

// Chunks in flight before the simulation waits for the worker (16 MiB of records): a bound on the
// memory the two threads' difference in speed can take (the worker keeps up in every run measured).
// Also the most chunks held while the worker's code loads.
const MAX_IN_FLIGHT = 128;
// How long the simulation waits for the worker at most (ms; a worker that takes this long has
// failed without saying so, say it ran out of memory). Not a timer of the simulation: a bound on
// waiting for another thread.
const WAIT_MS = 120_000;

// Stops the worker of a sink collected without having been closed (a simulation set up and never
// finished): it would otherwise wait for chunks for as long as the process runs.
const unclosed = new FinalizationRegistry<Worker>((worker) => void worker.terminate());

/**
 * A {@link DigestSink} whose bytes are written out and hashed in a worker thread
 * (digest-worker.ts): the simulation's thread encodes each event and note as numbers
 * (digest-records.ts) and sends them a chunk at a time, and waits only for the digest itself (and
 * when the worker has fallen far behind). The digest is the one {@link DigestBytes} gives.
 *
 * Chunks are held until the worker's code has loaded; if it cannot be (no built worker file, the
 * TypeScript sources without tsx), the held chunks and every later one are replayed here instead,
 * into a DigestBytes: the same digest, without the thread. A worker that fails later (it cannot
 * replay a chunk, it stops answering) fails the run: its digest would be wrong.
 */
export class DigestThread implements DigestSink {
  private readonly encoder: RecordEncoder;
  private readonly spare: ArrayBuffer[] = [];
  // Chunks made before the worker's code loaded (null once it has, or the sink hashes here).
  private held: RecordChunk[] | null = [];
  // Where chunks are replayed when the worker could not be loaded, with the table of names.
  private here: { bytes: DigestBytes; names: string[] } | null = null;
  private closed = false;
  // Why the sink cannot go on (the worker failed or stopped answering), once known.
  private broken: string | null = null;
  // The digest last answered, and whether anything was recorded since (after close, the digest
  // can still be read if nothing was).
  private last: string | null = null;
  private since = false;

  // The worker and its reply port, once started (at the first chunk: a run that fails while it is
  // set up, before a chunk fills, has started none).
  private worker: Worker | null = null;
  private replies: MessagePort | null = null;
  private readonly control = new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * 4));

  /**
   * A sink whose worker starts when the first chunk is full. `workerUrl`: the worker's module (tests
   * name one that cannot be loaded).
   */
  constructor(private readonly workerUrl = digestWorkerUrl()) {
    this.encoder = new RecordEncoder(
      (chunk) => this.send(chunk),
      () => this.freshBuffer(),
    );
  }

  // Starts the worker (its code loads while the run goes on); if no worker thread can be started
  // here, the chunks are replayed in this thread from now on.
  private startWorker(): void {
    const { port1, port2 } = new MessageChannel();
    let worker: Worker;
    try {
      worker = new Worker(bootstrap(this.workerUrl), { eval: true, workerData: { control: this.control.buffer as SharedArrayBuffer, replies: port2 } satisfies DigestWorkerData, transferList: [port2] });
    } catch {
      port1.close();
      this.hashHere();
      return;
    }
    // The process ends when the simulation does, whether or not the worker was closed.
    worker.unref();
    // A failure is reported through the control words and the reply port (see digest-worker.ts);
    // the event would otherwise be an uncaught error in a process that never turns its loop.
    worker.on('error', () => undefined);
    this.worker = worker;
    this.replies = port1;
    unclosed.register(this, worker, this);
  }

  /** See {@link DigestSink.event}. */
  event(time: number, nameHash: number, a: number, b: number): void {
    this.recording();
    this.encoder.event(time, nameHash, a, b);
  }

  /** See {@link DigestSink.note}. */
  note(t: number, kind: string, fields: NoteFields): void {
    this.recording();
    this.encoder.note(t, kind, fields);
  }

  /** See {@link DigestSink.lrpNote}. */
  lrpNote(t: number, kind: string, processGuid: string, index: number, cell: string, key?: string, value?: string): void {
    this.recording();
    this.encoder.lrpNote(t, kind, processGuid, index, cell, key, value);
  }

  /** See {@link DigestSink.text}. */
  text(text: string): void {
    this.recording();
    this.encoder.text(text);
  }

  /** See {@link DigestSink.digest}. */
  digest(): string {
    if (this.last !== null && !this.since) return this.last;
    this.usable();
    // Asked before a chunk ever filled (a small run): hashed here, with no thread started for it.
    if (this.worker === null) this.hashHere();
    this.encoder.flush();
    if (this.held !== null) this.release(true);
    const d = this.here !== null ? this.here.bytes.digest() : this.askWorker();
    this.last = d;
    this.since = false;
    return d;
  }

  /** See {@link DigestSink.close}. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    unclosed.unregister(this);
    this.held = null;
    this.replies?.close();
    void this.worker?.terminate();
  }

  // A record is about to be made: refused at once when the sink cannot take it.
  private recording(): void {
    if (this.closed || this.broken !== null) this.usable();
    this.since = true;
  }

  // Throws when the sink is closed or broken.
  private usable(): void {
    if (this.closed) throw new Error('digest: the digest thread was closed');
    if (this.broken !== null) throw new Error(`digest: the digest thread failed: ${this.broken}`);
  }

  // The digest so far from the worker (every chunk sent).
  private askWorker(): string {
    Atomics.store(this.control, C_ANSWERED, 0);
    this.post({ digest: true });
    this.waitWhile(C_ANSWERED, (v) => v === 0);
    for (;;) {
      const m = this.reply();
      if (m === undefined) return this.fail('it answered nothing');
      if ('digest' in m) return m.digest;
    }
  }

  private send(chunk: RecordChunk): void {
    this.usable();
    // The first chunk starts the worker (or, if none can be started, the hashing here).
    if (this.held !== null && this.worker === null) this.startWorker();
    const here = this.here;
    if (here !== null) {
      replayRecords(chunk, here.names, here.bytes);
      return;
    }
    if (this.held !== null) {
      this.held.push(chunk);
      // Until the worker's code has loaded, or while its load is pending and room is left.
      this.release(this.held.length >= MAX_IN_FLIGHT);
      return;
    }
    if ((Atomics.load(this.control, C_IN_FLIGHT) as number) >= MAX_IN_FLIGHT) this.waitWhile(C_IN_FLIGHT, (v) => v >= MAX_IN_FLIGHT);
    this.post({ chunk }, [chunk.buffer]);
  }

  // The held chunks go to the worker once its code has loaded, or are replayed here if it could not
  // be; `wait`: the load is waited for (else, while it is pending, they stay held). A worker that
  // has not loaded in WAIT_MS (it died before it could say) counts as not loaded: nothing has been
  // sent to it, so nothing is lost.
  private release(wait: boolean): void {
    const held = this.held;
    if (held === null) return;
    if (wait && Atomics.load(this.control, C_LOADED) === 0) Atomics.wait(this.control, C_LOADED, 0, WAIT_MS);
    const loaded = Atomics.load(this.control, C_LOADED);
    if (loaded === 0 && !wait) return;
    this.held = null;
    if (loaded === 1) {
      for (const chunk of held) this.post({ chunk }, [chunk.buffer]);
      return;
    }
    const here = this.hashHere();
    for (const chunk of held) replayRecords(chunk, here.names, here.bytes);
  }

  // Hashes in this thread from now on (the worker could not be started or loaded, or was not needed).
  private hashHere(): { bytes: DigestBytes; names: string[] } {
    this.here ??= { bytes: new DigestBytes(), names: [] };
    this.held = null;
    if (this.worker !== null) {
      unclosed.unregister(this);
      void this.worker.terminate();
    }
    return this.here;
  }

  private post(m: ToDigestWorker, transfer: ArrayBuffer[] = []): void {
    if (Atomics.load(this.control, C_FAILED) === 1) this.failed();
    if ('chunk' in m) Atomics.add(this.control, C_IN_FLIGHT, 1);
    (this.worker as Worker).postMessage(m, transfer);
  }

  // A buffer the worker is done with, else a new one.
  private freshBuffer(): ArrayBuffer {
    for (;;) {
      const kept = this.spare.pop();
      if (kept !== undefined) return kept;
      if (this.held !== null || this.here !== null || this.closed) return new ArrayBuffer(CHUNK_DOUBLES * 8);
      const m = this.reply();
      if (m === undefined) return new ArrayBuffer(CHUNK_DOUBLES * 8);
    }
  }

  // The next reply, if one is there; used buffers are kept for the next chunks on the way.
  private reply(): FromDigestWorker | undefined {
    const got = this.replies === null ? undefined : receiveMessageOnPort(this.replies);
    if (got === undefined) return undefined;
    const m = got.message as FromDigestWorker;
    if ('used' in m) this.spare.push(m.used);
    else if ('failed' in m) this.fail(m.failed);
    return m;
  }

  // Waits while `waiting` holds of control word `at`; ends with the worker's failure if it fails.
  private waitWhile(at: number, waiting: (value: number) => boolean): void {
    for (;;) {
      const now = Atomics.load(this.control, at);
      if (Atomics.load(this.control, C_FAILED) === 1) this.failed();
      if (!waiting(now)) return;
      if (Atomics.wait(this.control, at, now, WAIT_MS) === 'timed-out' && Atomics.load(this.control, at) === now) {
        if (Atomics.load(this.control, C_FAILED) === 1) this.failed();
        this.fail(`it did not answer in ${WAIT_MS / 1000} s`);
      }
    }
  }

  // The worker said it failed: its message is on the reply port (reply() fails the sink on it).
  private failed(): never {
    for (;;) if (this.reply() === undefined) return this.fail('no reason given');
  }

  // The sink cannot go on (a digest now could be wrong): it says why from now on.
  private fail(why: string): never {
    this.broken ??= why;
    void this.worker?.terminate();
    throw new Error(`digest: the digest thread failed: ${this.broken}`);
  }
}

// The worker's module: the built .js beside this one, or in the TypeScript sources (as the tests
// run them) the .ts.
function digestWorkerUrl(): string {
  return new URL(import.meta.url.endsWith('.ts') ? './digest-worker.ts' : './digest-worker.js', import.meta.url).href;
}

// The worker's first code: loads its module (a .ts through tsx) and says whether it could (C_LOADED).
function bootstrap(url: string): string {
  const load = url.endsWith('.ts') ? `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url)}); })` : `import(${JSON.stringify(url)})`;
  return `const { workerData } = require('node:worker_threads');
const c = new Int32Array(workerData.control);
const said = (loaded) => { Atomics.store(c, ${C_LOADED}, loaded); Atomics.notify(c, ${C_LOADED}); };
${load}.then(() => said(1), () => { said(2); process.exit(0); });`;
}
