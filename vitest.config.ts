import { defineConfig } from 'vitest/config';

// Unit and integration tests run on plain Node with real files; e2e tests are run by Playwright separately.
export default defineConfig({
  test: {
    include: ['main/**/*.test.ts', 'electron/**/*.test.ts', 'renderer/**/*.test.ts', 'tests/**/*.test.ts', 'bench/**/*.test.ts'],
    exclude: ['tests/e2e/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2
  }
});
