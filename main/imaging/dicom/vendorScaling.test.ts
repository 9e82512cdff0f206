/**
 * Issue 20, item 5: the scaling applied is said. nibabel's real Philips enhanced MPRAGE carries RescaleSlope 2.108 and
 * Philips' private scale (2005,100E) per frame; the DICOM rescale is applied, as `dcm2niix -p n` does (checked voxel
 * for voxel), and the private scale is reported as seen but not applied.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { createTemporaryFolder, daikonSeriesFolder } from '../testing/dicomFixtures';
import { expectSameAsDcm2niix } from '../testing/expectSameAsDcm2niix';
import { removeTemporaryFolders } from '../testing/temporaryFolders';
import { loadDicomSeries } from './loadDicomSeries';
import { scanDicomFolder } from './scanDicomFolder';

afterAll(removeTemporaryFolders);

describe('vendor scaling', () => {
  it('applies the DICOM rescale of a Philips file as dcm2niix -p n and reports the private scale it left out', async () => {
    const folder = join(createTemporaryFolder('philips'), 'mprage');
    mkdirSync(folder);
    const gz = readFileSync('/usr/lib/python3/dist-packages/nibabel/nicom/tests/data/philips_mprage.dcm.gz');
    writeFileSync(join(folder, 'philips_mprage.dcm'), gunzipSync(gz));
    const scan = await scanDicomFolder(folder);
    const imported = await loadDicomSeries(scan.series[0]!, { decodeWorkers: 0 });
    const { scaling, warnings } = imported.description;
    expect(scaling).toMatchObject({
      applied: 'dicom-rescale',
      slope: 2.1079365079365,
      intercept: 0,
      notApplied: { vendor: 'Philips', scaleIntercept: 0 }
    });
    expect(scaling!.notApplied!.scaleSlope).toBeCloseTo(0.00026825038, 10);
    expect(scaling!.text).toBe(
      'DICOM RescaleSlope 2.1079365079365 and RescaleIntercept 0 applied. Philips private scale slope 0.00026825 (2005,100E), intercept 0 (2005,100D) seen but not applied, as dcm2niix -p n.'
    );
    expect(warnings).toContain(
      "The Philips private scale (slope 0.00026825 (2005,100E), intercept 0 (2005,100D)) was not applied: the values are the DICOM-rescaled ones, as dcm2niix -p n writes them, not Philips' floating-point values."
    );
    await expectSameAsDcm2niix(imported, folder, ['-p', 'n']);
  });

  it('says when no rescale was applied', async () => {
    const scan = await scanDicomFolder(daikonSeriesFolder());
    const { description } = await loadDicomSeries(scan.series[0]!, { decodeWorkers: 0 });
    expect(description.scaling).toEqual({
      applied: 'none',
      slope: 1,
      intercept: 0,
      text: 'No rescale: the stored values (RescaleSlope 1, RescaleIntercept 0 or none).'
    });
    expect(description.warnings.join(' ')).not.toMatch(/Philips/);
  });
});
