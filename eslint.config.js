// Lint rules, including the process and floor boundaries of docs/architecture.md as errors.
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import vue from 'eslint-plugin-vue';
import tseslint from 'typescript-eslint';
import vueParser from 'vue-eslint-parser';

// The floors of main/, bottom first (docs/architecture.md). A domain imports from its own floor or the ones below,
// and only through the other domain's index.ts; tests and testing/ helpers may reach up to drive the whole app.
const floors = [
  ['contract', 'common'],
  ['imaging', 'db'],
  ['project', 'annotation', 'export'],
  ['training', 'inference', 'jobs'],
  ['api'],
  ['app'],
  ['server', 'cli', 'demo']
];
const domains = floors.flat();
const floorOf = (domain) => floors.findIndex((floor) => floor.includes(domain));
const testFiles = ['main/**/*.test.ts', 'main/**/testing/**/*.ts'];

/** Zones for import-x/no-restricted-paths: no import from a higher floor. */
function upwardZones() {
  return domains.flatMap((target) =>
    domains
      .filter((from) => floorOf(from) > floorOf(target))
      .map((from) => ({
        target: `./main/${target}`,
        from: `./main/${from}`,
        message: `main/${target} (floor ${floorOf(target)}) must not import main/${from} (floor ${floorOf(from)}): see docs/architecture.md.`
      }))
  );
}

/** Zones: another domain is reached through its index.ts (tests may also use its testing/ helpers). */
function deepImportZones(except) {
  return domains.flatMap((target) =>
    domains
      .filter((from) => from !== target)
      .map((from) => ({
        target: `./main/${target}`,
        from: `./main/${from}`,
        except,
        message: `Import main/${from} through its index.ts, not a file inside it.`
      }))
  );
}

const nodeBuiltins = ['fs', 'path', 'os', 'child_process', 'crypto', 'http', 'net', 'worker_threads', 'url', 'util', 'stream'];

export default tseslint.config(
  {
    ignores: ['tests/lint/fixtures/**', 'out/**', 'dist/**', 'release/**', 'node_modules/**', '.cache/**', 'coverage/**', 'tests/e2e/artifacts/**', 'bench/results/**', 'bench/reference/**']
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parser: vueParser, parserOptions: { parser: tseslint.parser, sourceType: 'module' } }
  },
  {
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        createTypeScriptImportResolver({ project: ['tsconfig.node.json', 'tsconfig.web.json'], noWarnOnMultipleProjects: true })
      ],
      // Without these, import-x builds no export map of a .ts file, and no-cycle passes over every import.
      'import-x/extensions': ['.ts', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] }
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': 'error',
      'max-lines-per-function': ['warn', { max: 100, skipBlankLines: true, skipComments: true }],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off'
    }
  },
  {
    files: ['main/**/*.ts'],
    ignores: testFiles,
    rules: { 'import-x/no-restricted-paths': ['error', { zones: [...upwardZones(), ...deepImportZones(['./index.ts'])] }] }
  },
  {
    files: testFiles,
    rules: { 'import-x/no-restricted-paths': ['error', { zones: deepImportZones(['./index.ts', './testing']) }] }
  },
  {
    // TypeScript checks names itself; for plain scripts, declare the Node globals they use.
    files: ['**/*.ts', '**/*.vue'],
    rules: { 'no-undef': 'off' }
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } }
  },
  {
    files: ['**/*.test.ts', 'tests/**/*.ts'],
    rules: { 'max-lines-per-function': 'off' }
  },
  {
    // main/ runs under plain Node (tests, CLI, web host, training process): never Electron, never the renderer.
    files: ['main/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'main/ runs under plain Node: only electron/ may import electron.' }],
          patterns: [{ group: ['**/renderer/**', '@renderer/*'], message: 'main/ must not import the renderer.' }]
        }
      ]
    }
  },
  {
    // The shell is thin: it reaches the core through main/app and main/jobs, and the contract's files (the preload
    // imports single files of the contract so that its bundle stays free of zod).
    files: ['electron/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)main/(?!(contract(/|$)|app$|jobs$))',
              message: 'electron/ imports from main/ only main/app, main/jobs and the contract (docs/architecture.md).'
            }
          ]
        }
      ]
    }
  },
  {
    // The renderer is a web page: no Node, no Electron, and from main/ only the API contract.
    files: ['renderer/**/*.ts', 'renderer/**/*.vue'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The renderer reaches main only through the API client.' },
            ...nodeBuiltins.map((name) => ({ name, message: 'The renderer is a web page: no Node modules.' }))
          ],
          patterns: [
            { group: ['node:*'], message: 'The renderer is a web page: no Node modules.' },
            {
              regex: '(^|/)main/(?!contract(/|$))',
              message: 'The renderer may import from main/ only the API contract (main/contract).'
            },
            { group: ['**/electron/**'], message: 'The renderer must not import the Electron shell.' }
          ]
        }
      ]
    }
  },
  {
    // The contract is shared with the renderer: zod and plain TypeScript only.
    files: ['main/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', ...nodeBuiltins],
          patterns: [{ group: ['node:*', '../*', '!./*'], message: 'The contract imports only zod and its own files.' }]
        }
      ]
    }
  }
);
