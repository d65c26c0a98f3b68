// Diego's 2014 bidding simulation, reproduced: the six scenarios of onsi/auction's
// simulation/simulation_test.go, run in memory (`schedule`, 20 auctions in flight, a bidding pool of
// 20 reps, as its "inprocess 20/20" row), with each algorithm's distribution score and messages summed
// over the six, beside the published figures (onsi/auction simulation/runs/collate/imac.html).
//
// The 2014 reps had one resource (100 units, 1 per instance) and scored a bid as used/total plus the
// number of instances of the same app; auctionlab's reps average memory, disk and container use, so
// every rep here has 100 of each and every instance takes 1 of each: the same score.
// The same six scenarios run again in the simulator, where each message takes 1-2 ms each way (the
// 2014 in-process mode's latency), so concurrent auctions drift apart instead of moving in lockstep.
// Run: npx tsx bench/bidding-2014.ts
import { emptyCellState, findStrategy, schedule, streamFor, type CellState, type LRPStartRequest } from '../src/index.js';
import { parseScenarioText, startSimulation } from '../src/sim.js';

/** The published "inprocess 20 bidders, 20 concurrently" figures: distribution score and messages, summed over the six scenarios. */
const PUBLISHED: Record<string, { score: number; messages: number }> = {
  random: { score: 0.576, messages: 22_406 },
  pick_best: { score: 0.147, messages: 246_400 },
  pick_among_best: { score: 0.272, messages: 246_400 },
  reserve_n_best: { score: 0.108, messages: 280_000 },
  all_reserve: { score: 0.125, messages: 447_999 },
  all_rebid: { score: 0.092, messages: 559_609 }, // "all_revote" in onsi/auction
};

const ALGORITHMS = ['random', 'pick_best', 'pick_among_best', 'reserve_n_best', 'all_reserve', 'all_rebid', 'compare_to_percentile'];

const work = (app: string, indices: number[]): LRPStartRequest => ({ process_guid: app, domain: 'sim', indices, MemoryMB: 1, DiskMB: 1, MaxPids: 0, RootFs: 'preloaded:cflinuxfs4', PlacementTags: [], VolumeDrivers: [] });

/** A rep of 100 units holding `apps` single-instance apps. */
function rep(i: number, prefilled: number): CellState {
  const s = emptyCellState({ cell_id: `rep-${String(i).padStart(3, '0')}`, zone: 'z1', memoryMB: 100, diskMB: 100, containers: 100 });
  for (let k = 0; k < prefilled; k++) {
    s.LRPs.push({ ...work(`pre-${i}-${k}`, []), instance_guid: `pre-${i}-${k}-0`, process_guid: `pre-${i}-${k}`, index: 0, state: 'RUNNING' } as never);
  }
  s.AvailableResources = { MemoryMB: 100 - prefilled, DiskMB: 100 - prefilled, Containers: 100 - prefilled };
  return s;
}

interface Scenario {
  name: string;
  cells: CellState[];
  lrps: LRPStartRequest[];
}

const COLOURS = ['red', 'orange', 'yellow', 'green', 'blue', 'indigo', 'violet', 'cyan', 'magenta', 'pink', 'brown', 'gray'];

/** Cold start on n reps: 40n single-instance apps and 40n instances of 12 colour apps (each picks one at random). */
function coldStart(n: number): Scenario {
  const rng = streamFor(1, `cold-${n}`);
  const lrps = Array.from({ length: 40 * n }, (_, i) => work(`single-${i}`, [0]));
  const counts = new Map<string, number>();
  for (let i = 0; i < 40 * n; i++) {
    const c = COLOURS[Math.floor(rng.next() * COLOURS.length)] as string;
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  for (const [c, k] of counts) lrps.push(work(c, Array.from({ length: k }, (_, i) => i)));
  return { name: `cold start, ${n} reps`, cells: Array.from({ length: n }, (_, i) => rep(i, 0)), lrps };
}

/** An imbalanced deploy: the first `full` of 100 reps hold 50 apps each; `apps` single-instance apps arrive. */
function imbalanced(full: number, apps: number): Scenario {
  return { name: `imbalanced, ${full} of 100 reps filled`, cells: Array.from({ length: 100 }, (_, i) => rep(i, i < full ? 50 : 0)), lrps: Array.from({ length: apps }, (_, i) => work(`new-${i}`, [0])) };
}

/** The Watters demo: n reps holding 78-80 apps each; `instances` instances of one app arrive. */
function watters(n: number, instances: number): Scenario {
  const rng = streamFor(1, `watters-${n}`);
  return { name: `Watters demo, ${n} reps`, cells: Array.from({ length: n }, (_, i) => rep(i, 78 + Math.floor(rng.next() * 3))), lrps: [work('red', Array.from({ length: instances }, (_, i) => i))] };
}

const SCENARIOS = [coldStart(25), coldStart(100), imbalanced(95, 500), imbalanced(99, 100), watters(30, 200), watters(100, 400)];

/** The 2014 distribution score: population standard deviation over mean of instances per rep. */
function distribution(states: readonly CellState[]): number {
  const counts = states.map((s) => s.LRPs.length);
  const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
  const sd = Math.sqrt(counts.reduce((a, c) => a + (c - mean) ** 2, 0) / counts.length);
  return mean === 0 ? 0 : sd / mean;
}

const settings = { poolFraction: 0, minPool: 20, concurrentAuctions: 20 };

/** The settings above that a strategy has (random has only maxRounds). */
function settingsOf(strategy: string): Record<string, number> {
  const has = new Set(findStrategy(strategy)?.settings.map((x) => x.name));
  return Object.fromEntries(Object.entries(settings).filter(([k]) => has.has(k)));
}

/** One algorithm on one scenario: its distribution score, messages and failed auctions. */
type Outcome = { score: number; messages: number; failed: number };

/** In memory: `schedule`, the auctions multiplexed in lockstep. */
function inMemory(strategy: string, sc: Scenario): Outcome {
  const r = schedule({ cells: sc.cells, lrps: sc.lrps, tasks: [] }, { strategy, seed: 1, settings: settingsOf(strategy) });
  return { score: distribution(r.statesAfter), messages: r.counters.messages, failed: r.counters.failed };
}

/** Runs every algorithm on the six scenarios one way and prints the sums beside 2014's. */
function table(title: string, run: (strategy: string, sc: Scenario) => Outcome): void {
  const rows = ALGORITHMS.map((strategy) => {
    const all = SCENARIOS.map((sc) => run(strategy, sc));
    const sum = (k: keyof Outcome) => all.reduce((a, o) => a + o[k], 0);
    const p = PUBLISHED[strategy];
    return [strategy, sum('score').toFixed(3), p ? p.score.toFixed(3) : '-', String(sum('messages')), p ? String(p.messages) : '-', String(sum('failed')), all.map((o) => o.score.toFixed(3)).join(' ')];
  });
  const head = ['algorithm', 'score', '2014 score', 'messages', '2014 messages', 'failed', 'score per scenario (cold 25, cold 100, imb 95, imb 99, Watters 30, Watters 100)'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i] as number)).join('  ').trimEnd();
  console.log(title);
  console.log(line(head));
  for (const r of rows) console.log(line(r));
}

// The simulator: the same cells (pre-filled through their reps, as the 2014 reps started full), the
// same work desired at once, 1-2 ms per message each way, Diego's own work taking no time.
function simulated(strategy: string, sc: Scenario): Outcome {
  const apps = sc.lrps.map((l, i) => `  - { name: "w${i}-${l.process_guid}", instances: ${l.indices.length}, memoryMB: 1, diskMB: 1 }`).join('\n');
  const set = Object.entries(settingsOf(strategy)).map(([k, v]) => `${k}: ${v}`).join(', ');
  const text = `seed: 1\nduration: 10m\nsampleInterval: 10m\nstrategy: ${strategy}\n${set ? `settings: { ${set} }\n` : ''}serviceTime: none\nnetwork: { latency: { uniform: [1ms, 2ms] } }\ncells: [{ count: ${sc.cells.length}, zones: [z1], memoryMB: 100, diskMB: 100, containers: 100 }]\napps:\n${apps}\n`;
  const sim = startSimulation(parseScenarioText(text, `${sc.name}.yaml`));
  sc.cells.forEach((c, i) => {
    const cell = sim.world.cells[i];
    if (cell && c.LRPs.length > 0) cell.rep.handle({ kind: 'perform', cell: cell.id, work: { LRPs: c.LRPs.map((l) => ({ ...l })), Tasks: [], cell_id: cell.id } });
  });
  const r = sim.finish();
  return { score: distribution(sim.world.cells.map((c) => c.rep.state)), messages: r.summary.messages, failed: r.summary.failed };
}

table('## bidding-2014: the six 2014 scenarios in memory, pool 20, 20 auctions in flight (sums over the six)', inMemory);
console.log('');
table('## bidding-2014: the same in the simulator, 1-2 ms per message each way (sums over the six)', simulated);
