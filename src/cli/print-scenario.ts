// `run --print-scenario`: the scenario as the run would use it, flags applied and every default
// filled in (strategy settings included), as a scenario file that `auctionlab run` reads back.
import { Document, isMap, isScalar, isSeq, visit } from 'yaml';
import { findStrategy } from '../core/strategies/index.js';
import type { Strategy } from '../core/strategy.js';
import type { Scenario } from '../scenario/types.js';
import { scenarioDocument } from '../scenario/write.js';
import { eventsWithin } from './scenario-option.js';
import { runStrategy } from './strategy-option.js';

/** The run's overrides of the scenario (the flags `run` takes). */
export interface RunOverrides {
  /** `--seed`. */
  seed?: number;
  /** `--duration` (ms). */
  durationMs?: number;
  /** `--strategy`, loaded. */
  strategy?: Strategy;
  /** Where `--strategy` came from, when a module: said in the header, since a file names strategies by name. */
  strategySpec?: string;
  /** `--set`. */
  set?: Record<string, number>;
  /** `--allow-large`: the printed file needs it too. */
  allowLarge?: boolean;
}

/** The scenario as YAML (or JSON), as `run` with these overrides would run it. */
export function printedScenario(file: string, scenario: Scenario, o: RunOverrides, json: boolean): string {
  const { strategy, settings } = runStrategy(o.strategy, scenario, o.set, file);
  const durationMs = o.durationMs ?? scenario.durationMs;
  const run: Scenario = {
    ...scenario,
    seed: o.seed ?? scenario.seed,
    durationMs,
    strategy: strategy?.name ?? scenario.strategy,
    settings,
    // Events a shorter --duration cuts off do not happen in the run (run says so on stderr).
    events: eventsWithin(scenario, durationMs).kept,
  };
  const doc = scenarioDocument(run);
  if (json) return `${JSON.stringify(doc, null, 2)}\n`;
  const module = o.strategySpec !== undefined && o.strategy !== undefined && findStrategy(o.strategySpec) === undefined;
  const flags = [...(module ? [`--strategy ${o.strategySpec}`] : []), ...(o.allowLarge ? ['--allow-large'] : [])].join(' ');
  const header = [
    `# ${file} as \`auctionlab run\` would run it: every default filled in, flags applied.`,
    `# \`auctionlab run <this file>${flags === '' ? '' : ` ${flags}`}\` runs the same.`,
  ];
  return `${header.join('\n')}\n${compactYAML(doc)}`;
}

// Block YAML, but lists of plain values and small maps of plain values on one line
// (`zones: [z1, z2]`, `lock: { ttl: 15s, retry: 1s }`), as people write scenario files.
function compactYAML(value: unknown): string {
  const doc = new Document(value);
  visit(doc, {
    Seq(_, node) {
      if (node.items.every((i) => isScalar(i))) node.flow = true;
    },
    Map(_, node) {
      if (node.items.length <= 4 && node.items.every((p) => isScalar(p.value) || (isSeq(p.value) && p.value.items.every(isScalar)) || (isMap(p.value) && p.value.items.length === 1 && isSeq(p.value.items[0]?.value)))) node.flow = true;
    },
  });
  return doc.toString({ lineWidth: 0 });
}
