// What a scenario event kind is: the one place that knows its schema and how to read it, say
// it in words, carry it out in the simulator and generate it for the property plans. The parser, the
// simulator, `check --faults`, the plans and the docs table all read the registry of these
// (registry.ts); adding a kind is adding a file and one line there.
import type fastCheck from 'fast-check';
import type { Arbitrary } from 'fast-check';
import type { TSchema } from '@sinclair/typebox';
import type { Reader } from '../../core/json/reader.js';
import type { Rng } from '../../core/random.js';
import type { World } from '../world.js';
import type { CellSelector } from './selector.js';

/** What an event kind's `apply` works with during one run. */
export interface EventRun {
  /** The simulated world. */
  readonly w: World;
  /** The events' own seeded stream (random cell choices). */
  readonly rng: Rng;
  /** State the kind keeps for this run (a deploy in progress, say), made by `make` on first use. */
  state<T>(kind: string, make: () => T): T;
}

/** The names a plan may use: the plan's apps, cells, zones and task names. */
export interface PlanContext {
  /** App names (`app0`, ...). */
  readonly apps: readonly string[];
  /** Cell ids of the plan's cluster. */
  readonly cells: readonly string[];
  /** Its zones. */
  readonly zones: readonly string[];
  /** Task names. */
  readonly tasks: readonly string[];
}

/** One generated event: its body as written in a scenario file, and the app it needs, if any. */
export interface PlanEvent {
  /** The event's value in the file (`kill: <body>`). */
  readonly body: unknown;
  /** The app it acts on: the event is left out while the plan has not desired that app. */
  readonly app?: string;
}

/** How random plans (property tests, `auctionlab check`) use an event kind. */
export interface EventPlan<B> {
  /** Relative weight among the plan's operations. */
  readonly weight: number;
  /** The fault kind this one comes with (a `recover` is only generated when `kill` is). */
  readonly with?: string;
  /** Random events of this kind, given the plan's names; `fc` is fast-check, passed in so that the
   * simulator does not load it unless plans are made. */
  arbitrary(fc: typeof fastCheck, ctx: PlanContext): Arbitrary<PlanEvent>;
  /** Time (ms) this kind's events of one plan add to the bound within which it must converge. */
  boundMs?(events: readonly B[]): number;
}

/** The docs table row of a kind (scenarios/README.md is generated from these). */
export interface EventDocs {
  /** What the event names (`cells`, `{ app, instances }`, ...). */
  readonly what: string;
  /** What it does. */
  readonly effect: string;
}

/**
 * A scenario event kind: `{ at, <kind>: <body> }` in a scenario file. `B` is the parsed body
 * (without `at` and `kind`).
 */
export interface EventKind<K extends string = string, B extends object = object, F extends boolean = boolean> {
  /** Its name: the key in the scenario file. */
  readonly kind: K;
  /**
   * Whether it is a fault: the simulator then records it (with the detail `apply` returns) for the
   * recovery figures, and `check --faults` offers it.
   */
  readonly fault: F;
  /** Its docs table row. */
  readonly docs: EventDocs;
  /**
   * The body's schema: what a scenario file may write (and, through it, what editors complete and
   * check), with the words each problem is said in (core/json/schema-says.ts).
   */
  readonly schema: TSchema;
  /**
   * The body as the simulator takes it, from a value the schema checked (where a problem was found,
   * fields fall back to their defaults, and an object the schema refused is undefined); reports to
   * `r` what a schema cannot say (references within the body, orders); undefined if unusable.
   */
  read(r: Reader, value: unknown, path: string): B | undefined;
  /** The body as a scenario file writes it, every field explicit: `read` reads it back to `e`. */
  write(e: B): unknown;
  /** The app the event names, checked against the scenario's apps. */
  appOf?(e: B): string;
  /** The cells the event names, checked against the scenario's cells. */
  cellsOf?(e: B): CellSelector;
  /** The zone the event names, checked against the scenario's zones. */
  zoneOf?(e: B): string;
  /** The event in a few words (route lows during it, logs). */
  describe(e: B): string;
  /** Carries the event out in the simulated world; a fault returns what it hit, in a few words (`3 cells`). */
  apply(e: B, run: EventRun): string | void;
  /** How random plans generate it (absent: never generated). */
  readonly plan?: EventPlan<B>;
}

/** Declares an event kind, keeping its name, body type and whether it is a fault for the registry's types. */
export function eventKind<K extends string, B extends object, F extends boolean>(kind: EventKind<K, B, F>): EventKind<K, B, F> {
  return kind;
}
