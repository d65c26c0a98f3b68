// The routable lows of a run: each app's fewest routable instances once it was whole, overall and
// per scenario event. The simulator's route table computes them; results carry them.

/** The worst moment of one app's routes. */
export interface RouteLow {
  /** Fewest routable instances seen (after the app was first whole). */
  minRoutable: number;
  /** The app's target instance count at that moment. */
  target: number;
  /** minRoutable / target. */
  minFraction: number;
  /** When (ms of simulated time). */
  atMs: number;
}

/** The lows of every app while one event's effects play out (from it to the next event). */
export interface EventLows {
  /** The event, e.g. `deploy web` or `kill 3 cells`. */
  event: string;
  /** When it happened (ms). */
  atMs: number;
  /** Each app's lowest routable share in that window (apps whole before it). */
  lows: Record<string, RouteLow>;
}
