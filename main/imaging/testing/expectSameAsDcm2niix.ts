/** Shared assertions of the DICOM tests: our NIfTI export against dcm2niix's conversion of the same folder. */
import { join } from 'node:path';
import { expect } from 'vitest';
import { writeNiftiFile } from '../nifti/writeNiftiFile';
import { computeDirections } from '../geometry';
import type { ImportedVolume } from '../importTypes';
import { convertWithDcm2niix } from './dicomOracles';
import { readWithNibabel } from './runPythonOracle';
import { createTemporaryFolder } from './temporaryFolders';

/** Values further apart than float32 rounding of the larger one. */
export function countDifferences(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Math.max(actual.length, expected.length);
  let differences = 0;
  for (let n = 0; n < actual.length; n++) {
    if (Math.abs(actual[n]! - expected[n]!) > Math.max(1e-3, 1e-6 * Math.abs(expected[n]!))) differences++;
  }
  return differences;
}

/**
 * Our volume written as NIfTI and read by nibabel, against dcm2niix's file read by nibabel: same shape, affine within
 * 1e-3 mm, direction cosines within 1e-4, and the same value in every voxel (so masks overlay voxel for voxel).
 */
export async function expectSameAsDcm2niix(
  imported: ImportedVolume,
  folder: string,
  dcm2niixArguments: string[] = []
): Promise<void> {
  const oursPath = join(createTemporaryFolder('ours'), 'volume.nii');
  await writeNiftiFile(oursPath, imported.volume);
  const [referencePath] = convertWithDcm2niix(folder, dcm2niixArguments);
  const ours = readWithNibabel(oursPath);
  const reference = readWithNibabel(referencePath!);
  expect(ours.shape).toEqual(reference.shape);
  ours.affine.forEach((row, r) =>
    row.forEach((value, c) => expect(Math.abs(value - reference.affine[r]![c]!)).toBeLessThan(1e-3))
  );
  const directions = (affine: number[][]): number[] => computeDirections(affine.flat()).flat();
  directions(ours.affine).forEach((value, n) =>
    expect(Math.abs(value - directions(reference.affine)[n]!)).toBeLessThan(1e-4)
  );
  expect(countDifferences(ours.voxels, reference.voxels)).toBe(0);
}
