import { describe, expect, it } from 'vitest';
import type { AuctionProtocol } from '../../src/core/strategy.js';
import { driveHttp } from '../../src/real/http-driver.js';

describe('the real auctioneer\'s HTTP driver', () => {
  it('stops a strategy that yields only empty outboxes (each resolves at once and would starve the event loop)', async () => {
    function* idle(): AuctionProtocol {
      for (;;) yield [];
    }
    await expect(driveHttp(idle(), { urls: new Map(), token: null, strategy: 'idle' })).rejects.toThrow('strategy idle yielded 10,000 empty outboxes in a row');
  });
});
