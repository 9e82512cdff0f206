import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '../../main/project';
import { readSignal, waitForSignals } from './pages/readBodySignals';
import type { WorkstationPage } from './pages/WorkstationPage';
import { artifacts, closeAppSession, openAppSession, type AppSession } from './support/appSession';
import { keepScreenshotOfFailures } from './support/keepScreenshotOfFailures';
import { writeOrientationPhantom } from './support/writeOrientationPhantom';

const screens = join(import.meta.dirname, '../../docs/results/screens');

/**
 * Issue 19, item 8, as a user does it in a browser: the whole export in one zip with the options chosen (scans tagged
 * no tumour as empty masks, slice numbers counted as the viewer counts them), a colleague's project folder opened by
 * its path, and a reload that comes back to the same project and scan.
 */
describe('export and coming back', () => {
  let session: AppSession | undefined;
  let page: Page;
  let app: WorkstationPage;
  let folder: string;
  const downloads: Download[] = [];
  keepScreenshotOfFailures(artifacts, () => page);

  beforeAll(async () => {
    session = await openAppSession('export', { viewport: { width: 1280, height: 1000 }, acceptDownloads: true });
    ({ page, app, folder } = session);
    page.on('download', (download) => downloads.push(download));
    await app.createProject('Export');
    writeOrientationPhantom(join(folder, 'tumour scan.nii'), 'ras');
    writeOrientationPhantom(join(folder, 'clear scan.nii'), 'coronal');
    await app.importFromPath(join(folder, 'tumour scan.nii'), 'tumour scan');
    await app.importFromPath(join(folder, 'clear scan.nii'), 'clear scan');
  });

  afterAll(async () => {
    await closeAppSession(session, 'export');
  });

  it('downloads the whole export as one zip with the chosen options, slice numbers counted from 1 as on screen', async () => {
    await app.chooseVolume('clear scan');
    await app.labels.pressKey('a');
    await app.chooseVolume('tumour scan');
    const shown = Number(await readSignal(page, 'viewerSlice'));
    await app.masks.chooseTool('brush');
    await app.masks.drawStroke([{ x: -40, y: 0 }, { x: 40, y: 10 }]);
    await app.masks.chooseTool('navigate');

    await page.getByTestId('export-empty-absent').check();
    await page.getByTestId('export-proposals').selectOption('accepted-and-pending');
    await page.getByTestId('export-masks').click();
    await waitForSignals(page, [{ signal: 'exportCount', is: 'greater', value: 0 }], { timeout: 120_000 });
    await expect.poll(() => downloads.length).toBe(1);
    const zip = downloads[0]!;
    expect(zip.suggestedFilename()).toMatch(/^Export-export-.+\.zip$/);
    expect(await readSignal(page, 'exportDownload')).toBe(zip.suggestedFilename());
    const files = unzipSync(new Uint8Array(readFileSync((await zip.path())!)));
    expect(Object.keys(files).sort()).toEqual(['case_0001_mask.nii.gz', 'case_0002_mask.nii.gz', 'manifest.csv', 'manifest.json']);
    const rows = new TextDecoder().decode(files['manifest.csv']).trim().split('\n');
    expect(rows[0]).toContain('masked_slice_count,masked_slice_numbers_1based');
    expect(rows[1]).toContain(`"tumour scan"`);
    expect(rows[1]).toContain(`"present","1","${shown + 1}","","1 drawn"`);
    expect(rows[2]).toContain(`"clear scan"`);
    expect(rows[2]).toContain('"absent","0","","","empty mask: scan tagged no tumour"');
    const summary = page.getByTestId('export-summary');
    expect(await summary.innerText()).toContain('clear scan: case_0002_mask.nii.gz (empty mask: scan tagged no tumour)');
    await page.getByTestId('export-panel').evaluate((element) => element.scrollIntoView({ block: 'end' }));
    await app.screenshot(join(screens, 'export-options.png'));
  });

  it("opens a colleague's project folder by the path typed in the browser", async () => {
    const colleague = await new Workspace(join(folder, 'colleague-workspace')).createProject('Colleague', join(folder, 'shared', 'colleague project'));
    await page.getByTestId('open-project-folder').click();
    await page.getByTestId('project-folder-path').fill(`"${join(folder, 'shared', 'colleague project')}"`);
    await page.getByTestId('project-folder-open').click();
    await page.getByTestId('current-project').filter({ hasText: 'Colleague' }).waitFor();
    expect(await page.getByTestId('project-item').filter({ hasText: 'Colleague' }).getAttribute('data-project-id')).toBe(colleague.id);
    // A folder that is not a project is refused in words.
    await page.getByTestId('open-project-folder').click();
    await page.getByTestId('project-folder-path').fill(folder);
    await page.getByTestId('project-folder-open').click();
    expect(await app.waitForNotification('error', 'not a GenSeg Workstation project')).toContain('project.json is missing');
  });

  it('comes back to the same project and scan after a reload', async () => {
    await app.openProject('Export');
    await app.chooseVolume('clear scan');
    const clear = await app.volumeId('clear scan');
    await app.reload();
    await page.getByTestId('current-project').filter({ hasText: 'Export' }).waitFor();
    await waitForSignals(page, [{ signal: 'viewerVolumeId', is: 'equal', value: clear }, { signal: 'viewerState', is: 'equal', value: 'rendered' }], { timeout: 120_000 });
    expect(session!.pageErrors).toEqual([]);
  });
});
