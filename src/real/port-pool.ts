// The ports a real cell's instances listen on: one each, from garden's default port pool (4,534 ports
// from 61001: garden-runc-release's port_pool.start and size), handed out round-robin so a port just
// given back (its process may still hold it a moment) is the last to be handed out again. Diego's
// containers each have their own network; these processes share the host's, where other cells and
// programs listen too: a port is handed out only once binding it shows nothing listens there, and
// each cell starts at its own random place in the pool.

import { randomInt } from 'node:crypto';
import { createServer } from 'node:net';

/** The first port of the pool. */
export const PORT_POOL_START = 61001;
/** How many ports it holds. */
export const PORT_POOL_SIZE = 4534;

// Ports looked at for a free one before giving up (the host is then short of ports).
const MAX_TRIES = 200;

/** Whether nothing on the host listens on `port` (any address): binding it a moment says. */
export function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: '0.0.0.0', exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** Ports by instance: each instance one port of the pool while it runs. */
export class PortPool {
  private readonly byGuid = new Map<string, number>();
  private readonly inUse = new Set<number>();
  private next: number;

  /** A pool of `size` ports from `start`, handed out from a random place in it. */
  constructor(
    private readonly start = PORT_POOL_START,
    private readonly size = PORT_POOL_SIZE,
    private readonly isFree: (port: number) => Promise<boolean> = canBind,
  ) {
    this.next = randomInt(size);
  }

  /**
   * A port for the instance that nothing on the host listens on (its own if it has one); rejects
   * when none of the next ports of the pool is free.
   */
  async takeFree(guid: string): Promise<number> {
    const had = this.byGuid.get(guid);
    if (had !== undefined) return had;
    for (let k = 0; k < MAX_TRIES; k++) {
      const port = this.take(guid);
      if (await this.isFree(port)) {
        // Given back while it was being looked at (the instance stopped): not the instance's now.
        if (this.byGuid.get(guid) === port) return port;
        throw new Error('stopped while its port was found');
      }
      this.give(guid);
    }
    throw new Error(`no free port among ${MAX_TRIES} of the pool ${this.start}-${this.start + this.size - 1} (the host's ports are taken)`);
  }

  /** Ports handed out now. */
  get handedOut(): number {
    return this.inUse.size;
  }

  // The next port of the pool nobody here holds, now the instance's; throws when every port is taken.
  private take(guid: string): number {
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
