/**
 * Issue 20, item 2: Siemens mosaics are cut into their slices (tile count and slice normal from the CSA header, the
 * position corrected as dcm2niix and nibabel do), checked on nibabel's real Siemens DWI mosaics and on a mosaic the
 * test makes from a real series (an odd number of slices, an oblique normal); one that cannot be cut is refused.
 */
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ImagingError } from '../ImagingError';
import type { ImportedVolume } from '../importTypes';
import { createSiemensMosaicFile } from '../testing/createSiemensMosaic';
import {
  createRotation,
  createTemporaryFolder,
  daikonSeriesFiles,
  rotateSliceEdits,
  writeDerivedSeries
} from '../testing/dicomFixtures';
import { countDifferences, expectSameAsDcm2niix } from '../testing/expectSameAsDcm2niix';
import { runPythonJson } from '../testing/runPythonOracle';
import { removeTemporaryFolders } from '../testing/temporaryFolders';
import { loadDicomSeries } from './loadDicomSeries';
import { scanDicomFolder } from './scanDicomFolder';

afterAll(removeTemporaryFolders);

const NIBABEL_DATA = '/usr/lib/python3/dist-packages/nibabel/nicom/tests/data';

/** nibabel's MosaicWrapper: shape (rows, columns, slices), LPS affine (row index first) and scaled voxels, k-major. */
const NIBABEL_MOSAIC = `
import json, sys, warnings, numpy as np, pydicom
warnings.simplefilter('ignore')
from nibabel.nicom import dicomwrappers
w = dicomwrappers.wrapper_from_data(pydicom.dcmread(sys.argv[1]))
data = w.get_data()
np.ascontiguousarray(np.transpose(data, (2, 0, 1))).astype('<f8').tofile(sys.argv[2])
print(json.dumps({'mosaic': bool(w.is_mosaic), 'shape': list(data.shape), 'affine': w.affine.tolist()}))
`;

function readWithNibabelMosaic(path: string): {
  mosaic: boolean;
  shape: number[];
  affine: number[][];
  voxels: Float64Array;
} {
  const output = join(createTemporaryFolder('nibabel-mosaic'), 'voxels.f64');
  const result = runPythonJson<{ mosaic: boolean; shape: number[]; affine: number[][] }>(NIBABEL_MOSAIC, [
    path,
    output
  ]);
  const bytes = readFileSync(output);
  return { ...result, voxels: new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8) };
}

/** Our volume against nibabel's wrapper: same shape and voxels, and the affine with nibabel's first two axes swapped. */
function expectSameAsNibabel(imported: ImportedVolume, path: string): void {
  const reference = readWithNibabelMosaic(path);
  expect(reference.mosaic).toBe(true);
  const [columns, rows, slices] = imported.volume.geometry.dimensions;
  expect([rows, columns, slices]).toEqual(reference.shape);
  const ours = imported.volume.geometry.voxelToPatient;
  const swapped = [1, 0, 2, 3];
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 4; c++)
      expect(Math.abs(ours[4 * r + c]! - reference.affine[r]![swapped[c]!]!)).toBeLessThan(1e-3);
  expect(countDifferences(imported.volume.scalars, reference.voxels)).toBe(0);
}

async function importFolder(folder: string): Promise<ImportedVolume[]> {
  const scan = await scanDicomFolder(folder);
  expect(scan.skipped).toEqual([]);
  const volumes: ImportedVolume[] = [];
  for (const series of scan.series) volumes.push(await loadDicomSeries(series, { decodeWorkers: 0 }));
  return volumes;
}

function gunzipInto(folder: string, name: string): string {
  mkdirSync(folder, { recursive: true });
  const path = join(folder, `${name}.dcm`);
  writeFileSync(path, gunzipSync(readFileSync(join(NIBABEL_DATA, `${name}.dcm.gz`))));
  return path;
}

describe('Siemens mosaics', () => {
  it.each(['siemens_dwi_0', 'siemens_dwi_1000'])(
    'cuts nibabel’s %s into 48 slices, as dcm2niix and nibabel read it',
    async (name) => {
      const folder = join(createTemporaryFolder('mosaic'), name);
      const path = gunzipInto(folder, name);
      const [imported] = await importFolder(folder);
      expect(imported!.volume.geometry.dimensions).toEqual([128, 128, 48]);
      expect(imported!.description.warnings.join(' ')).toMatch(/Siemens mosaic: each image held 48 slices tiled 7 × 7/);
      await expectSameAsDcm2niix(imported!, folder);
      expectSameAsNibabel(imported!, path);
    }
  );

  it('splits two mosaics of one diffusion series into its b = 0 and b = 1000 volumes', async () => {
    const folder = createTemporaryFolder('mosaic-pair');
    gunzipInto(folder, 'siemens_dwi_0');
    gunzipInto(folder, 'siemens_dwi_1000');
    const scan = await scanDicomFolder(folder);
    expect(scan.series.map((series) => [series.partLabel, series.columns, series.rows, series.sliceCount])).toEqual([
      ['volume 1 of 2, b = 0, echo 93 ms', 128, 128, 48],
      ['volume 2 of 2, b = 1000, echo 93 ms', 128, 128, 48]
    ]);
  });

  it('gives back an oblique 7-slice series tiled 3 × 3 into a mosaic, as dcm2niix and nibabel read the mosaic', async () => {
    const root = createTemporaryFolder('mosaic-synthetic');
    const sources = daikonSeriesFiles();
    const rotation = createRotation(35, 20);
    const seriesFolder = join(root, 'series');
    const written = writeDerivedSeries(
      seriesFolder,
      (n) => `brain_${n}.dcm`,
      (n) => rotateSliceEdits(sources[n]!, rotation)
    );
    // Seven neighbouring slices: an odd count that leaves two of the 3 × 3 tiles empty.
    written.slice(7).forEach((path) => unlinkSync(path));
    const [original] = await importFolder(seriesFolder);
    expect(original!.volume.geometry.dimensions).toEqual([256, 256, 7]);
    expect(original!.volume.scalars).toBeInstanceOf(Int16Array);

    const mosaicFolder = join(root, 'mosaic');
    mkdirSync(mosaicFolder);
    const mosaicPath = join(mosaicFolder, 'mosaic.dcm');
    writeFileSync(
      mosaicPath,
      createSiemensMosaicFile(original!.volume, {
        seriesInstanceUid: '1.2.826.0.1.3680043.2.1143.20.7',
        instanceNumber: 1
      })
    );
    const [mosaic] = await importFolder(mosaicFolder);
    expect(mosaic!.volume.geometry.dimensions).toEqual([256, 256, 7]);
    mosaic!.volume.geometry.voxelToPatient.forEach((value, n) =>
      expect(Math.abs(value - original!.volume.geometry.voxelToPatient[n]!)).toBeLessThan(1e-3)
    );
    expect(countDifferences(mosaic!.volume.scalars, original!.volume.scalars)).toBe(0);
    // The slice normal is oblique: neither axial nor the mosaic's own normal rounded to an axis.
    const normal = mosaic!.volume.geometry.voxelToPatient.filter((_, n) => n % 4 === 2).slice(0, 3);
    expect(Math.max(...normal.map(Math.abs)) / Math.hypot(...normal)).toBeLessThan(0.95);
    await expectSameAsDcm2niix(mosaic!, mosaicFolder);
    expectSameAsNibabel(mosaic!, mosaicPath);
  });

  it('refuses a mosaic whose Siemens header does not say how many slices it holds', async () => {
    const folder = createTemporaryFolder('mosaic-refused');
    const volume = {
      geometry: {
        dimensions: [8, 6, 5] as [number, number, number],
        voxelToPatient: [2, 0, 0, -10, 0, 2, 0, -20, 0, 0, 3, 5, 0, 0, 0, 1]
      },
      scalars: Int16Array.from({ length: 8 * 6 * 5 }, (_, n) => n)
    };
    const path = join(folder, 'mosaic.dcm');
    writeFileSync(
      path,
      createSiemensMosaicFile(volume, { seriesInstanceUid: '1.2.3.4', instanceNumber: 1, withoutImageCount: true })
    );
    const error = await scanDicomFolder(folder).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(ImagingError);
    const reason = (error as ImagingError).files?.[0]?.reason;
    expect(reason).toBe(
      `${path} is a Siemens mosaic (the slices of one volume tiled into one image), but its Siemens private header (CSA) does not say how many slices it holds, so it cannot be cut into its slices.`
    );
  });
});
