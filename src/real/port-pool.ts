// The ports a real cell's instances listen on: one each, from garden's default port pool (61001 and
// the 4,534 after it: garden-runc-release's port_pool.start and size), handed out round-robin so a
// port just given back (its process may still hold it a moment) is the last to be handed out again.

/** The first port of the pool. */
export const PORT_POOL_START = 61001;
/** How many ports it holds. */
export const PORT_POOL_SIZE = 4534;

/** Ports by instance: each instance one port of the pool while it runs. */
export class PortPool {
  private readonly byGuid = new Map<string, number>();
  private readonly inUse = new Set<number>();
  private next = 0;

  /** A pool of `size` ports from `start`. */
  constructor(
    private readonly start = PORT_POOL_START,
    private readonly size = PORT_POOL_SIZE,
  ) {}

  /** The instance's port (the same one if it has one); throws when every port is taken. */
  take(guid: string): number {
    const had = this.byGuid.get(guid);
    if (had !== undefined) return had;
    for (let k = 0; k < this.size; k++) {
      const port = this.start + ((this.next + k) % this.size);
      if (this.inUse.has(port)) continue;
      this.next = (this.next + k + 1) % this.size;
      this.inUse.add(port);
      this.byGuid.set(guid, port);
      return port;
    }
    throw new Error(`every port of ${this.start}-${this.start + this.size - 1} is taken`);
  }

  /** Gives the instance's port back (nothing if it has none). */
  give(guid: string): void {
    const port = this.byGuid.get(guid);
    if (port === undefined) return;
    this.byGuid.delete(guid);
    this.inUse.delete(port);
  }
}
