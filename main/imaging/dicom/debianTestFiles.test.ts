/**
 * Issue 20, item 8: every DICOM file in pydicom's and nibabel's Debian test data either imports with pydicom's pixels
 * or is refused with its reason (an ImagingError that names the file, in words).
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ImagingError } from '../ImagingError';
import { runPythonJson } from '../testing/runPythonOracle';
import { createTemporaryFolder, removeTemporaryFolders } from '../testing/temporaryFolders';
import { loadDicomSeries } from './loadDicomSeries';
import { scanDicomFolder } from './scanDicomFolder';

afterAll(removeTemporaryFolders);

const folders = [
  '/usr/lib/python3/dist-packages/pydicom/data/test_files',
  '/usr/lib/python3/dist-packages/nibabel/tests/data'
];
const files = folders
  .filter((folder) => existsSync(folder))
  .flatMap((folder) =>
    readdirSync(folder)
      .filter((name) => name.endsWith('.dcm'))
      .map((name) => join(folder, name))
  );

/** pydicom's modality-value sum of monochrome images, or null where pydicom has no pixels (or colour). */
const ORACLE = `
import json, sys, warnings, numpy as np, pydicom
from pydicom.pixel_data_handlers.util import apply_modality_lut
warnings.simplefilter('ignore')
out = {}
for path in sys.argv[1:]:
    try:
        ds = pydicom.dcmread(path)
        pi = str(ds.get('PhotometricInterpretation', ''))
        a = ds.pixel_array
        if 'MOSAIC' in [str(v).upper() for v in ds.get('ImageType', [])]:
            # A mosaic is cut into its slices: the padding tiles are not part of the volume (nibabel's wrapper).
            from nibabel.nicom import dicomwrappers
            out[path] = float(dicomwrappers.wrapper_from_data(ds).get_data().astype('f8').sum())
        elif pi.startswith('MONO'):
            out[path] = float(apply_modality_lut(a, ds).astype('f8').sum())
        elif pi == 'YBR_FULL_422' and 'TransferSyntaxUID' in ds.file_meta and not ds.file_meta.TransferSyntaxUID.is_compressed:
            out[path] = float(a[..., 0].astype('f8').sum())
        else:
            out[path] = None
    except Exception:
        out[path] = None
print(json.dumps(out))
`;

describe('Debian DICOM test files', () => {
  const sums = runPythonJson<Record<string, number | null>>(ORACLE, files);

  it.each(files.map((path) => [basename(path), path]))(
    '%s imports with pydicom’s pixels or is refused in words',
    async (_name, path) => {
      const folder = join(createTemporaryFolder('debian-dicom'), 'one');
      mkdirSync(folder);
      const copy = join(folder, basename(path));
      copyFileSync(path, copy);
      let total: number | undefined;
      try {
        const scan = await scanDicomFolder(folder);
        total = 0;
        for (const series of scan.series) {
          const { volume } = await loadDicomSeries(series, { decodeWorkers: 0 });
          for (const value of volume.scalars) total += value;
        }
      } catch (error) {
        expect(error).toBeInstanceOf(ImagingError);
        const refused = (error as ImagingError).files?.[0]?.reason ?? (error as ImagingError).message;
        expect(refused).toContain(copy);
        expect(refused).not.toMatch(/undefined|TypeError|Cannot read|dicomParser|NaN/);
        return;
      }
      const expected = sums[path];
      if (expected !== null && expected !== undefined)
        expect(Math.abs(total - expected)).toBeLessThanOrEqual(1e-3 * Math.max(1, Math.abs(expected)));
    }
  );

  it.each(['MR_small_padded.dcm', 'SC_ybr_full_422_uncompressed.dcm', 'rtdose_rle.dcm'])(
    'imports %s (once refused)',
    async (name) => {
      const path = files.find((file) => basename(file) === name);
      if (!path) return;
      const folder = join(createTemporaryFolder('debian-dicom'), 'one');
      mkdirSync(folder);
      copyFileSync(path, join(folder, name));
      const scan = await scanDicomFolder(folder);
      expect(scan.series).toHaveLength(1);
      const { volume } = await loadDicomSeries(scan.series[0]!, { decodeWorkers: 0 });
      let total = 0;
      for (const value of volume.scalars) total += value;
      expect(Math.abs(total - sums[path]!)).toBeLessThanOrEqual(1e-3 * Math.abs(sums[path]!));
    }
  );

  it('refuses, with the reason, what has no decoder or no readable image', async () => {
    const reasons: Record<string, string> = {};
    for (const name of ['JPEG2000-embedded-sequence-delimiter.dcm', 'JPEG-lossy.dcm', 'SC_rgb_jpeg.dcm']) {
      const path = files.find((file) => basename(file) === name);
      if (!path) continue;
      const folder = join(createTemporaryFolder('debian-dicom'), 'one');
      mkdirSync(folder);
      copyFileSync(path, join(folder, name));
      try {
        const scan = await scanDicomFolder(folder);
        await loadDicomSeries(scan.series[0]!, { decodeWorkers: 0 });
      } catch (error) {
        reasons[name] = ((error as ImagingError).files?.[0]?.reason ?? (error as ImagingError).message).replace(`${folder}/`, '');
      }
    }
    // The JPEG 2000 codestream's own size field holds the bytes of a sequence delimiter (FFFE E0DD): its width reads
    // 3,722,445,056. OpenJPEG and GDCM cannot decode it (pydicom's GDCM handler returns an unfilled buffer), Pillow
    // refuses it as a decompression bomb.
    expect(reasons['JPEG2000-embedded-sequence-delimiter.dcm']).toBe(
      'JPEG2000-embedded-sequence-delimiter.dcm cannot be imported: its JPEG 2000 data holds a 3722445056 × 1024 image where the DICOM header says 256 × 1024.'
    );
    // SC_rgb_jpeg.dcm's data set is written in implicit VR under an explicit transfer syntax: it is read now (as
    // pydicom reads it), then refused because its RGB JPEG would be decoded as YCbCr.
    expect(reasons['SC_rgb_jpeg.dcm']).toBe(
      "SC_rgb_jpeg.dcm cannot be imported: its colour JPEG data is stored as RGB without a colour transform, and this application's JPEG decoder (Cornerstone's libjpeg-turbo build) always converts colour JPEG from YCbCr, which would give wrong values."
    );
    expect(reasons['JPEG-lossy.dcm']).toMatch(
      /^JPEG-lossy\.dcm is compressed with 12-bit JPEG \(extended\), which this application cannot decode yet \(its JPEG decoder, libjpeg-turbo’s 8-bit build, reads 8-bit JPEG only\); convert the series/
    );
  });
});
