import type { Auction } from '../model/auctions.js';
import type { CellState } from '../model/cell-state.js';
import type { Work } from '../model/requests.js';
import type { PlacementIndex } from '../rep/placement-index.js';

/**
 * The messages a strategy may send to a cell's rep. Diego's batch auction uses `state` and
 * `perform`; the 2014 bidding algorithms use `bid`, `reserve`, `release` and `claim`.
 */
export type Request =
  /** `GET /state`: the cell's current state. */
  | { kind: 'state'; cell: string }
  /** `POST /work`: start this work; the reply lists what failed. */
  | { kind: 'perform'; cell: string; work: Work }
  /** Ask the rep for its bid (lower is better) for one auction. */
  | { kind: 'bid'; cell: string; auction: Auction }
  /** Ask the rep to hold the resources for one auction. */
  | { kind: 'reserve'; cell: string; auction: Auction }
  /** Give back a reservation. */
  | { kind: 'release'; cell: string; auction: Auction }
  /** Turn a reservation into a started container. */
  | { kind: 'claim'; cell: string; auction: Auction };

/** The kinds of {@link Request}. */
export type RequestKind = Request['kind'];

/** A reply that carries no data beyond success (a reservation may carry its rep's recast bid). */
export interface Ack {
  /** The request kind answered. */
  kind: 'reserve' | 'release' | 'claim';
  /** Success. */
  ok: true;
  /**
   * For `reserve`: the rep's bid for the work just before this reservation, as Diego 2014's
   * `ReserveAndRecastVote` returned it (onsi/auction representative.go), so a strategy learns the
   * fresh bid and holds the resources in one message. Absent from reps that do not say.
   */
  bid?: number;
}

/**
 * A failed exchange: either the rep refused (`lost` false, with its reason), or the message or its
 * reply never arrived in time (`lost` true: a timeout, a crash, a partition). After a lost `perform`
 * or `reserve` the strategy cannot know whether the cell acted on it.
 */
export interface Refusal {
  /** The request kind answered. */
  kind: RequestKind;
  /** Failure. */
  ok: false;
  /** Why, in the rep's or the network's words. */
  error: string;
  /** True when no reply came (timeout or loss) rather than a refusal. */
  lost: boolean;
}

/**
 * A rep's answer (or the network's verdict) to one {@link Request}. Only to be read: an in-memory rep
 * hands the same objects out again (its live state in every `state` reply, one frozen reply for every
 * `perform` that started all its work).
 */
export type Reply =
  | {
      kind: 'state';
      ok: true;
      state: CellState;
      /** Optional accelerator shared by in-process reps; it matches the states' LRP lists. */
      index?: PlacementIndex;
    }
  | { kind: 'perform'; ok: true; failed: Work }
  | { kind: 'bid'; ok: true; bid: number }
  | Ack
  | Refusal;

/** What a strategy sends in one step: requests that go out together, in parallel. */
export type Outbox = readonly Request[];

/** The replies to an {@link Outbox}, position for position. */
export type Inbox = readonly Reply[];
