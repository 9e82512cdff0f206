import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { join, resolve } from 'node:path';
import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { SocketClient } from '../../main/contract';
import { waitForSignals } from './pages/readBodySignals';
import { WorkstationPage } from './pages/WorkstationPage';
import { closeAppSession, openAppSession, type AppSession } from './support/appSession';
import { connectApi, findProjectId } from './support/connectApi';
import { keepScreenshotOfFailures } from './support/keepScreenshotOfFailures';
import { writeOrientationPhantom } from './support/writeOrientationPhantom';

const artifacts = resolve(import.meta.dirname, 'artifacts');

/**
 * Masks in and the other export formats from the app: a NIfTI label map imported onto the selected scan through the
 * form beside the import forms (the viewer reloads it), then an nnU-Net dataset downloaded, and a DICOM SEG refused
 * for a scan that came from NIfTI, with the reason.
 */
describe('mask import and export formats', () => {
  let session: AppSession | undefined;
  let page: Page;
  keepScreenshotOfFailures(artifacts, () => page);
  let app: WorkstationPage;
  let api: SocketClient;
  let folder: string;
  const downloads: Download[] = [];

  beforeAll(async () => {
    session = await openAppSession('mask-import', { viewport: { width: 1100, height: 1000 }, acceptDownloads: true });
    ({ page, app, folder } = session);
    page.on('download', (download) => downloads.push(download));
    api = connectApi(inject('appUrl'));
    await app.createProject('Masks in');
    writeOrientationPhantom(join(folder, 'scan.nii'), 'ras');
    await app.importFromPath(join(folder, 'scan.nii'), 'scan');
  });

  afterAll(async () => {
    api?.close();
    await closeAppSession(session, 'mask-import');
  });

  it('imports a label map onto the selected scan; the viewer shows it and main keeps its provenance', async () => {
    const projectId = await findProjectId(api, 'Masks in');
    await app.chooseVolume('scan');
    const volumeId = await app.volumeId('scan');
    await app.masks.waitForMaskLoaded(volumeId);
    const labelPath = join(folder, 'label.nii.gz');
    execFileSync('/usr/bin/python3', [
      '-c',
      `import sys, numpy as np, nibabel as nib
image = nib.load(sys.argv[1]); label = np.zeros(image.shape[:3], dtype=np.uint8); label[10:20, 12:30, 8:10] = 1
out = nib.Nifti1Image(label, image.affine); out.set_sform(image.affine, 1); out.set_qform(image.affine, 1); nib.save(out, sys.argv[2])`,
      join(folder, 'scan.nii'),
      labelPath
    ]);
    await page.getByTestId('mask-import-path').fill(labelPath);
    await page.getByTestId('mask-import-path-submit').click();
    await waitForSignals(page, [{ signal: 'maskImportCount', is: 'greater', value: 0 }], { timeout: 120_000 });
    await app.masks.waitForMaskLoaded(volumeId);
    expect(await page.getByTestId('mask-import-summary').innerText()).toContain('label.nii.gz: 2 slices, same-grid');
    const slices = (await api.call('getMaskSlices', { projectId, volumeId })).slices;
    expect(slices.map((slice) => [slice.sliceIndex, slice.provenance, slice.sourceFile])).toEqual([
      [8, 'imported', 'label.nii.gz'],
      [9, 'imported', 'label.nii.gz']
    ]);
    await waitForSignals(page, [{ signal: 'maskDrawn', is: 'equal', value: 'true' }]);
  });

  it('exports an nnU-Net dataset as one zip with its folders, and refuses a DICOM SEG for a NIfTI scan with the reason', async () => {
    await page.getByTestId('export-format').selectOption('nnunet');
    await page.getByTestId('export-masks').click();
    await waitForSignals(page, [{ signal: 'exportCount', is: 'greater', value: 0 }], { timeout: 120_000 });
    const summary = await page.getByTestId('export-summary').innerText();
    expect(summary).toContain('4 files');
    await expect.poll(() => downloads.filter((download) => download.suggestedFilename().endsWith('.zip'))).toHaveLength(1);
    const zip = downloads.find((download) => download.suggestedFilename().endsWith('.zip'))!;
    const files = unzipSync(new Uint8Array(readFileSync((await zip.path())!)));
    expect(Object.keys(files).filter((name) => name.endsWith('/dataset.json'))).toHaveLength(1);
    expect(Object.keys(files).some((name) => /\/imagesTr\/case_\w+_0000\.nii\.gz$/.test(name))).toBe(true);
    await page.getByTestId('export-format').selectOption('dicom-seg');
    await page.getByTestId('export-masks').click();
    const message = await app.waitForNotification('error', 'imported from NIfTI');
    expect(message).toContain('a DICOM SEG must reference the DICOM images it segments');
    expect(session!.pageErrors).toEqual([]);
  });
});
