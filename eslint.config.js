// Lint rules, including the process and floor boundaries of docs/architecture.md as errors.
import js from '@eslint/js';
import { importX } from 'eslint-plugin-import-x';
import vue from 'eslint-plugin-vue';
import tseslint from 'typescript-eslint';
import vueParser from 'vue-eslint-parser';

const nodeBuiltins = ['fs', 'path', 'os', 'child_process', 'crypto', 'http', 'net', 'worker_threads', 'url', 'util', 'stream'];

export default tseslint.config(
  {
    ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', '.cache/**', 'coverage/**', 'tests/e2e/artifacts/**', 'bench/results/**', 'bench/reference/**']
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
    settings: { 'import-x/resolver-next': [] },
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
              regex: '(^|/)main/(?!api/contract(/|$))',
              message: 'The renderer may import from main/ only the API contract (main/api/contract).'
            },
            { group: ['**/electron/**'], message: 'The renderer must not import the Electron shell.' }
          ]
        }
      ]
    }
  },
  {
    // The contract is shared with the renderer: zod and plain TypeScript only.
    files: ['main/api/contract/**/*.ts'],
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
