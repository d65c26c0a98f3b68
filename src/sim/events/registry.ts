// The registry of scenario event kinds: the one list that the scenario parser, the simulator, the
// property plans, `check --faults` and the docs table read. A new kind is a file in this folder and
// one line below.
import { cancelTask } from './cancel-task.js';
import { crash } from './crash.js';
import { deleteApp } from './delete.js';
import { deploy } from './deploy.js';
import { evacuate } from './evacuate.js';
import { heal } from './heal.js';
import { kill } from './kill.js';
import { killAuctioneer } from './kill-auctioneer.js';
import type { EventDocs, EventKind } from './kind.js';
import { partition } from './partition.js';
import { recover } from './recover.js';
import { scale } from './scale.js';
import { slowCell } from './slow-cell.js';
import { task } from './task.js';

/** Every event kind, in the order the docs list them. */
export const EVENT_KINDS = [kill, recover, evacuate, partition, heal, scale, deleteApp, killAuctioneer, task, cancelTask, crash, deploy, slowCell] as const;

type KindOf<D> = D extends EventKind<infer K, infer B, boolean> ? { at: number; kind: K } & B : never;

/** A timed scenario event: `at` (ms), the kind's name and its parsed body. */
export type ScenarioEvent = KindOf<(typeof EVENT_KINDS)[number]>;

/** The name of an event kind. */
export type EventKindName = ScenarioEvent['kind'];

/** What a user of the registry reads of a kind: its name, docs and whether it is a fault. */
export interface EventKindInfo {
  /** The kind's key in a scenario file. */
  readonly kind: string;
  /** Whether it is a fault (recorded for recovery figures; offered by `check --faults`). */
  readonly fault: boolean;
  /** Its row of the docs table. */
  readonly docs: EventDocs;
}

/** Every event kind's name, docs and fault flag, in registry order. */
export const EVENT_KIND_INFO: readonly EventKindInfo[] = EVENT_KINDS.map((k) => ({ kind: k.kind, fault: k.fault, docs: k.docs }));

/** The same list, each kind seen through the common {@link EventKind} interface (for code that handles any kind). */
export const ANY_EVENT_KINDS: readonly EventKind[] = EVENT_KINDS;

const BY_NAME: ReadonlyMap<string, EventKind> = new Map(ANY_EVENT_KINDS.map((k) => [k.kind, k]));

/** The event kind of that name, or undefined. */
export function findEventKind(name: string): EventKind | undefined {
  return BY_NAME.get(name);
}

/** The name of an event kind that is a fault (`kill`, `partition`, `slowCell`, ...). */
export type FaultEventKind = Extract<(typeof EVENT_KINDS)[number], { readonly fault: true }>['kind'];

/** The names of the event kinds that are faults, in registry order (`check --faults` offers these). */
export const FAULT_EVENT_KINDS: readonly FaultEventKind[] = EVENT_KINDS.filter((k) => k.fault).map((k) => k.kind as FaultEventKind);

/** Whether `name` is a fault kind's name. */
export function isFaultKind(name: string): name is FaultEventKind {
  return (FAULT_EVENT_KINDS as readonly string[]).includes(name);
}
