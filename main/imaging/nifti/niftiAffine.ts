/**
 * NIfTI's voxel-to-world transforms (RAS millimetres): choosing between sform and qform, and converting quaternions both
 * ways. Follows nifti1.h and nifti1_io.c (nifti_quatern_to_mat44, nifti_mat44_to_quatern).
 */
import { computeSpacing, createIdentityMatrix } from '../geometry';
import type { Matrix4, Vec3 } from '../volume';
import type { NiftiHeader } from './niftiHeader';
import { ImagingError } from '../ImagingError';

export interface ChosenNiftiAffine {
  /** RAS millimetres, row-major. */
  rasAffine: Matrix4;
  method: 'sform' | 'qform' | 'pixdim-only';
}

/**
 * The sform when its code is set, else the qform, else the pixel sizes alone (the standard's "method 1"); the order of
 * nibabel's get_best_affine, dcm2niix and ITK. Lengths are converted to millimetres when the header says metres or
 * microns.
 */
export function chooseNiftiAffine(header: NiftiHeader, path: string): ChosenNiftiAffine {
  const damaged = (reason: string): ImagingError =>
    new ImagingError('damaged-header', `${path} has a damaged NIfTI header: ${reason}.`, path);
  // Voxel sizes are never guessed: a size that is not a positive number would silently become 1 mm.
  if (header.sformCode <= 0) {
    const sizes = [1, 2, 3].map((n) => header.pixdim[n]!);
    const bad = sizes.findIndex((size) => !(Number.isFinite(size) && size > 0));
    if (bad >= 0)
      throw damaged(
        `its voxel size along axis ${bad + 1} is ${describeNumber(sizes[bad]!)}, not a positive number of millimetres`
      );
  }
  let chosen: ChosenNiftiAffine;
  if (header.sformCode > 0) {
    chosen = { rasAffine: [...header.srow[0], ...header.srow[1], ...header.srow[2], 0, 0, 0, 1], method: 'sform' };
  } else if (header.qformCode > 0) {
    chosen = { rasAffine: convertQuaternionToAffine(header), method: 'qform' };
  } else {
    const affine = createIdentityMatrix();
    [0, 1, 2].forEach((axis) => (affine[axis * 5] = positiveOrOne(header.pixdim[axis + 1]!)));
    chosen = { rasAffine: affine, method: 'pixdim-only' };
  }
  const millimetres = spatialUnitInMillimetres(header.xyztUnits);
  if (millimetres !== 1) chosen.rasAffine = chosen.rasAffine.map((value, n) => (n < 12 ? value * millimetres : value));
  const form = chosen.method === 'sform' ? 'orientation matrix (sform)' : 'orientation (qform)';
  if (chosen.rasAffine.some((value) => !Number.isFinite(value)))
    throw damaged(`its ${form} holds values that are not numbers`);
  const voxelSizes = computeSpacing(chosen.rasAffine);
  if (voxelSizes.some((size) => !(size > 0)) || Math.abs(determinant3(chosen.rasAffine)) < 1e-12)
    throw damaged(`its ${form} collapses the image onto a plane (a voxel size of 0)`);
  return chosen;
}

function determinant3(m: Matrix4): number {
  return (
    m[0]! * (m[5]! * m[10]! - m[6]! * m[9]!) -
    m[1]! * (m[4]! * m[10]! - m[6]! * m[8]!) +
    m[2]! * (m[4]! * m[9]! - m[5]! * m[8]!)
  );
}

function describeNumber(value: number): string {
  return Number.isNaN(value) ? 'not a number' : String(value);
}

function spatialUnitInMillimetres(xyztUnits: number): number {
  const spatial = xyztUnits & 7;
  if (spatial === 1) return 1000; // metres
  if (spatial === 3) return 0.001; // microns
  return 1; // millimetres, or unknown (which every reader treats as millimetres)
}

function positiveOrOne(value: number): number {
  return Number.isFinite(value) && value > 0 ? value : 1;
}

export function convertQuaternionToAffine(header: NiftiHeader): Matrix4 {
  let [b, c, d] = header.quaternion;
  let a = 1 - (b * b + c * c + d * d);
  if (a < 1e-7) {
    // Not a unit quaternion: nifti1_io renormalises and takes a 180-degree rotation.
    const norm = Math.sqrt(b * b + c * c + d * d);
    [a, b, c, d] = [0, b / norm, c / norm, d / norm];
  } else {
    a = Math.sqrt(a);
  }
  const qfac = header.pixdim[0]! < 0 ? -1 : 1;
  const [dx, dy, dz] = [1, 2, 3].map((n) => positiveOrOne(header.pixdim[n]!)) as Vec3;
  const rotation = [
    [a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)],
    [2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)],
    [2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b]
  ];
  const affine = createIdentityMatrix();
  for (let row = 0; row < 3; row++) {
    affine[row * 4] = rotation[row]![0]! * dx;
    affine[row * 4 + 1] = rotation[row]![1]! * dy;
    affine[row * 4 + 2] = rotation[row]![2]! * dz * qfac;
    affine[row * 4 + 3] = header.qoffset[row]!;
  }
  return affine;
}

export interface QuaternionForm {
  quaternion: [number, number, number];
  qoffset: [number, number, number];
  /** pixdim[1..3] */
  voxelSize: Vec3;
  qfac: 1 | -1;
}

/**
 * The qform closest to an affine. A qform cannot hold shear (gantry tilt), so its columns are orthogonalised first;
 * the sform, written alongside, keeps the exact affine.
 */
export function convertAffineToQuaternion(affine: Matrix4): QuaternionForm {
  const voxelSize = computeSpacing(affine);
  const columns = [0, 1, 2].map((axis) =>
    [0, 1, 2].map((row) => affine[row * 4 + axis]! / (voxelSize[axis] || 1))
  ) as Vec3[];
  const [x, y, z] = orthonormalizeColumns(columns);
  const determinant =
    x[0] * (y[1] * z[2] - y[2] * z[1]) - y[0] * (x[1] * z[2] - x[2] * z[1]) + z[0] * (x[1] * y[2] - x[2] * y[1]);
  const qfac: 1 | -1 = determinant > 0 ? 1 : -1;
  if (qfac < 0) z.forEach((value, n) => (z[n] = -value));
  const r = (row: number, column: number): number => [x, y, z][column]![row]!;
  return { quaternion: computeQuaternion(r), qoffset: [affine[3]!, affine[7]!, affine[11]!], voxelSize, qfac };
}

function computeQuaternion(r: (row: number, column: number) => number): [number, number, number] {
  let a = r(0, 0) + r(1, 1) + r(2, 2) + 1;
  let b: number, c: number, d: number;
  if (a > 0.5) {
    a = 0.5 * Math.sqrt(a);
    b = (0.25 * (r(2, 1) - r(1, 2))) / a;
    c = (0.25 * (r(0, 2) - r(2, 0))) / a;
    d = (0.25 * (r(1, 0) - r(0, 1))) / a;
  } else {
    const xd = 1 + r(0, 0) - (r(1, 1) + r(2, 2));
    const yd = 1 + r(1, 1) - (r(0, 0) + r(2, 2));
    const zd = 1 + r(2, 2) - (r(0, 0) + r(1, 1));
    if (xd > 1) {
      b = 0.5 * Math.sqrt(xd);
      [c, d, a] = [
        (0.25 * (r(0, 1) + r(1, 0))) / b,
        (0.25 * (r(0, 2) + r(2, 0))) / b,
        (0.25 * (r(2, 1) - r(1, 2))) / b
      ];
    } else if (yd > 1) {
      c = 0.5 * Math.sqrt(yd);
      [b, d, a] = [
        (0.25 * (r(0, 1) + r(1, 0))) / c,
        (0.25 * (r(1, 2) + r(2, 1))) / c,
        (0.25 * (r(0, 2) - r(2, 0))) / c
      ];
    } else {
      d = 0.5 * Math.sqrt(zd);
      [b, c, a] = [
        (0.25 * (r(0, 2) + r(2, 0))) / d,
        (0.25 * (r(1, 2) + r(2, 1))) / d,
        (0.25 * (r(1, 0) - r(0, 1))) / d
      ];
    }
    if (a < 0) [b, c, d] = [-b, -c, -d];
  }
  return [b, c, d];
}

/** Gram-Schmidt: exact for the usual orthogonal grids, the nearest rotation-like frame for sheared ones. */
function orthonormalizeColumns(columns: Vec3[]): Vec3[] {
  const result: Vec3[] = [];
  for (const column of columns) {
    const v: Vec3 = [...column];
    for (const previous of result) {
      const projection = v[0] * previous[0] + v[1] * previous[1] + v[2] * previous[2];
      for (let n = 0; n < 3; n++) v[n] = v[n]! - projection * previous[n]!;
    }
    const length = Math.hypot(...v) || 1;
    result.push([v[0] / length, v[1] / length, v[2] / length]);
  }
  return result;
}
