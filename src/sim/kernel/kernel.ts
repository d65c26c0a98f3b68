import { hash32 } from '../../core/hash.js';
import { streamFor, type Rng } from '../../core/random.js';
import { EventQueue } from './event-queue.js';
import { DigestBytes, lrpNoteFields, type DigestSink } from './digest-bytes.js';
import { DigestThread } from './digest-thread.js';
import { noteText, type NoteFields } from './note-text.js';

/** What an event runs: a registered function of two numbers. */
export type Handler = (a: number, b: number) => void;

/** Says in the log who and what an event is about, from its two arguments (fields of plain values; empty: nothing to add). */
export type Describer = (a: number, b: number) => Readonly<Record<string, string | number | boolean | null>> | undefined;

/** Options for a {@link Kernel}. */
export interface KernelOptions {
  /** The run's seed; every actor's stream derives from it. */
  seed: number;
  /** Run simultaneous events in a seeded random order instead of the order scheduled. */
  shuffleTies?: boolean;
  /** Receives the event log, one JSON object per line, when given. */
  log?: (line: string) => void;
  /**
   * Hashes the digest in a worker thread (the same digest): the simulation's thread then only hands
   * over each event's and note's numbers and names, and the text and hashing (a tenth of a large
   * run's work) run beside it. Worth a worker's start (tens of ms) only for large runs; a logged run
   * makes every note's text anyway and hashes in its own thread. Default false.
   */
  digestThread?: boolean;
}

/**
 * The discrete-event kernel: a simulated clock in milliseconds, an event queue ordered by
 * (time, sequence), seeded random streams per actor, and a SHA-256 digest of everything that
 * happened. The same scenario, seed and version give the same digest on any machine.
 */
export class Kernel {
  /** Simulated time in ms. */
  now = 0;
  /** Events run so far. */
  events = 0;
  /** The run's seed. */
  readonly seed: number;
  private readonly queue = new EventQueue(4096);
  private readonly handlers: Handler[] = [];
  private readonly names: string[] = [];
  // The digest records a hash of each handler's name, not its number, so registering a new kind
  // of event does not change the digest of runs that never use it.
  private readonly nameHashes: number[] = [];
  private readonly describers: (Describer | undefined)[] = [];
  private readonly sink: DigestSink;
  private readonly ties: Rng | undefined;
  private readonly log: ((line: string) => void) | undefined;
  private stopped = false;

  /** A kernel at time 0 with no events. */
  constructor(opts: KernelOptions) {
    this.seed = opts.seed;
    this.ties = opts.shuffleTies ? streamFor(opts.seed, 'kernel/ties') : undefined;
    this.log = opts.log;
    this.sink = opts.digestThread === true && opts.log === undefined ? new DigestThread() : new DigestBytes();
  }

  /**
   * Registers a handler under a name (for the log) and returns its number for scheduling.
   * `describe` says in the log who and what an event of it is about (`{cell: 'cell-07', work:
   * 'web-3.0'}`), from its two arguments, before it runs; called only when the run is logged, and
   * never part of the digest.
   */
  register(name: string, fn: Handler, describe?: Describer): number {
    this.handlers.push(fn);
    this.names.push(name);
    this.nameHashes.push(hash32(name) | 0);
    this.describers.push(describe);
    return this.handlers.length - 1;
  }

  /** Whether the run is logged: callers build log-only lines ({@link Kernel.tell}) only then. */
  get logging(): boolean {
    return this.log !== undefined;
  }

  /**
   * A line of the log's story (`{"t":..,"story":"placed","work":"web-3.0","cell":"cell-07"}`):
   * what happened to whom and why, for people and `auctionlab log`. Log only: not in the digest, so
   * adding one changes no run. Build its fields only when {@link Kernel.logging}.
   */
  tell(kind: string, fields: Readonly<Record<string, string | number | boolean | null>>): void {
    if (this.log) this.log(JSON.stringify({ t: this.now, story: kind, ...fields }));
  }

  /** The seeded stream of one actor: the same name gives the same numbers for the same seed. */
  stream(actor: string): Rng {
    return streamFor(this.seed, actor);
  }

  /** Schedules a handler at an absolute time (never before now). Returns a cancel handle. */
  at(time: number, handler: number, a = 0, b = 0): number {
    return this.queue.push(this.checkedTime(time, handler), handler, a, b, this.ties ? this.ties.next() : 0);
  }

  /**
   * Sets aside the places in the order of events of `count` events that would be scheduled now, to
   * schedule them later with {@link Kernel.atReserved}: each then runs exactly where it would have,
   * had it been scheduled now, without sitting in the queue meanwhile (a push of two million apps
   * schedules each member when the one before runs). Returns the first place, or -1 when ties are
   * shuffled (the shuffle draws a number per event as it is scheduled): then schedule them now.
   */
  reserveOrder(count: number): number {
    return this.ties ? -1 : this.queue.reserve(count);
  }

  /**
   * Schedules a handler at an absolute time (never before now) in a place set aside by
   * {@link Kernel.reserveOrder} (the first place plus the event's number among those set aside; use
   * each place once). Returns a cancel handle.
   */
  atReserved(time: number, handler: number, a: number, b: number, place: number): number {
    // reserveOrder sets no place aside while ties are shuffled: a place then is a bug upstream.
    if (this.ties || !(place >= 0)) throw new RangeError(`event ${this.names[handler] ?? handler} scheduled in place ${place}, which reserveOrder did not set aside`);
    return this.queue.push(this.checkedTime(time, handler), handler, a, b, 0, place);
  }

  // When an event is scheduled for `time`: never before now. A NaN would sort nowhere and stop the
  // run silently: a bug upstream, said at once.
  private checkedTime(time: number, handler: number): number {
    if (!Number.isFinite(time)) throw new RangeError(`event ${this.names[handler] ?? handler} scheduled at ${time} ms`);
    return time < this.now ? this.now : time;
  }

  /** Schedules a handler `delay` ms from now. */
  after(delay: number, handler: number, a = 0, b = 0): number {
    return this.at(this.now + delay, handler, a, b);
  }

  /** Cancels a scheduled event. */
  cancel(handle: number): void {
    this.queue.cancel(handle);
  }

  /** Pending events (cancelled ones included until they surface). */
  get pending(): number {
    return this.queue.size;
  }

  /** Ends {@link Kernel.run} after the current event. */
  stop(): void {
    this.stopped = true;
  }

  /**
   * Records a domain fact (a placement, a crash, a state change) in the digest and the log.
   * `fields` must be plain JSON values.
   */
  note(kind: string, fields: NoteFields): void {
    if (this.log === undefined) {
      this.sink.note(this.now, kind, fields);
      return;
    }
    // A logged run needs the text: the digest takes the same.
    const text = noteText(this.now, kind, fields);
    this.sink.text(text);
    this.log(text);
  }

  /**
   * Records a fact about an LRP instance on a cell: what
   * `note(kind, { lrp: \`${processGuid}.${index}\`, cell, [key]: value })` records (without `key`, the
   * first two fields alone), byte for byte, but with no field object or name string made unless the
   * run is logged (an instance's claims and crashes are most of a run's notes).
   */
  noteLRP(kind: string, processGuid: string, index: number, cell: string, key?: string, value?: string): void {
    if (this.log === undefined) this.sink.lrpNote(this.now, kind, processGuid, index, cell, key, value);
    else this.note(kind, lrpNoteFields(processGuid, index, cell, key, value));
  }

  /** Runs events in order until none is left at or before `until`, or {@link Kernel.stop}. */
  run(until: number): void {
    this.stopped = false;
    const q = this.queue;
    // The queue checks the time of the earliest live event: the earliest pending one may be a
    // cancelled event in time with a live one past `until` behind it, which must wait.
    while (!this.stopped && q.pop(until)) {
      this.now = q.popTime;
      this.events++;
      this.record(q.popTime, q.popHandler, q.popA, q.popB);
      (this.handlers[q.popHandler] as Handler)(q.popA, q.popB);
    }
    if (!this.stopped && until > this.now && until !== Infinity) this.now = until;
  }

  /** The SHA-256 of everything recorded so far, as hex. Recording goes on afterwards. */
  digest(): string {
    return this.sink.digest();
  }

  /**
   * Lets go of the digest's worker thread, if the run has one (see {@link KernelOptions.digestThread}):
   * call it once the run is over. Afterwards {@link Kernel.digest} gives the digest last read, and a
   * kernel with a worker thread records nothing more.
   */
  close(): void {
    this.sink.close();
  }

  private record(time: number, handler: number, a: number, b: number): void {
    this.sink.event(time, this.nameHashes[handler] as number, a, b);
    if (this.log) {
      const line = `{"t":${time},"event":${JSON.stringify(this.names[handler])},"a":${a},"b":${b}`;
      const about = this.describers[handler]?.(a, b);
      this.log(about ? `${line},${JSON.stringify(about).slice(1)}` : `${line}}`);
    }
  }
}
