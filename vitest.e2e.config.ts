import { defineConfig } from 'vitest/config';

/**
 * End-to-end tests: the built renderer (out/renderer, built by the test script beforehand) served by the real web
 * host with a temporary workspace, driven in Debian's Chromium through playwright-core. One worker: the tests share
 * one host and the machine's few cores.
 */
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    environment: 'node',
    globalSetup: ['tests/e2e/support/startTestHost.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false
  }
});
