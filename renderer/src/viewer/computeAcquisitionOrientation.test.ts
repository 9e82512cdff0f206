import { describe, expect, it } from 'vitest';
import { computeAcquisitionOrientation } from './computeAcquisitionOrientation';
import { describeScreenOrientation } from './describeScreenOrientation';
import { patientToVoxel, placementFromAffine } from './volumeGeometry';

/** Row-major 4x4 affine from the LPS directions of i, j, k (each times its spacing) and an origin. */
function affine(i: number[], j: number[], k: number[], origin = [0, 0, 0]): number[] {
  return [i[0], j[0], k[0], origin[0], i[1], j[1], k[1], origin[1], i[2], j[2], k[2], origin[2], 0, 0, 0, 1];
}

describe('computeAcquisitionOrientation', () => {
  it('shows an axial NIfTI (RAS storage) from the feet, anterior up, patient right on the left', () => {
    // NIfTI RAS storage in LPS: i runs to the right (-x), j anterior (-y), k superior (+z).
    const placement = placementFromAffine(affine([-1, 0, 0], [0, -1, 0], [0, 0, 1]));
    expect(describeScreenOrientation(computeAcquisitionOrientation(placement))).toEqual({
      top: 'A',
      bottom: 'P',
      left: 'R',
      right: 'L'
    });
  });

  it('shows a sagittal acquisition head up, anterior on the left, and a coronal one head up', () => {
    const sagittal = placementFromAffine(affine([0, -1, 0], [0, 0, -1], [1, 0, 0]));
    expect(describeScreenOrientation(computeAcquisitionOrientation(sagittal))).toEqual({
      top: 'S',
      bottom: 'I',
      left: 'A',
      right: 'P'
    });
    const coronal = placementFromAffine(affine([1, 0, 0], [0, 0, -1], [0, 1, 0]));
    expect(describeScreenOrientation(computeAcquisitionOrientation(coronal))).toEqual({
      top: 'S',
      bottom: 'I',
      left: 'R',
      right: 'L'
    });
  });

  it('keeps an oblique axial plane as acquired, with up on an in-plane voxel axis', () => {
    const angle = (20 * Math.PI) / 180;
    const [c, s] = [Math.cos(angle), Math.sin(angle)];
    const placement = placementFromAffine(affine([c, s, 0], [-s, c, 0], [0, 0, 3]));
    const { viewPlaneNormal, viewUp } = computeAcquisitionOrientation(placement);
    expect(viewPlaneNormal.map((value) => value + 0)).toEqual([0, 0, -1]);
    expect(viewUp[0]).toBeCloseTo(s);
    expect(viewUp[1]).toBeCloseTo(-c);
    expect(describeScreenOrientation({ viewPlaneNormal, viewUp }).top).toBe('AL');
  });
});

describe('patientToVoxel', () => {
  it('inverts the affine', () => {
    const voxelToPatient = affine([0, -0.9, 0], [0, 0, -1.1], [2.5, 0, 0], [10, -20, 30]);
    const [i, j, k] = [3, 7, 11];
    const point = [10 + 2.5 * k, -20 - 0.9 * i, 30 - 1.1 * j];
    const voxel = patientToVoxel(voxelToPatient, point);
    expect(voxel[0]).toBeCloseTo(i);
    expect(voxel[1]).toBeCloseTo(j);
    expect(voxel[2]).toBeCloseTo(k);
  });
});
