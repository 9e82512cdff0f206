import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTemporaryFolder, removeTemporaryFolders } from '../imaging/testing';
import { colin27Path } from '../../tests/fixtures/fetchFixtures';
import { convertLpsRas, createAffineFromColumns, transformPoint } from '../imaging';
import { ImagingError } from '../imaging';
import { readNiftiFile } from '../imaging';
import { readWithNibabel } from '../imaging/testing';
import type { Matrix4, NiftiLayout, Vec3, VolumeGeometry } from '../imaging';
import { writeNiftiImage } from './writeNiftiImage';
import { writeNiftiMask } from './writeNiftiMask';

/** Element-wise comparison; vitest's deep equality takes a minute on 7 million voxels. */
function countDifferences(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Math.max(actual.length, expected.length);
  let differences = 0;
  for (let n = 0; n < actual.length; n++) if (actual[n] !== expected[n]) differences++;
  return differences;
}

const outputFolder = createTemporaryFolder('nifti-export');

function expectMatrixClose(actual: number[][] | Matrix4, expected: number[][] | Matrix4, digits = 4): void {
  const flatExpected = (expected as number[][]).flat ? (expected as number[][]).flat() : (expected as Matrix4);
  const flatActual = (actual as number[][]).flat ? (actual as number[][]).flat() : (actual as Matrix4);
  flatExpected.forEach((value, n) => expect(flatActual[n]).toBeCloseTo(value as number, digits));
}

afterAll(removeTemporaryFolders);

describe('NIfTI export', () => {
  it('round-trips Colin27 as an image: same affine, sform and qform set, same voxels in nibabel', async () => {
    const source = await readNiftiFile(colin27Path());
    const path = join(outputFolder, 'colin27.nii.gz');
    await writeNiftiImage(source.volume, path);
    const original = readWithNibabel(colin27Path());
    const written = readWithNibabel(path);
    expect(written.sformCode).toBe(1);
    expect(written.qformCode).toBe(1);
    expectMatrixClose(written.sformAffine, original.affine);
    expectMatrixClose(written.qformAffine, original.affine);
    expect(written.dtype).toBe('uint8');
    expect(countDifferences(written.voxels, original.voxels)).toBe(0);
  });

  it('writes a uint8 label mask on the source grid', async () => {
    const source = await readNiftiFile(colin27Path());
    const labels = Uint8Array.from(source.volume.scalars, (value) => (value > 120 ? 2 : value > 60 ? 1 : 0));
    const path = join(outputFolder, 'mask.nii.gz');
    await writeNiftiMask(source.volume.geometry, labels, path);
    const written = readWithNibabel(path);
    expect(written.dtype).toBe('uint8');
    expect(written.intentCode).toBe(1002);
    expect(written.shape).toEqual([181, 217, 181]);
    expectMatrixClose(written.affine, readWithNibabel(colin27Path()).affine);
    expect(countDifferences(written.voxels, labels)).toBe(0);
  });

  for (const niftiLayout of [
    { axes: [0, 1, 2], flips: [false, true, false] },
    { axes: [2, 0, 1], flips: [true, false, true] }
  ] as NiftiLayout[]) {
    it(`stores voxels in layout ${JSON.stringify(niftiLayout)} without moving any in patient space (oblique, sheared)`, async () => {
      const dimensions: Vec3 = [4, 3, 5];
      const geometry: VolumeGeometry = {
        dimensions,
        voxelToPatient: createAffineFromColumns([0.8, 0.1, 0], [-0.05, 0.7, 0.3], [0.2, -0.4, 2.5], [-10, 20, 30]),
        niftiLayout
      };
      const labels = Uint8Array.from({ length: 60 }, (_, n) => n);
      const path = join(outputFolder, `layout-${niftiLayout.axes.join('')}.nii`);
      await writeNiftiMask(geometry, labels, path);
      const written = readWithNibabel(path);
      const fileDimensions = niftiLayout.axes.map((axis) => dimensions[axis]);
      expect(written.shape).toEqual(fileDimensions);
      const fileAffine = convertLpsRas(written.affine.flat());
      for (let z = 0; z < fileDimensions[2]!; z++)
        for (let y = 0; y < fileDimensions[1]!; y++)
          for (let x = 0; x < fileDimensions[0]!; x++) {
            const volumeIndex: Vec3 = [0, 0, 0];
            [x, y, z].forEach((value, fileAxis) => {
              const axis = niftiLayout.axes[fileAxis]!;
              volumeIndex[axis] = niftiLayout.flips[fileAxis] ? dimensions[axis] - 1 - value : value;
            });
            const [i, j, k] = volumeIndex;
            expect(written.voxels[x + fileDimensions[0]! * (y + fileDimensions[1]! * z)]).toBe(
              labels[i + 4 * (j + 3 * k)]
            );
            const expected = transformPoint(geometry.voxelToPatient, volumeIndex);
            transformPoint(fileAffine, [x, y, z]).forEach((value, n) => expect(value).toBeCloseTo(expected[n]!, 4));
          }
    });
  }

  it('refuses a mask whose size does not match its scan', async () => {
    const geometry: VolumeGeometry = {
      dimensions: [2, 2, 2],
      voxelToPatient: convertLpsRas(createAffineFromColumns([1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 0]))
    };
    const error = await writeNiftiMask(geometry, new Uint8Array(7), join(outputFolder, 'bad.nii.gz')).catch(
      (caught: unknown) => caught
    );
    expect(error).toBeInstanceOf(ImagingError);
    expect((error as ImagingError).code).toBe('invalid-request');
  });
});
