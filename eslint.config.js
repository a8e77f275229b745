// ESLint flat config for queuelab.
//
// Deliberately NOT type-aware (no parserOptions.project): linting stays fast and needs no
// TypeScript program. The layer rule (which src/ folder may import which) is enforced by
// test/architecture/layers.test.ts instead, so it holds even if someone disables a lint rule.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

// The simulation must be deterministic: the same scenario and seed always give the same trace.
// Anything that reads the wall clock, schedules on the host's event loop, touches the host
// environment or draws unseeded randomness breaks that, so the engine and model may not use it.
const DETERMINISM =
  'Determinism: src/engine and src/model use only the simulation clock (sim.now, sim.schedule) ' +
  'and seeded randomness (sim.stream(name)).';

const restrictedGlobals = [
  ['window', 'is a browser global'],
  ['document', 'is a browser global'],
  ['navigator', 'is a browser global'],
  ['performance', 'reads the wall clock'],
  ['Date', 'reads the wall clock'],
  ['setTimeout', 'schedules on the host event loop, not the simulation clock'],
  ['setInterval', 'schedules on the host event loop, not the simulation clock'],
  ['process', 'is a Node global'],
  ['require', 'is a CommonJS/Node global'],
].map(([name, why]) => ({ name, message: `${name} ${why}. ${DETERMINISM}` }));

const unusedVarsOptions = {
  args: 'after-used',
  argsIgnorePattern: '^_',
  varsIgnorePattern: '^_',
  caughtErrorsIgnorePattern: '^_',
  destructuredArrayIgnorePattern: '^_',
  ignoreRestSiblings: true,
};

export default defineConfig(
  {
    name: 'queuelab/ignores',
    ignores: [
      '**/node_modules/**',
      'dist/**',
      'dist-electron/**',
      'dist-web/**',
      'release/**',
      'out/**',
      'test-artifacts/**',
      'coverage/**',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    name: 'queuelab/unused-vars',
    rules: {
      'no-unused-vars': ['error', unusedVarsOptions],
    },
  },
  {
    name: 'queuelab/typescript',
    files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'],
    rules: {
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': ['error', unusedVarsOptions],
    },
  },
  {
    name: 'queuelab/lazy-assert-messages',
    files: ['src/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.name='assert'] > TemplateLiteral",
          message: 'Build an assertion message with interpolation lazily, in an arrow function: a template literal is built on every call, even when the assertion holds.',
        },
      ],
    },
  },
  {
    name: 'queuelab/determinism',
    files: ['src/engine/**', 'src/model/**'],
    rules: {
      'no-restricted-globals': ['error', ...restrictedGlobals],
      'no-restricted-properties': [
        'error',
        {
          object: 'Math',
          property: 'random',
          message: `Math.random is unseeded randomness. ${DETERMINISM}`,
        },
        {
          object: 'Date',
          property: 'now',
          message: `Date.now reads the wall clock. ${DETERMINISM}`,
        },
        {
          object: 'globalThis',
          property: 'Date',
          message: `globalThis.Date reads the wall clock. ${DETERMINISM}`,
        },
        {
          object: 'globalThis',
          property: 'performance',
          message: `globalThis.performance reads the wall clock. ${DETERMINISM}`,
        },
      ],
    },
  },
);
