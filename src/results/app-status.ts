// An app's status at a moment, as `cf app` shows it (tps): the simulator takes it, results carry it.

/** One instance record as `cf app` lists it. */
export interface InstanceStatus {
  /** Process guid (an app group's member, or a deployed version such as `web@v2`). */
  processGuid: string;
  /** Index. */
  index: number;
  /** Diego state: UNCLAIMED, CLAIMED, RUNNING, CRASHED. */
  state: string;
  /** ORDINARY, EVACUATING or SUSPECT. */
  presence: string;
  /** Its cell ('' while UNCLAIMED). */
  cell: string;
  /** When it entered its state (ms of simulated time). */
  sinceMs: number;
  /** Crash count. */
  crashCount: number;
  /** Why its last auction failed ('' if none). */
  placementError: string;
}

/** An app's status at one time. */
export interface AppStatus {
  /** The app as asked (a scenario app name). */
  app: string;
  /** Simulated time (ms). */
  atMs: number;
  /** Desired instances per process guid of the app at that time. */
  desired: Record<string, number>;
  /** Every instance record, by process guid then index, ordinary before evacuating before suspect. */
  instances: InstanceStatus[];
}
