import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The determinism rule is a lint rule; this proves it bites where it should and only there.
describe('determinism lint rule', () => {
  const eslint = new ESLint();
  const code = 'export const t = Date.now() + Math.random() + new Date().getTime() + performance.now();\nsetTimeout(() => 0, 1);\n';

  it('rejects the wall clock, global randomness and timers in src/core and src/sim', async () => {
    for (const file of ['src/core/x.ts', 'src/sim/x.ts']) {
      const [result] = await eslint.lintText(code, { filePath: file });
      const messages = result!.messages.map((m) => m.message).join('\n');
      expect(messages).toContain('Math.random');
      expect(messages).toContain('Date.now');
      expect(messages).toContain('No wall clock in core/sim');
      expect(messages).toContain("Unexpected use of 'setTimeout'");
    }
  });

  it('tells a fixed instant from the clock: new Date(ms) passes, new Date() and Date() do not', async () => {
    const count = async (text: string) => (await eslint.lintText(text, { filePath: 'src/sim/x.ts' }))[0]!.messages.filter((m) => m.ruleId === 'no-restricted-syntax').length;
    expect(await count('export const d = new Date(86_400_000);\n')).toBe(0);
    expect(await count('export const d = new Date();\n')).toBe(1);
    expect(await count('export const d = Date();\n')).toBe(1);
  });

  it('allows them elsewhere (the CLI may read the clock)', async () => {
    const [result] = await eslint.lintText(code, { filePath: 'src/cli/x.ts' });
    expect(result!.messages.filter((m) => m.ruleId?.startsWith('no-restricted'))).toEqual([]);
  });
});

// The layers are a lint rule too: a deliberate bad import in each direction it forbids is caught,
// and the imports the layers allow pass.
describe('layers lint rule', () => {
  const eslint = new ESLint();
  const lint = async (file: string, spec: string) => {
    const [result] = await eslint.lintText(`import { x } from '${spec}';\nexport const y = x;\n`, { filePath: file });
    return result!.messages.filter((m) => m.ruleId === 'layers/allowed-imports').map((m) => m.message);
  };

  it('rejects the core importing the project, the simulator and the real backend importing each other, the report reading the real backend, anyone importing the CLI', async () => {
    expect(await lint('src/core/x.ts', '../sim/world.js')).toEqual(["src/core may not import src/sim ('../sim/world.js'): core may import nothing outside itself"]);
    expect(await lint('src/core/convergence/x.ts', '../../scenario/parse.js')).toHaveLength(1);
    expect(await lint('src/sim/actors/x.ts', '../../real/cell.js')).toEqual(["src/sim may not import src/real ('../../real/cell.js'): sim may import core, metrics, results"]);
    // The scenario files are read above the simulator (whose event kinds parse them), never below it.
    expect(await lint('src/sim/x.ts', '../scenario/parse.js')).toHaveLength(1);
    expect(await lint('src/real/x.ts', '../sim/world.js')).toHaveLength(1);
    expect(await lint('src/report/x.ts', '../real/auctioneer.js')).toHaveLength(1);
    // The report reads results, not the simulator that writes them.
    expect(await lint('src/report/x.ts', '../sim/world.js')).toHaveLength(1);
    expect(await lint('src/results/x.ts', '../sim/world.js')).toHaveLength(1);
    expect(await lint('src/sim/x.ts', '../cli/main.js')).toHaveLength(1);
    expect(await lint('src/real/x.ts', '../../package.json')).toEqual(["src/real may not import src/(outside src) ('../../package.json'): real may import core"]);
  });

  it('allows a layer itself, the layers below it, and packages', async () => {
    expect(await lint('src/core/convergence/x.ts', '../batch.js')).toEqual([]);
    expect(await lint('src/sim/x.ts', '../core/batch.js')).toEqual([]);
    expect(await lint('src/real/x.ts', '../core/batch.js')).toEqual([]);
    expect(await lint('src/scenario/x.ts', '../sim/events/registry.js')).toEqual([]);
    expect(await lint('src/cli/commands/x.ts', '../../real/cell.js')).toEqual([]);
    expect(await lint('src/core/x.ts', 'seedrandom')).toEqual([]);
    // The entry points are root files: auctionlab/sim re-exports the simulator and the scenario files.
    expect(await lint('src/sim.ts', './scenario/load.js')).toEqual([]);
    expect(await lint('src/testing/x.ts', '../sim.js')).toEqual([]);
  });
});

// No import cycle anywhere in src/ (type-only imports included): each module can be read, tested
// and replaced on its own, and the layers above stay a strict order.
describe('import graph', () => {
  it('has no cycle', () => {
    const graph = new Map<string, string[]>();
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.ts')) {
          const deps = [...readFileSync(path, 'utf8').matchAll(/from\s+['"](\.[^'"]+)['"]/g)].map((m) => resolve(dirname(path), m[1]!).replace(/\.js$/, '.ts'));
          graph.set(resolve(path), deps);
        }
      }
    };
    walk('src');
    const cycles: string[] = [];
    const done = new Set<string>();
    const onPath: string[] = [];
    const visit = (n: string) => {
      done.add(n);
      onPath.push(n);
      for (const m of graph.get(n) ?? []) {
        if (!graph.has(m)) continue;
        const at = onPath.indexOf(m);
        if (at >= 0) cycles.push([...onPath.slice(at), m].map((x) => relative('src', x)).join(' -> '));
        else if (!done.has(m)) visit(m);
      }
      onPath.pop();
    };
    for (const n of graph.keys()) if (!done.has(n)) visit(n);
    expect(graph.size).toBeGreaterThan(100);
    expect(cycles).toEqual([]);
  });
});
