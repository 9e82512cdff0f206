/**
 * Puts a label map that came with its own grid (a NIfTI file) onto a scan's grid, or says why it cannot:
 *
 * - the same grid (same size, same affine within 1e-3 voxel): taken as is;
 * - the same voxels in another order (the affines differ by a permutation and flips of the axes, as NIfTI files written
 *   by dcm2niix or another tool reorder DICOM's): reoriented exactly, voxel for voxel;
 * - another grid over the same field of view (other voxel size, turned axes, shifted by a fraction of a voxel):
 *   resampled nearest-neighbour, with a warning saying by how much the grids differ;
 * - another field of view (the label map does not cover the scan, or holds tumour outside it, or is far larger) or an
 *   implausible affine (not finite, singular, voxels under a micrometre or over 10 cm): refused with the reason.
 */
import { computeSpacing, invertAffine, multiplyMatrices, transformPoint, type Matrix4, type Vec3, type VolumeGeometry } from '../imaging';

export type LabelMapPlacement = 'same-grid' | 'reoriented' | 'resampled';

export type PlacedLabelMap =
  | { ok: true; placement: LabelMapPlacement; labels: Uint8Array; warnings: string[] }
  | { ok: false; reason: string };

const SAME_GRID_TOLERANCE = 1e-3; // voxels
const OUTSIDE_FRACTION_ALLOWED = 0.001;
const LARGER_FIELD_ALLOWED = 1.1;

/** `values` in the label map's own voxel order (i fastest); any nonzero value is tumour (1). */
export function placeLabelMap(values: ArrayLike<number>, source: VolumeGeometry, target: VolumeGeometry): PlacedLabelMap {
  const implausible = describeImplausibleAffine(source);
  if (implausible) return { ok: false, reason: `The label map's affine is implausible: ${implausible}.` };
  const toSource = invertAffine(source.voxelToPatient)!;
  // Target voxel index (i, j, k) -> source voxel index, continuous.
  const map = multiplyMatrices(toSource, target.voxelToPatient);
  const [columns, rows, slices] = target.dimensions;
  const [sourceColumns, sourceRows, sourceSlices] = source.dimensions;
  const labels = new Uint8Array(columns * rows * slices);

  if (source.dimensions.every((size, axis) => size === target.dimensions[axis]) && isIdentity(map)) {
    for (let n = 0; n < labels.length; n += 1) labels[n] = values[n] ? 1 : 0;
    return { ok: true, placement: 'same-grid', labels, warnings: [] };
  }

  const permutation = asSignedPermutation(map, source.dimensions, target.dimensions);
  if (permutation) {
    const { axisOf, sign, offset } = permutation;
    const sourceStrides = [1, sourceColumns, sourceColumns * sourceRows];
    // Each target axis moves the source index by ±1 along one source axis.
    const step = [0, 1, 2].map((axis) => sign[axis]! * sourceStrides[axisOf[axis]!]!) as Vec3;
    const start = offset.reduce((sum, value, axis) => sum + value * sourceStrides[axis]!, 0);
    let n = 0;
    for (let k = 0; k < slices; k += 1)
      for (let j = 0; j < rows; j += 1) {
        let index = start + k * step[2] + j * step[1];
        for (let i = 0; i < columns; i += 1, n += 1, index += step[0]) labels[n] = values[index] ? 1 : 0;
      }
    return {
      ok: true,
      placement: 'reoriented',
      labels,
      warnings: ['The label map stores the same voxels in another order (axes swapped or reversed); it was reoriented exactly, voxel for voxel.']
    };
  }

  // Another grid: the field of view must be the same.
  const edge = (size: number, index: number) => index >= -0.5 - 1e-6 && index <= size - 0.5 + 1e-6;
  let outside = 0;
  let largestShift = 0;
  const sourceSpacing = computeSpacing(source.voxelToPatient);
  for (let k = 0; k < slices; k += 1)
    for (let j = 0; j < rows; j += 1)
      for (let i = 0; i < columns; i += 1) {
        const x = map[0]! * i + map[1]! * j + map[2]! * k + map[3]!;
        const y = map[4]! * i + map[5]! * j + map[6]! * k + map[7]!;
        const z = map[8]! * i + map[9]! * j + map[10]! * k + map[11]!;
        const n = i + columns * (j + rows * k);
        if (!edge(sourceColumns, x) || !edge(sourceRows, y) || !edge(sourceSlices, z)) {
          outside += 1;
          continue;
        }
        const [si, sj, sk] = [clampRound(x, sourceColumns), clampRound(y, sourceRows), clampRound(z, sourceSlices)];
        labels[n] = values[si + sourceColumns * (sj + sourceRows * sk)] ? 1 : 0;
        const shift = Math.hypot((si - x) * sourceSpacing[0], (sj - y) * sourceSpacing[1], (sk - z) * sourceSpacing[2]);
        if (shift > largestShift) largestShift = shift;
      }
  const targetCount = labels.length;
  if (outside > targetCount * OUTSIDE_FRACTION_ALLOWED) {
    return {
      ok: false,
      reason: `The label map covers only ${(100 * (1 - outside / targetCount)).toFixed(1)} % of this scan: it was drawn on a different field of view.`
    };
  }
  const lost = countTumourOutside(values, source, target);
  if (lost > 0) {
    return { ok: false, reason: `${lost} tumour voxels of the label map lie outside this scan: it was drawn on a different field of view.` };
  }
  const sourceVolume = boxVolume(source);
  const targetVolume = boxVolume(target);
  if (sourceVolume > targetVolume * LARGER_FIELD_ALLOWED) {
    return {
      ok: false,
      reason: `The label map covers ${(sourceVolume / targetVolume).toFixed(1)} times the space of this scan: it was drawn on a different field of view.`
    };
  }
  return { ok: true, placement: 'resampled', labels, warnings: [describeDifference(source, target, largestShift)] };
}

function clampRound(value: number, size: number): number {
  return Math.min(size - 1, Math.max(0, Math.round(value)));
}

function isIdentity(map: Matrix4): boolean {
  return map.every((value, index) => Math.abs(value - (index % 5 === 0 ? 1 : 0)) < SAME_GRID_TOLERANCE);
}

/** When the map is a permutation with flips and an integer offset that fills the source grid exactly. */
function asSignedPermutation(
  map: Matrix4,
  sourceDimensions: Vec3,
  targetDimensions: Vec3
): { axisOf: Vec3; sign: Vec3; offset: Vec3 } | null {
  const axisOf: Vec3 = [0, 0, 0];
  const sign: Vec3 = [1, 1, 1];
  const used = new Set<number>();
  for (let targetAxis = 0; targetAxis < 3; targetAxis += 1) {
    const column = [map[targetAxis]!, map[4 + targetAxis]!, map[8 + targetAxis]!];
    const sourceAxis = column.findIndex((value) => Math.abs(Math.abs(value) - 1) < SAME_GRID_TOLERANCE);
    if (sourceAxis < 0 || used.has(sourceAxis)) return null;
    if (column.some((value, axis) => axis !== sourceAxis && Math.abs(value) > SAME_GRID_TOLERANCE)) return null;
    if (sourceDimensions[sourceAxis] !== targetDimensions[targetAxis]) return null;
    used.add(sourceAxis);
    axisOf[targetAxis] = sourceAxis;
    sign[targetAxis] = column[sourceAxis]! > 0 ? 1 : -1;
  }
  const offset = [map[3]!, map[7]!, map[11]!].map((value) => Math.round(value)) as Vec3;
  if ([map[3]!, map[7]!, map[11]!].some((value, axis) => Math.abs(value - offset[axis]!) > SAME_GRID_TOLERANCE)) return null;
  // The target's first and last voxel along each axis must land on the source grid's ends.
  for (let targetAxis = 0; targetAxis < 3; targetAxis += 1) {
    const sourceAxis = axisOf[targetAxis]!;
    const first = offset[sourceAxis]!;
    const last = first + sign[targetAxis]! * (targetDimensions[targetAxis]! - 1);
    if (Math.min(first, last) !== 0 || Math.max(first, last) !== sourceDimensions[sourceAxis]! - 1) return null;
  }
  return { axisOf, sign, offset };
}

function describeImplausibleAffine(geometry: VolumeGeometry): string | null {
  const matrix = geometry.voxelToPatient;
  if (matrix.length !== 16 || !matrix.every(Number.isFinite)) return 'it holds numbers that are not finite';
  const spacing = computeSpacing(matrix);
  if (spacing.some((value) => value < 1e-3)) return `a voxel side is ${Math.min(...spacing).toExponential(1)} mm`;
  if (spacing.some((value) => value > 100)) return `a voxel side is ${Math.max(...spacing).toFixed(0)} mm`;
  if (!invertAffine(matrix)) return 'its axes are not independent (a singular matrix)';
  // Columns nearly parallel: the normalised determinant is the volume of a unit cell over the product of its sides.
  const [a, b, c, , d, e, f, , g, h, i] = matrix as number[];
  const determinant = a! * (e! * i! - f! * h!) - b! * (d! * i! - f! * g!) + c! * (d! * h! - e! * g!);
  if (Math.abs(determinant) / (spacing[0] * spacing[1] * spacing[2]) < 0.2) return 'its axes are nearly parallel (a sheared grid)';
  return null;
}

function boxVolume(geometry: VolumeGeometry): number {
  const spacing = computeSpacing(geometry.voxelToPatient);
  return geometry.dimensions.reduce((product, size, axis) => product * size * spacing[axis]!, 1);
}

function countTumourOutside(values: ArrayLike<number>, source: VolumeGeometry, target: VolumeGeometry): number {
  const toTarget = multiplyMatrices(invertAffine(target.voxelToPatient)!, source.voxelToPatient);
  const [columns, rows] = source.dimensions;
  const [tc, tr, ts] = target.dimensions;
  const inside = (size: number, index: number) => index >= -1.5 && index <= size + 0.5;
  let lost = 0;
  for (let n = 0; n < values.length; n += 1) {
    if (!values[n]) continue;
    const i = n % columns;
    const j = Math.floor(n / columns) % rows;
    const k = Math.floor(n / (columns * rows));
    const [x, y, z] = transformPoint(toTarget, [i, j, k]);
    if (!inside(tc, x) || !inside(tr, y) || !inside(ts, z)) lost += 1;
  }
  return lost;
}

function describeDifference(source: VolumeGeometry, target: VolumeGeometry, largestShift: number): string {
  const format = (values: Vec3) => values.map((value) => value.toFixed(2)).join(' × ');
  const angle = largestAxisAngle(source.voxelToPatient, target.voxelToPatient);
  const centre = (geometry: VolumeGeometry) =>
    transformPoint(geometry.voxelToPatient, geometry.dimensions.map((size) => (size - 1) / 2) as Vec3);
  const [a, b] = [centre(source), centre(target)];
  const centreOffset = Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
  return (
    `The label map is on another grid (${source.dimensions.join('×')} voxels of ${format(computeSpacing(source.voxelToPatient))} mm; ` +
    `the scan has ${target.dimensions.join('×')} of ${format(computeSpacing(target.voxelToPatient))} mm; axes turned by up to ` +
    `${angle.toFixed(1)}°, centres ${centreOffset.toFixed(1)} mm apart). It was resampled nearest-neighbour: each scan voxel took ` +
    `the label of the nearest label-map voxel, at most ${largestShift.toFixed(2)} mm away.`
  );
}

/** The largest angle between a target axis and the source axis most parallel to it, in degrees. */
function largestAxisAngle(source: Matrix4, target: Matrix4): number {
  const unit = (matrix: Matrix4, axis: number): Vec3 => {
    const v: Vec3 = [matrix[axis]!, matrix[4 + axis]!, matrix[8 + axis]!];
    const length = Math.hypot(...v);
    return [v[0] / length, v[1] / length, v[2] / length];
  };
  let largest = 0;
  for (let axis = 0; axis < 3; axis += 1) {
    const t = unit(target, axis);
    const best = Math.max(...[0, 1, 2].map((other) => {
      const s = unit(source, other);
      return Math.abs(s[0] * t[0] + s[1] * t[1] + s[2] * t[2]);
    }));
    largest = Math.max(largest, (Math.acos(Math.min(1, best)) * 180) / Math.PI);
  }
  return largest;
}
