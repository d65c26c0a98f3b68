// The problem lines a scenario text gets, for tests that hold the loader's words line for line.
import { parseScenarioText } from '../../src/sim.js';

/** The lines `parseScenarioText` refuses `text` with (as `bad.yaml`); none: it loads. */
export function scenarioProblems(text: string): string[] {
  try {
    parseScenarioText(text, 'bad.yaml');
    return [];
  } catch (e) {
    return (e as Error).message.split('\n');
  }
}
