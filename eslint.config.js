// ESLint flat config. The determinism rule: src/core and src/sim must not read the wall clock,
// use global randomness or set timers, so that a run is a pure function of its scenario and seed.
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
    { selector: "NewExpression[callee.name='Date']", message: 'No wall clock in core/sim (determinism rule).' },
  ],
  'no-restricted-globals': [
    'error',
    { name: 'setTimeout', message: 'No timers in core/sim (determinism rule).' },
    { name: 'setInterval', message: 'No timers in core/sim (determinism rule).' },
    { name: 'setImmediate', message: 'No timers in core/sim (determinism rule).' },
    { name: 'performance', message: 'No wall clock in core/sim (determinism rule).' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'reports/**', 'coverage/**'] },
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
