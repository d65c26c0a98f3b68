import type { Refusal, Reply, Request } from '../core/protocol/messages.js';
import type { Rng } from '../core/random.js';
import { giveBack, startedFrom, takeArray } from '../core/scheduler/scratch.js';
import type { NetworkSpec } from './scenario-types.js';
import { sample } from './distributions.js';
import type { Kernel } from './kernel/kernel.js';
import { IdWindow } from './id-window.js';

/** The far end of an exchange: something that answers requests (a simulated cell). */
export interface Endpoint {
  /** Its zone, for partitions. */
  readonly zone: string;
  /** Whether it is up; a down endpoint answers nothing. */
  readonly alive: boolean;
  /** Multiplies the latency of messages to and from it (1: normal; a `slowCell` event raises it). */
  readonly latencyFactor: number;
  /** Answers a request on arrival. */
  handle(req: Request): Reply;
  /**
   * What it answers every `state` request, when that is one object (a simulated cell's rep keeps
   * one): a fan-out of state requests reads it instead of calling {@link Endpoint.handle}.
   */
  readonly stateReply?: Reply;
  /** How long it works on a request before the reply leaves (ms; absent: none). */
  serviceMs?(req: Request): number;
}

interface Exchange {
  req: Request;
  to: Endpoint;
  onReply: (reply: Reply) => void;
  timeout: number;
  // Already counted as lost (dropped on the way there or back, or its cell was gone).
  lost: boolean;
  // The cell's answer, on its way back (set on delivery). Kept here, not in a map by id: a map
  // churned by every message reallocated its table every few thousand messages (bench/RESULTS.md).
  reply: Reply | undefined;
}

interface FanOut {
  reqs: readonly Request[];
  // Every request is a `state` one (see Network.onlyStates).
  states: boolean;
  to: readonly Endpoint[];
  delivered: Uint8Array;
  // Every message got through (so far as the draws when sent say).
  allDelivered: boolean;
  onReplies: (replies: readonly Reply[]) => void;
}

/** Why a reply never came. */
export const ERR_TIMEOUT = 'timeout waiting for the cell (no reply within the network timeout)';

// A fan-out's lost state reply: one frozen object for every cell that did not answer, so a fetch
// whose cells answer as they did last time hands on the same replies (see Network.fanOutDone).
const LOST_STATE: Refusal = Object.freeze({ kind: 'state', ok: false, error: ERR_TIMEOUT, lost: true });

/**
 * The simulated network between the control plane (auctioneers) and cells: each message takes a
 * latency drawn from its distribution, may be lost, and is dropped while the cell's zone is cut
 * off. A request whose reply has not come back within the timeout (Diego: 10 s) ends as a lost
 * {@link Refusal}. Every request is counted.
 */
export class Network {
  /** Requests sent. */
  messages = 0;
  /** Requests whose reply never came in time: lost (loss, partition, dead cell) or too slow for the timeout. */
  lost = 0;
  // By id (IdWindow: ids rise, and each exchange ends by its timeout at the latest).
  private readonly exchanges = new IdWindow<Exchange>();
  private nextId = 0;
  private readonly cut = new Set<string>();
  private readonly hDeliver: number;
  private readonly hReply: number;
  private readonly hTimeout: number;
  private readonly fanOuts = new Map<number, FanOut>();
  private readonly hFanOut: number;
  // Frozen lists of frozen requests found to be all `state` requests: they stay so.
  private readonly stateLists = new WeakSet<readonly Request[]>();
  // The last state fan-out's requests, endpoints and (frozen) replies: the next fan-out of the same
  // lists whose replies are the same objects hands that array on instead of a new one. `kept`: every
  // reply was its endpoint's kept state reply; `epoch`: endpointEpoch then.
  private lastStates: { reqs: readonly Request[]; to: readonly Endpoint[]; replies: readonly Reply[]; kept: boolean; epoch: number } | null = null;
  // Whether every change of an endpoint is reported (see reportsEndpointChanges), and how many were.
  private changesReported = false;
  private endpointEpoch = 0;
  // The endpoints of the last fan-out sent, while changes are reported: whether each was up at
  // latency factor 1, and endpointEpoch then.
  private lastSent: { to: readonly Endpoint[]; plain: boolean; epoch: number } | null = null;

  /** A network on `kernel` with its own seeded stream. */
  constructor(
    private readonly kernel: Kernel,
    private readonly spec: NetworkSpec,
    private readonly rng: Rng,
  ) {
    // In the log, each names the message and its cell (the work, for a perform).
    const about = (id: number) => {
      const x = this.exchanges.get(id);
      return x ? messageAbout(x.req) : undefined;
    };
    this.hDeliver = kernel.register('net.deliver', (id) => this.deliver(id), about);
    this.hReply = kernel.register('net.reply', (id) => this.reply(id), about);
    this.hTimeout = kernel.register('net.timeout', (id) => this.timeout(id), about);
    this.hFanOut = kernel.register('net.fan-out', (id) => this.fanOutDone(id), (id) => {
      const f = this.fanOuts.get(id);
      return f ? { message: f.reqs[0]?.kind ?? 'state', cells: f.reqs.length } : undefined;
    });
  }

  /**
   * Sends read-only requests (state fetches) to many endpoints at once and calls `onReplies` once,
   * when the slowest reply is in or the timeout has passed. Each message still draws its own
   * latency and may be lost or cut off; a lost one costs the full timeout. The endpoints answer
   * when the fan-out completes (their state as of then), which is what lets a state fetch to a
   * thousand cells cost one event instead of three thousand.
   */
  fanOut(reqs: readonly Request[], to: readonly Endpoint[], onReplies: (replies: readonly Reply[]) => void): void {
    const id = this.nextId++;
    const n = reqs.length;
    // A spare array when there is one (given back when the fan-out completes): one per state fetch.
    const delivered = takeArray('u8', n, 0);
    const now = this.kernel.now;
    let done = now;
    // No zone cut off and no loss: nothing can be dropped, and dropping draws no number then.
    const clean = this.cut.size === 0 && !(this.spec.loss > 0);
    const latency = this.spec.latency;
    const timeoutMs = this.spec.timeoutMs;
    let through = 0;
    // The same endpoints as the last fan-out, which found each up at latency factor 1, and no change
    // reported since (see reportsEndpointChanges): the same draws without reading an endpoint
    // (x * 1 is x, exactly).
    const sent = this.lastSent;
    if (clean && sent !== null && sent.to === to && sent.plain && this.unchangedSince(to, sent.epoch)) {
      this.messages += n;
      for (let i = 0; i < n; i++) {
        const back = sample(latency, this.rng) + sample(latency, this.rng);
        let at = now + timeoutMs;
        if (back >= timeoutMs) this.lost++;
        else {
          delivered[i] = 1;
          through++;
          at = now + back;
        }
        if (at > done) done = at;
      }
    } else {
      let plain = true;
      for (let i = 0; i < n; i++) {
        this.messages++;
        const ep = to[i] as Endpoint;
        if (!ep.alive || ep.latencyFactor !== 1) plain = false;
        let at = now + timeoutMs;
        if (ep.alive && (clean || !this.dropped(ep))) {
          const back = (sample(latency, this.rng) + sample(latency, this.rng)) * ep.latencyFactor;
          if (back >= timeoutMs) this.lost++; // the reply would come after the timeout
          else if (clean || !this.dropped(ep)) {
            delivered[i] = 1;
            through++;
            at = now + back;
          }
        } else if (!ep.alive) this.lost++;
        if (at > done) done = at;
      }
      if (this.changesReported) this.lastSent = { to, plain, epoch: this.endpointEpoch };
    }
    this.fanOuts.set(id, { reqs, to, states: this.onlyStates(reqs), delivered, allDelivered: through === n, onReplies });
    this.kernel.at(done, this.hFanOut, id);
  }

  // Whether every request is a `state` one. A frozen list of frozen requests (an auctioneer's, made
  // by stateRequests and sent batch after batch) is looked through once; any other every time.
  private onlyStates(reqs: readonly Request[]): boolean {
    if (this.stateLists.has(reqs)) return true;
    if (!reqs.every((r) => r.kind === 'state')) return false;
    if (Object.isFrozen(reqs) && reqs.every((r) => Object.isFrozen(r))) this.stateLists.add(reqs);
    return true;
  }

  /**
   * Promises that every change of the endpoints' `alive`, `latencyFactor` or `stateReply` will be
   * reported through {@link Network.endpointChanged} (a simulated world's cells do: see SimCell).
   * From then on, a fan-out to the same frozen list of endpoints as the last one (a list that is not
   * frozen could hold others by now), which found each up at latency factor 1, with nothing reported
   * since, draws its latencies without reading them; and a state fetch whose last replies were all
   * the endpoints' kept state replies, with every message through and nothing reported or cut off
   * since, has the same replies without the endpoints being read again: at ten times Diego's scale
   * the walks over 12,500 cells around every batch's fetch were two percent of the hour.
   */
  reportsEndpointChanges(): void {
    this.changesReported = true;
  }

  /** An endpoint changed (see {@link Network.reportsEndpointChanges}). */
  endpointChanged(): void {
    this.endpointEpoch++;
  }

  // Whether the endpoints in `to` are as they were at `epoch`: every change is reported, none was
  // since, and the list itself is frozen (the same endpoints).
  private unchangedSince(to: readonly Endpoint[], epoch: number): boolean {
    return this.changesReported && epoch === this.endpointEpoch && Object.isFrozen(to);
  }

  /** Exchanges sent and not yet over (no reply and no timeout yet). */
  get inFlight(): number {
    return this.exchanges.size;
  }

  /** Cuts a zone off from the control plane. */
  partition(zone: string): void {
    this.cut.add(zone);
  }

  /** Heals a zone's partition. */
  heal(zone: string): void {
    this.cut.delete(zone);
  }

  /** Whether a zone is cut off. */
  isCut(zone: string): boolean {
    return this.cut.has(zone);
  }

  /** Sends a request; `onReply` runs once, with the reply or a lost refusal after the timeout. */
  send(req: Request, to: Endpoint, onReply: (reply: Reply) => void): void {
    const id = this.nextId++;
    this.messages++;
    const timeout = this.kernel.after(this.spec.timeoutMs, this.hTimeout, id);
    const x: Exchange = { req, to, onReply, timeout, lost: false, reply: undefined };
    this.exchanges.set(id, x);
    if (this.dropped(to)) {
      x.lost = true;
      return;
    }
    this.kernel.after(sample(this.spec.latency, this.rng) * to.latencyFactor, this.hDeliver, id);
  }

  private dropped(to: Endpoint): boolean {
    if (this.cut.has(to.zone) || (this.spec.loss > 0 && this.rng.next() < this.spec.loss)) {
      this.lost++;
      return true;
    }
    return false;
  }

  private deliver(id: number): void {
    const x = this.exchanges.get(id);
    if (!x) return;
    if (!x.to.alive || this.cut.has(x.to.zone)) {
      this.lost++;
      x.lost = true;
      return;
    }
    const reply = x.to.handle(x.req);
    if (this.dropped(x.to)) {
      x.lost = true;
      return;
    }
    x.reply = reply;
    const working = x.to.serviceMs?.(x.req) ?? 0;
    this.kernel.after(working + sample(this.spec.latency, this.rng) * x.to.latencyFactor, this.hReply, id);
  }

  private reply(id: number): void {
    const x = this.exchanges.get(id);
    const reply = x?.reply;
    if (!x || !reply) return;
    this.exchanges.delete(id);
    this.kernel.cancel(x.timeout);
    x.onReply(reply);
  }

  private fanOutDone(id: number): void {
    const f = this.fanOuts.get(id);
    if (!f) return;
    this.fanOuts.delete(id);
    const n = f.reqs.length;
    const delivered = f.delivered;
    const clean = this.cut.size === 0;
    const states = f.states;
    // A state fetch to the same cells usually brings the same reply objects as the last one (each
    // rep's one state reply, the one lost reply): that array is handed on again, frozen, and a new
    // one is made only from the first reply that differs (at ten times Diego's scale, an array of
    // 12,500 replies a batch was a tenth of what the run allocated).
    const last = this.lastStates;
    const prev = states && last !== null && last.reqs === f.reqs && last.to === f.to && last.replies.length === n ? last.replies : null;
    // Every reply the endpoint's kept one last time, nothing changed since (see
    // reportsEndpointChanges) and every message through: the same replies, unread.
    if (prev !== null && last !== null && last.kept && f.allDelivered && clean && this.unchangedSince(f.to, last.epoch)) {
      giveBack('u8', delivered);
      f.onReplies(prev);
      return;
    }
    let replies: Reply[] | null = prev === null ? new Array<Reply>(n) : null;
    let kept = states;
    for (let i = 0; i < n; i++) {
      const ep = f.to[i] as Endpoint;
      let r: Reply;
      if (delivered[i] === 1 && ep.alive && (clean || !this.cut.has(ep.zone))) {
        // A state fetch reads the endpoint's one state reply, when it keeps one: not the request,
        // nor a call (the same reply handle() gives).
        const own = states ? ep.stateReply : undefined;
        if (own !== undefined) r = own;
        else {
          r = ep.handle(f.reqs[i] as Request);
          kept = false;
        }
      } else {
        r = states ? LOST_STATE : { kind: (f.reqs[i] as Request).kind, ok: false, error: ERR_TIMEOUT, lost: true };
        kept = false;
      }
      if (replies === null) {
        if (r === (prev as readonly Reply[])[i]) continue;
        replies = startedFrom(prev as readonly Reply[], i, n);
      }
      replies[i] = r;
    }
    giveBack('u8', delivered);
    const out: readonly Reply[] = replies === null ? (prev as readonly Reply[]) : states ? Object.freeze(replies) : replies;
    if (states) this.lastStates = { reqs: f.reqs, to: f.to, replies: out, kept, epoch: this.endpointEpoch };
    f.onReplies(out);
  }

  private timeout(id: number): void {
    const x = this.exchanges.get(id);
    if (!x) return;
    this.exchanges.delete(id);
    // Not dropped, only slow: the reply is still on its way, and will be too late.
    if (!x.lost) this.lost++;
    x.onReply({ kind: x.req.kind, ok: false, error: ERR_TIMEOUT, lost: true });
  }
}

/** A message in a few fields for the log: its kind, its cell, and the work it carries. */
function messageAbout(req: Request): Record<string, string | number> {
  if (req.kind === 'perform') return { message: 'perform', cell: req.cell, work: [...req.work.LRPs.map((l) => `${l.process_guid}.${l.index}`), ...req.work.Tasks.map((t) => t.TaskGuid)].join(' ') };
  if (req.kind === 'state') return { message: 'state', cell: req.cell };
  return { message: req.kind, cell: req.cell, work: req.auction.id };
}
