import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { inject } from 'vitest';
import { WorkstationPage } from '../pages/WorkstationPage';
import { collectPageErrors, launchBrowser } from './launchBrowser';
import { writeOrientationPhantom } from './writeOrientationPhantom';

export const artifacts = resolve(import.meta.dirname, '../artifacts');

/** What one test file drives: Chromium, one page on the app, and a scratch folder for the files it makes. */
export interface AppSession {
  browser: Browser;
  page: Page;
  app: WorkstationPage;
  folder: string;
  pageErrors: string[];
}

/** Launches Chromium, opens the test host's app in a new page (1100×760 unless told) and makes a scratch folder. */
export async function openAppSession(name: string, pageOptions: BrowserContextOptions = {}): Promise<AppSession> {
  mkdirSync(artifacts, { recursive: true });
  const folder = mkdtempSync(join(tmpdir(), `genseg-${name}-`));
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1100, height: 760 }, ...pageOptions });
  const pageErrors = collectPageErrors(page);
  const app = new WorkstationPage(page);
  await app.open(inject('appUrl'));
  return { browser, page, app, folder, pageErrors };
}

/** Writes what the page reported as errors to `artifacts/<name>-page-errors.txt`, closes Chromium, removes the folder. */
export async function closeAppSession(session: AppSession | undefined, name: string): Promise<void> {
  if (!session) return;
  writeFileSync(join(artifacts, `${name}-page-errors.txt`), session.pageErrors.join('\n'));
  await session.browser.close();
  rmSync(session.folder, { recursive: true, force: true });
}

/**
 * Writes one RAS orientation phantom per name into the session's folder and imports each by its path, as a user types
 * it; returns the scans' ids by name.
 */
export async function importPhantoms(session: AppSession, names: string[]): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const name of names) {
    const path = join(session.folder, `${name}.nii`);
    writeOrientationPhantom(path, 'ras');
    await session.app.importFromPath(path, name);
    ids[name] = await session.app.volumeId(name);
  }
  return ids;
}
