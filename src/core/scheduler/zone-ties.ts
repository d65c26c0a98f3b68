// Which of two equally scored cells wins an LRP auction, as Diego's own iteration can decide it.
// Diego's scheduler visits the zones in Go map order, a fresh random order for every auction, and the
// cells of a zone in the order their states arrived, fixed for the batch; the first cell seen with
// the lowest score wins (auction auctionrunner/scheduler.go `score < winnerScore`, zone_sorter.go).
// auctionlab makes both orders seeded: the zones in an order drawn per auction from (seed, auction
// id), the cells of a zone in the run's seeded rank order.
import { hash32After, hash32Prefix } from '../hash.js';

/** The hash state a batch's {@link zoneTieOrder} calls start from: once per batch, not per auction. */
export function zoneTieSeed(seed: number): number {
  return hash32Prefix(`${seed}:`);
}

/**
 * Writes into `pos` each zone's place in the zone order of one auction (`pos[zone]`, 0 first) for
 * zones numbered 0..zones-1 in sorted name order. A pure function of (seed, auction id), the seed
 * given as its {@link zoneTieSeed}.
 */
export function zoneTieOrder(tieSeed: number, auctionId: string, zones: number, pos: Int32Array | number[]): void {
  for (let z = 0; z < zones; z++) pos[z] = z;
  if (zones < 2) return;
  // A seeded Fisher-Yates shuffle of the positions (a small LCG from the hash; no allocation).
  let h = hash32After(tieSeed, auctionId);
  for (let i = zones - 1; i > 0; i--) {
    h = (Math.imul(h, 1664525) + 1013904223) >>> 0;
    const j = h % (i + 1);
    const t = pos[i] as number;
    pos[i] = pos[j] as number;
    pos[j] = t;
  }
}
