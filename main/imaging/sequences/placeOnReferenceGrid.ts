/**
 * A sequence of a multi-sequence case put on the case's reference grid (issue 18): used as it is when it is on that
 * grid, otherwise resampled trilinearly onto it, provided both are in one patient coordinate system. Tags, masks and
 * proposals live on the reference grid, so every sequence the model sees must be there too.
 */
import { computeDirections, computeSpacing, dotProduct, invertAffine, transformPoint } from '../geometry';
import type { ScalarArray, Vec3, Volume, VolumeGeometry } from '../volume';

export interface GridPlacement {
  /** 'same-grid': the voxels are used as they are; 'resampled': trilinear onto the reference grid. */
  kind: 'same-grid' | 'resampled';
  /** The sequence's own grid, as imported. */
  sourceDimensions: Vec3;
  sourceSpacing: Vec3;
  /**
   * The largest distance, in millimetres, between a reference voxel's centre and the nearest voxel centre of the
   * sequence, over the reference voxels the sequence covers: how far interpolation had to reach. 0 on the same grid.
   */
  largestOffsetMm: number;
  /** The largest angle between an axis of the sequence's grid and the nearest axis of the reference grid, degrees. */
  largestAxisAngleDegrees: number;
  /** The fraction of reference voxels outside the sequence's field of view (set to 0 there). */
  outsideFraction: number;
}

const sameGridToleranceMm = 1e-3;

/** True when both grids have the same dimensions and every corner voxel lies within a micrometre. */
export function isSameGrid(a: VolumeGeometry, b: VolumeGeometry): boolean {
  if (a.dimensions.some((size, axis) => size !== b.dimensions[axis])) return false;
  return cornersOf(a.dimensions).every((corner) => {
    const p = transformPoint(a.voxelToPatient, corner);
    const q = transformPoint(b.voxelToPatient, corner);
    return Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]) <= sameGridToleranceMm;
  });
}

/**
 * The sequence's voxels on the reference grid: unchanged (same array) on the same grid, else float32 by trilinear
 * interpolation between the eight nearest voxels, 0 outside the sequence's field of view. A reference voxel is inside
 * when its continuous index in the sequence lies within [0, n − 1] on every axis, as scipy.ndimage.map_coordinates
 * with order=1 and mode='constant' decides (the test compares against it).
 */
export function placeOnReferenceGrid(sequence: Volume, reference: VolumeGeometry): { scalars: ScalarArray; placement: GridPlacement } {
  const source = sequence.geometry;
  const base = {
    sourceDimensions: [...source.dimensions] as Vec3,
    sourceSpacing: computeSpacing(source.voxelToPatient),
    largestAxisAngleDegrees: largestAxisAngle(source, reference)
  };
  if (isSameGrid(source, reference)) {
    return { scalars: sequence.scalars, placement: { kind: 'same-grid', ...base, largestOffsetMm: 0, outsideFraction: 0 } };
  }
  const patientToSource = invertAffine(source.voxelToPatient);
  if (!patientToSource) throw new Error('placeOnReferenceGrid: the sequence affine is singular');
  const m = multiply(patientToSource, reference.voxelToPatient);
  const s = source.voxelToPatient;
  const [ni, nj, nk] = source.dimensions;
  const [ti, tj, tk] = reference.dimensions;
  const values = sequence.scalars;
  const output = new Float32Array(ti * tj * tk);
  const strideJ = ni;
  const strideK = ni * nj;
  const epsilon = 1e-6;
  let outside = 0;
  let largestOffset = 0;
  let index = 0;
  for (let k = 0; k < tk; k += 1) {
    for (let j = 0; j < tj; j += 1) {
      // Continuous source index of reference voxel (0, j, k), then one step along i at a time.
      let x = m[1]! * j + m[2]! * k + m[3]!;
      let y = m[5]! * j + m[6]! * k + m[7]!;
      let z = m[9]! * j + m[10]! * k + m[11]!;
      for (let i = 0; i < ti; i += 1, index += 1, x += m[0]!, y += m[4]!, z += m[8]!) {
        if (x < -epsilon || y < -epsilon || z < -epsilon || x > ni - 1 + epsilon || y > nj - 1 + epsilon || z > nk - 1 + epsilon) {
          outside += 1;
          continue;
        }
        const cx = Math.min(Math.max(x, 0), ni - 1);
        const cy = Math.min(Math.max(y, 0), nj - 1);
        const cz = Math.min(Math.max(z, 0), nk - 1);
        const x0 = Math.min(Math.floor(cx), Math.max(ni - 2, 0));
        const y0 = Math.min(Math.floor(cy), Math.max(nj - 2, 0));
        const z0 = Math.min(Math.floor(cz), Math.max(nk - 2, 0));
        const fx = cx - x0;
        const fy = cy - y0;
        const fz = cz - z0;
        const dx = ni > 1 ? 1 : 0;
        const dy = nj > 1 ? strideJ : 0;
        const dz = nk > 1 ? strideK : 0;
        const at = x0 + y0 * strideJ + z0 * strideK;
        const c00 = values[at]! * (1 - fx) + values[at + dx]! * fx;
        const c10 = values[at + dy]! * (1 - fx) + values[at + dy + dx]! * fx;
        const c01 = values[at + dz]! * (1 - fx) + values[at + dz + dx]! * fx;
        const c11 = values[at + dz + dy]! * (1 - fx) + values[at + dz + dy + dx]! * fx;
        output[index] = (c00 * (1 - fy) + c10 * fy) * (1 - fz) + (c01 * (1 - fy) + c11 * fy) * fz;
        // Distance to the nearest source voxel centre, in millimetres.
        const ox = cx - Math.round(cx);
        const oy = cy - Math.round(cy);
        const oz = cz - Math.round(cz);
        const offset = Math.hypot(s[0]! * ox + s[1]! * oy + s[2]! * oz, s[4]! * ox + s[5]! * oy + s[6]! * oz, s[8]! * ox + s[9]! * oy + s[10]! * oz);
        if (offset > largestOffset) largestOffset = offset;
      }
    }
  }
  return {
    scalars: output,
    placement: { kind: 'resampled', ...base, largestOffsetMm: largestOffset, outsideFraction: output.length > 0 ? outside / output.length : 0 }
  };
}

/** What a placement means for the user, in one sentence; null when the sequence was used as it is. */
export function describePlacement(name: string, placement: GridPlacement, reference: VolumeGeometry): string | null {
  if (placement.kind === 'same-grid') return null;
  const grid = (spacing: Vec3, dimensions: Vec3) =>
    `${dimensions.join('×')} voxels of ${spacing.map((value) => value.toFixed(2)).join('×')} mm`;
  const parts = [
    `${name} was resampled (trilinear) from its own grid, ${grid(placement.sourceSpacing, placement.sourceDimensions)}, onto the reference grid, ${grid(computeSpacing(reference.voxelToPatient), reference.dimensions)}`
  ];
  if (placement.largestAxisAngleDegrees >= 0.1) parts.push(`its axes are turned by up to ${placement.largestAxisAngleDegrees.toFixed(1)}°`);
  parts.push(`reference voxels are up to ${placement.largestOffsetMm.toFixed(2)} mm from the nearest voxel of ${name}`);
  if (placement.outsideFraction > 0)
    parts.push(`${formatPercent(placement.outsideFraction)} of the reference grid lies outside ${name} and is shown as 0`);
  return `${parts.join('; ')}.`;
}

function formatPercent(fraction: number): string {
  const percent = fraction * 100;
  return `${percent < 1 ? percent.toFixed(2) : percent.toFixed(1)} %`;
}

function largestAxisAngle(a: VolumeGeometry, b: VolumeGeometry): number {
  const axesA = computeDirections(a.voxelToPatient);
  const axesB = computeDirections(b.voxelToPatient);
  let largest = 0;
  for (const axis of axesA) {
    const best = Math.max(...axesB.map((other) => Math.abs(dotProduct(axis, other))));
    largest = Math.max(largest, (Math.acos(Math.min(1, best)) * 180) / Math.PI);
  }
  return largest;
}

function cornersOf([ni, nj, nk]: Vec3): Vec3[] {
  const corners: Vec3[] = [];
  for (const i of [0, ni - 1]) for (const j of [0, nj - 1]) for (const k of [0, nk - 1]) corners.push([i, j, k]);
  return corners;
}

function multiply(a: number[], b: number[]): number[] {
  const out = new Array<number>(16).fill(0);
  for (let row = 0; row < 4; row += 1)
    for (let column = 0; column < 4; column += 1)
      for (let n = 0; n < 4; n += 1) out[row * 4 + column]! += a[row * 4 + n]! * b[n * 4 + column]!;
  return out;
}
