import type { Strategy } from '../strategy.js';
import { bestFitStrategy } from './best-fit.js';
import { firstFitStrategy } from './first-fit.js';
import { roundRobinStrategy } from './round-robin.js';
import { worstFitStrategy } from './worst-fit.js';
import { allRebidStrategy } from './all-rebid.js';
import { allReserveStrategy } from './all-reserve.js';
import { compareToPercentileStrategy } from './compare-to-percentile.js';
import { pickAmongBestStrategy } from './pick-among-best.js';
import { pickBestStrategy } from './pick-best.js';
import { reserveNBestStrategy } from './reserve-n-best.js';
import { diegoStrategy } from './diego.js';
import { kubernetesStrategy } from './kubernetes.js';
import { nomadStrategy } from './nomad.js';
import { sparrowStrategy } from './sparrow.js';
import { randomStrategy } from './random.js';

/** Every built-in strategy by name; `diego` is the default. */
export const STRATEGIES: ReadonlyMap<string, Strategy> = new Map<string, Strategy>([
  [diegoStrategy.name, diegoStrategy],
  [randomStrategy.name, randomStrategy],
  [pickBestStrategy.name, pickBestStrategy],
  [pickAmongBestStrategy.name, pickAmongBestStrategy],
  [reserveNBestStrategy.name, reserveNBestStrategy],
  [allReserveStrategy.name, allReserveStrategy],
  [allRebidStrategy.name, allRebidStrategy],
  [compareToPercentileStrategy.name, compareToPercentileStrategy],
  [sparrowStrategy.name, sparrowStrategy],
  [kubernetesStrategy.name, kubernetesStrategy],
  [nomadStrategy.name, nomadStrategy],
  [firstFitStrategy.name, firstFitStrategy],
  [bestFitStrategy.name, bestFitStrategy],
  [worstFitStrategy.name, worstFitStrategy],
  [roundRobinStrategy.name, roundRobinStrategy],
]);

/** The default strategy's name. */
export const DEFAULT_STRATEGY = 'diego';

/** Looks a built-in strategy up by name, or `undefined`. */
export function findStrategy(name: string): Strategy | undefined {
  return STRATEGIES.get(name);
}
