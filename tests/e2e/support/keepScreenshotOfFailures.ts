import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach } from 'vitest';

/**
 * After a failed test, a screenshot of the whole page goes to `artifacts/failed-<test name>.png`, so a failure on CI
 * can be seen, not only read.
 */
export function keepScreenshotOfFailures(artifacts: string, currentPage: () => Page | undefined): void {
  afterEach(async ({ task }) => {
    const page = currentPage();
    if (task.result?.state !== 'fail' || !page || page.isClosed()) return;
    const name = task.name.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 80);
    await page.screenshot({ path: join(artifacts, `failed-${name}.png`) }).catch(() => undefined);
  });
}
