// ESLint flat config. The determinism rule: src/core and src/sim must not read the wall clock,
// use global randomness or set timers, so that a run is a pure function of its scenario and seed.
import path from 'node:path';
import js from '@eslint/js';
import jsdoc from 'eslint-plugin-jsdoc';
import tseslint from 'typescript-eslint';

const determinism = {
  'no-restricted-properties': [
    'error',
    { object: 'Math', property: 'random', message: 'Use a seeded stream (determinism rule).' },
    { object: 'Date', property: 'now', message: 'No wall clock in core/sim (determinism rule).' },
    { object: 'performance', property: 'now', message: 'No wall clock in core/sim (determinism rule).' },
  ],
  'no-restricted-syntax': [
    'error',
    // `new Date(ms)` names a fixed instant (a cron schedule's calendar); without an argument, or `Date()`, it reads the clock.
    { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'No wall clock in core/sim (determinism rule).' },
    { selector: "CallExpression[callee.name='Date']", message: 'No wall clock in core/sim (determinism rule).' },
  ],
  'no-restricted-globals': [
    'error',
    { name: 'setTimeout', message: 'No timers in core/sim (determinism rule).' },
    { name: 'setInterval', message: 'No timers in core/sim (determinism rule).' },
    { name: 'setImmediate', message: 'No timers in core/sim (determinism rule).' },
    { name: 'performance', message: 'No wall clock in core/sim (determinism rule).' },
  ],
};

// The layers: which top-level folder of src/ may import which (a folder may always import itself;
// packages are not restricted). The core is the library that the simulator and the real backend
// both drive, so it imports nothing of the project; the simulator and the real backend never import
// each other; the report reads results (compare, metrics, and src/results: the run's result types
// and the metric registry, which the simulator writes), never the simulator, the real backend or the CLI; nothing imports the CLI. '(root)' is a file directly in src/: the package's
// entry points src/index.ts (the core) and src/sim.ts (the simulator with its scenario files, which
// sits at the root because scenario loading is above the simulator).
const LAYERS = {
  core: [],
  io: ['core'],
  metrics: ['core'],
  results: ['core', 'metrics'],
  scenario: ['core', 'io', 'results', 'sim'],
  sim: ['core', 'metrics', 'results'],
  real: ['core'],
  compare: ['core', 'io', 'metrics', 'results', 'scenario', 'sim'],
  report: ['core', 'compare', 'metrics', 'results'],
  testing: ['(root)', 'core', 'metrics', 'results', 'scenario', 'sim'],
  // Trace importers: they write scenario files, so they may use the scenario's writers.
  import: ['core', 'io', 'scenario', 'sim'],
  '(root)': ['core', 'io', 'metrics', 'results', 'scenario', 'sim', 'compare', 'report'],
  cli: ['(root)', 'core', 'io', 'metrics', 'results', 'scenario', 'sim', 'real', 'compare', 'report', 'testing', 'import'],
};

// A rule of our own (no plugin resolves these paths for us): each relative import is resolved
// against its file and must land in the importing layer or one it may import.
const layers = {
  rules: {
    'allowed-imports': {
      meta: { type: 'problem', messages: { bad: "src/{{from}} may not import src/{{to}} ('{{spec}}'): {{from}} may import {{allowed}}" } },
      create(context) {
        const src = path.resolve(context.cwd, 'src');
        const layerOf = (rel) => {
          const first = rel.split(path.sep)[0];
          return /\.[jt]s$/.test(first) ? '(root)' : first;
        };
        const rel = path.relative(src, context.filename);
        if (rel.startsWith('..') || path.isAbsolute(rel)) return {};
        const from = layerOf(rel);
        const allowed = LAYERS[from];
        if (!allowed) return {};
        const check = (source) => {
          const spec = source?.value;
          if (typeof spec !== 'string' || !spec.startsWith('.')) return;
          const target = path.relative(src, path.resolve(path.dirname(context.filename), spec));
          const to = target.startsWith('..') ? '(outside src)' : layerOf(target);
          if (to === from || allowed.includes(to)) return;
          context.report({ node: source, messageId: 'bad', data: { from, to, spec, allowed: allowed.length ? allowed.join(', ') : 'nothing outside itself' } });
        };
        return {
          ImportDeclaration: (node) => check(node.source),
          ExportNamedDeclaration: (node) => check(node.source),
          ExportAllDeclaration: (node) => check(node.source),
          ImportExpression: (node) => check(node.source),
        };
      },
    },
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'reports/**', 'coverage/**', 'docs/api/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly', URL: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  { files: ['src/core/**/*.ts', 'src/sim/**/*.ts'], rules: determinism },
  { files: ['src/**/*.ts'], plugins: { layers }, rules: { 'layers/allowed-imports': 'error' } },
  // The report's drawing code runs in the browser (and in Node for PNGs).
  {
    files: ['src/report/client/**/*.js'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly', performance: 'readonly', requestAnimationFrame: 'readonly' } },
  },
  // TSDoc on every public export of the library and the tools.
  {
    files: ['src/**/*.ts'],
    plugins: { jsdoc },
    rules: {
      'jsdoc/require-jsdoc': [
        'error',
        {
          publicOnly: true,
          require: { FunctionDeclaration: true, ClassDeclaration: true, MethodDefinition: true },
          contexts: ['TSInterfaceDeclaration', 'TSTypeAliasDeclaration', 'ExportNamedDeclaration > VariableDeclaration', 'TSPropertySignature'],
        },
      ],
    },
  },
);
