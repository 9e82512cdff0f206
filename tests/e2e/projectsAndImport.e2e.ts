import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readSignal, waitForSignals } from './pages/readBodySignals';
import { WorkstationPage } from './pages/WorkstationPage';
import { closeAppSession, openAppSession, type AppSession } from './support/appSession';
import { keepScreenshotOfFailures } from './support/keepScreenshotOfFailures';
import { writeOrientationPhantom } from './support/writeOrientationPhantom';

const artifacts = resolve(import.meta.dirname, 'artifacts');

describe('projects, imports and messages', () => {
  let session: AppSession | undefined;
  let page: Page;
  keepScreenshotOfFailures(artifacts, () => page);
  let app: WorkstationPage;
  let folder: string;

  beforeAll(async () => {
    session = await openAppSession('import');
    ({ page, app, folder } = session);
  });

  afterAll(async () => {
    await closeAppSession(session, 'import');
  });

  it('keeps the access token out of the address bar and still connects after a reload', async () => {
    await app.screenshot(join(artifacts, 'start.png'));
    expect(page.url()).not.toContain('token=');
    await app.reload();
    expect(await readSignal(page, 'appState')).toBe('ready');
  });

  it('tells the user what to do when the page was opened without its access key', async () => {
    const strangerPage = await session!.browser.newPage();
    const stranger = new WorkstationPage(strangerPage);
    const address = new URL(inject('appUrl'));
    address.searchParams.delete('token');
    await expect(stranger.open(address.href)).rejects.toThrow(/opened without its access key/);
    expect(await stranger.waitForNotification('error', 'access key')).toContain('Open the full address');
    await strangerPage.close();
  });

  it('tells the user in plain words why an import failed', async () => {
    await app.createProject('Import checks');
    await app.submitImportPath('/no/such/folder/scan.nii.gz');
    const missing = await app.waitForNotification('error', 'does not exist');
    expect(missing).toContain('/no/such/folder/scan.nii.gz does not exist.');
    expect(missing).not.toMatch(/\bat \S+:\d+/);
    await app.submitImportPath('relative/scan.nii');
    expect(await app.waitForNotification('error', 'full path')).toContain('Type the full path of the file');
  });

  it('imports an uploaded file and lists it with its dimensions', async () => {
    const path = join(folder, 'uploaded-phantom.nii');
    writeOrientationPhantom(path, 'ras');
    const item = await app.importByUpload(path, 'uploaded-phantom');
    expect(await item.innerText()).toContain('40 × 48 × 30 · 2 × 2 × 2 mm · uint8');
    await app.chooseVolume('uploaded-phantom');
    expect(session!.pageErrors).toEqual([]);
  });

  it('lists the projects and reopens one', async () => {
    await app.createProject('Second project');
    await expect.poll(() => app.volumeItem('uploaded-phantom').count()).toBe(0);
    // The other project's image is gone from the viewer too.
    await waitForSignals(page, [{ signal: 'viewerState', is: 'equal', value: 'empty' }]);
    expect(await readSignal(page, 'viewerVolumeId')).toBeNull();
    await app.openProject('Import checks');
    await app.volumeItem('uploaded-phantom').waitFor();
  });
});
