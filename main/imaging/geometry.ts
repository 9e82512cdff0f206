/**
 * The one voxel-to-patient model: helpers on the row-major 4x4 LPS affine of `VolumeGeometry`. Readers build it,
 * writers and the viewer derive everything (spacing, direction, RAS for NIfTI) from it.
 */
import type { Matrix4, NiftiLayout, Vec3, VolumeGeometry } from './volume';

export function createIdentityMatrix(): Matrix4 {
  return [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
}

/** The affine whose columns are the i, j and k steps in millimetres and whose translation is voxel (0,0,0). */
export function createAffineFromColumns(stepI: Vec3, stepJ: Vec3, stepK: Vec3, origin: Vec3): Matrix4 {
  return [
    stepI[0],
    stepJ[0],
    stepK[0],
    origin[0],
    stepI[1],
    stepJ[1],
    stepK[1],
    origin[1],
    stepI[2],
    stepJ[2],
    stepK[2],
    origin[2],
    0,
    0,
    0,
    1
  ];
}

export function multiplyMatrices(a: Matrix4, b: Matrix4): Matrix4 {
  const result = new Array<number>(16).fill(0);
  for (let row = 0; row < 4; row++) {
    for (let column = 0; column < 4; column++) {
      let sum = 0;
      for (let n = 0; n < 4; n++) sum += a[row * 4 + n]! * b[n * 4 + column]!;
      result[row * 4 + column] = sum;
    }
  }
  return result;
}

export function transformPoint(matrix: Matrix4, point: Vec3): Vec3 {
  const [x, y, z] = point;
  return [0, 1, 2].map(
    (row) => matrix[row * 4]! * x + matrix[row * 4 + 1]! * y + matrix[row * 4 + 2]! * z + matrix[row * 4 + 3]!
  ) as Vec3;
}

/** Column `axis` (0 = i, 1 = j, 2 = k) of the linear part: the millimetre step of one voxel along that axis. */
export function getAxisStep(matrix: Matrix4, axis: 0 | 1 | 2): Vec3 {
  return [matrix[axis]!, matrix[4 + axis]!, matrix[8 + axis]!];
}

/** Voxel size in millimetres along i, j and k (column norms, so correct for oblique and sheared grids). */
export function computeSpacing(matrix: Matrix4): Vec3 {
  return ([0, 1, 2] as const).map((axis) => vectorLength(getAxisStep(matrix, axis))) as Vec3;
}

/** Unit direction of each voxel axis in patient space, as three column vectors [i, j, k]. */
export function computeDirections(matrix: Matrix4): [Vec3, Vec3, Vec3] {
  return ([0, 1, 2] as const).map((axis) => normalizeVector(getAxisStep(matrix, axis))) as [Vec3, Vec3, Vec3];
}

/**
 * LPS and RAS differ by the sign of x and y, so the same matrix converts both ways. NIfTI stores RAS (its "scanner"
 * space), DICOM and this model LPS.
 */
export function convertLpsRas(matrix: Matrix4): Matrix4 {
  return matrix.map((value, index) => (index < 8 ? -value : value)) as Matrix4;
}

/** The file's grid size along each of its axes for a NIfTI layout. */
export function computeFileDimensions(dimensions: Vec3, layout: NiftiLayout): Vec3 {
  return layout.axes.map((axis) => dimensions[axis]) as Vec3;
}

/**
 * The affine of the same grid stored in `layout`'s order: file voxel n along a flipped axis is volume voxel
 * size-1-n, so the patient position of every voxel is unchanged.
 */
export function computeFileAffine(geometry: VolumeGeometry, layout: NiftiLayout): Matrix4 {
  const fileToVolume = new Array<number>(16).fill(0);
  fileToVolume[15] = 1;
  layout.axes.forEach((volumeAxis, fileAxis) => {
    fileToVolume[volumeAxis * 4 + fileAxis] = layout.flips[fileAxis] ? -1 : 1;
    if (layout.flips[fileAxis]) fileToVolume[volumeAxis * 4 + 3] = geometry.dimensions[volumeAxis]! - 1;
  });
  return multiplyMatrices(geometry.voxelToPatient, fileToVolume);
}

export const IDENTITY_LAYOUT: NiftiLayout = { axes: [0, 1, 2], flips: [false, false, false] };

export function crossProduct(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

export function dotProduct(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

export function vectorLength(v: Vec3): number {
  return Math.hypot(v[0], v[1], v[2]);
}

export function normalizeVector(v: Vec3): Vec3 {
  const length = vectorLength(v);
  return length === 0 ? [0, 0, 0] : [v[0] / length, v[1] / length, v[2] / length];
}

export function subtractVectors(a: Vec3, b: Vec3): Vec3 {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}

export function addVectors(a: Vec3, b: Vec3): Vec3 {
  return [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
}

export function scaleVector(v: Vec3, factor: number): Vec3 {
  return [v[0] * factor, v[1] * factor, v[2] * factor];
}

export function countVoxels(dimensions: Vec3): number {
  return dimensions[0] * dimensions[1] * dimensions[2];
}

/** The inverse of an affine (last row [0, 0, 0, 1]); null when its linear part is singular. */
export function invertAffine(matrix: Matrix4): Matrix4 | null {
  const [a, b, c, tx, d, e, f, ty, g, h, i, tz] = matrix as [number, number, number, number, number, number, number, number, number, number, number, number];
  const determinant = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  if (!Number.isFinite(determinant) || Math.abs(determinant) < 1e-12) return null;
  const r = [
    (e * i - f * h) / determinant,
    (c * h - b * i) / determinant,
    (b * f - c * e) / determinant,
    (f * g - d * i) / determinant,
    (a * i - c * g) / determinant,
    (c * d - a * f) / determinant,
    (d * h - e * g) / determinant,
    (b * g - a * h) / determinant,
    (a * e - b * d) / determinant
  ];
  const translate = (row: number) => -(r[row * 3]! * tx + r[row * 3 + 1]! * ty + r[row * 3 + 2]! * tz);
  return [r[0]!, r[1]!, r[2]!, translate(0), r[3]!, r[4]!, r[5]!, translate(1), r[6]!, r[7]!, r[8]!, translate(2), 0, 0, 0, 1];
}
