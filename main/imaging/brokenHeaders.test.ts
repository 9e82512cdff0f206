/**
 * Issue 20, item 6: headers that lie are refused with the reason, never imported garbled. Each file is a real one
 * with one field changed; nibabel (NIfTI) or pydicom (DICOM) shows what the change means.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { colin27Path } from '../../tests/fixtures/fetchFixtures';
import { scanDicomFolder } from './dicom/scanDicomFolder';
import { ImagingError } from './ImagingError';
import { readNiftiFile } from './nifti/readNiftiFile';
import { createTemporaryFolder, daikonFile } from './testing/dicomFixtures';
import { removeTemporaryFolders } from './testing/temporaryFolders';

afterAll(removeTemporaryFolders);

async function refusal(promise: Promise<unknown>): Promise<ImagingError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught
  );
  expect(error).toBeInstanceOf(ImagingError);
  return error as ImagingError;
}

describe('lying NIfTI headers', () => {
  const colin = (): Buffer => gunzipSync(readFileSync(colin27Path()));
  const write = (name: string, bytes: Buffer): string => {
    const path = join(createTemporaryFolder('lying-nifti'), name);
    writeFileSync(path, name.endsWith('.gz') ? gzipSync(bytes, { level: 1 }) : bytes);
    return path;
  };

  it.each(['two.nii', 'two.nii.gz'])(
    'refuses a 4D header whose second volume is not in the file (%s)',
    async (name) => {
      const bytes = colin();
      bytes.writeInt16LE(4, 40); // dim[0]: four dimensions
      bytes.writeInt16LE(2, 48); // dim[4]: two volumes, while the file holds one
      const path = write(name, bytes);
      const error = await refusal(readNiftiFile(path));
      expect(error.code).toBe('file-truncated');
      expect(error.message).toContain(path);
      expect(error.message).toMatch(/2 volumes need .* the file holds/);
    }
  );

  it('refuses a voxel size that is not a number instead of using 1 mm', async () => {
    const bytes = colin();
    bytes.writeInt16LE(0, 252); // qform_code
    bytes.writeInt16LE(0, 254); // sform_code: pixdim is all there is
    bytes.writeFloatLE(NaN, 80); // pixdim[1]
    const path = write('nan.nii', bytes);
    const error = await refusal(readNiftiFile(path));
    expect(error.code).toBe('damaged-header');
    expect(error.message).toMatch(/voxel size along axis 1 is not a number/);
  });

  it('refuses an sform with values that are not numbers', async () => {
    const bytes = colin();
    bytes.writeInt16LE(1, 254);
    bytes.writeFloatLE(NaN, 280 + 4); // srow_x[1]
    const path = write('nan-sform.nii.gz', bytes);
    const error = await refusal(readNiftiFile(path));
    expect(error.code).toBe('damaged-header');
    expect(error.message).toMatch(/orientation matrix \(sform\) holds values that are not numbers/);
  });
});

describe('lying DICOM image sizes', () => {
  it('refuses Rows that disagree with the pixel data length instead of importing it sheared', async () => {
    const source = readFileSync(daikonFile('volume/brain_002.dcm'));
    const bytes = Buffer.from(source);
    const rows = bytes.indexOf(Buffer.from([0x28, 0x00, 0x10, 0x00, 0x55, 0x53, 0x02, 0x00])); // (0028,0010) US, 2
    expect(rows).toBeGreaterThan(0);
    bytes.writeUInt16LE(250, rows + 8); // 256 rows become 250
    const folder = join(createTemporaryFolder('sheared'), 'series');
    mkdirSync(folder);
    const path = join(folder, 'image.dcm');
    writeFileSync(path, bytes);
    const error = await refusal(scanDicomFolder(folder));
    expect(error.code).toBe('no-images-found');
    expect(error.files).toHaveLength(1);
    expect(error.files![0]).toMatchObject({ path, code: 'damaged-header' });
    expect(error.files![0]!.reason).toMatch(
      /image size \(256 × 250, 16-bit\) that needs 128000 bytes, but its pixel data holds 131072/
    );
  });
});
