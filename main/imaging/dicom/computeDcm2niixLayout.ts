/**
 * The voxel order dcm2niix (v1.0.2022, default options) writes for a DICOM series, so exported masks overlay its
 * images voxel for voxel. Our volume order is DICOM's: columns, rows top to bottom, slices ascending along the normal
 * (dcm2niix also ends there after its own slice-order flip). Then:
 * - 2D acquisitions: rows are reversed (nii_flipY).
 * - 3D non-EPI acquisitions (MRAcquisitionType 3D): no row flip; the grid is turned to the orthogonal axes closest to
 *   RAS, starting from the corner nearest the minimum (nii_setOrtho in nii_ortho.cpp, replicated step by step below).
 */
import { convertLpsRas } from '../geometry';
import type { Matrix4, NiftiLayout, Vec3 } from '../volume';

const ROWS_REVERSED: NiftiLayout = { axes: [0, 1, 2], flips: [false, true, false] };
const UNCHANGED: NiftiLayout = { axes: [0, 1, 2], flips: [false, false, false] };

export function computeDcm2niixLayout(
  voxelToPatient: Matrix4,
  dimensions: Vec3,
  acquisition: { is3D: boolean; isEchoPlanar: boolean }
): NiftiLayout {
  if (!acquisition.is3D || acquisition.isEchoPlanar || dimensions[2] < 2) return cloneLayout(ROWS_REVERSED);
  const ras = convertLpsRas(voxelToPatient);
  if (isCanonical(ras)) return cloneLayout(UNCHANGED);
  const flipVector = findMinimumCornerFlips(ras, dimensions);
  const orient = chooseBestOrientation(ras, flipVector);
  // orient[i][j] = ±1: file axis j runs along volume axis i, reversed when negative.
  const layout: NiftiLayout = { axes: [0, 1, 2], flips: [false, false, false] };
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      if (orient[i]![j] === 0) continue;
      layout.axes[j] = i as 0 | 1 | 2;
      layout.flips[j] = orient[i]![j]! < 0;
    }
  }
  return layout;
}

function cloneLayout(layout: NiftiLayout): NiftiLayout {
  return { axes: [...layout.axes], flips: [...layout.flips] };
}

/** Positive diagonal and exact zeros elsewhere: already aligned, dcm2niix leaves it alone. */
function isCanonical(ras: Matrix4): boolean {
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) if (i === j ? ras[i * 4 + j]! <= 0 : ras[i * 4 + j] !== 0) return false;
  return true;
}

/** Of the 8 corners, the one closest to the componentwise minimum of all corners (minCornerFlip). */
function findMinimumCornerFlips(ras: Matrix4, dimensions: Vec3): Vec3 {
  const corners = Array.from({ length: 8 }, (_, n) => {
    const flips: Vec3 = [n & 1 ? -1 : 1, n & 2 ? -1 : 1, n & 4 ? -1 : 1];
    const index = flips.map((flip, axis) => (flip < 0 ? dimensions[axis] - 1 : 0));
    const mm = [0, 1, 2].map(
      (row) =>
        ras[row * 4]! * index[0]! + ras[row * 4 + 1]! * index[1]! + ras[row * 4 + 2]! * index[2]! + ras[row * 4 + 3]!
    );
    return { flips, mm };
  });
  const minimum = [0, 1, 2].map((axis) => Math.min(...corners.map((corner) => corner.mm[axis]!)));
  let best = corners[0]!;
  let bestDistance = Math.hypot(...best.mm.map((value, axis) => value - minimum[axis]!));
  for (const corner of corners.slice(1)) {
    const distance = Math.hypot(...corner.mm.map((value, axis) => value - minimum[axis]!));
    if (distance < bestDistance) [best, bestDistance] = [corner, distance];
  }
  return best.flips;
}

/** Of the 6 axis permutations (signed by the corner flips), the one best aligned with the affine (getBestOrient). */
function chooseBestOrientation(ras: Matrix4, flips: Vec3): number[][] {
  const [a, b, c] = flips;
  const candidates = [
    [
      [a, 0, 0],
      [0, b, 0],
      [0, 0, c]
    ],
    [
      [a, 0, 0],
      [0, 0, b],
      [0, c, 0]
    ],
    [
      [0, a, 0],
      [b, 0, 0],
      [0, 0, c]
    ],
    [
      [0, a, 0],
      [0, 0, b],
      [c, 0, 0]
    ],
    [
      [0, 0, a],
      [b, 0, 0],
      [0, c, 0]
    ],
    [
      [0, 0, a],
      [0, b, 0],
      [c, 0, 0]
    ]
  ];
  let best = candidates[0]!;
  let bestScore = 0;
  for (const candidate of candidates) {
    let score = 0;
    // matDotMul33 multiplies by the transposed candidate: ret[i][j] = a[i][j] * b[j][i].
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) score += ras[i * 4 + j]! * candidate[j]![i]!;
    if (score > bestScore) [best, bestScore] = [candidate, score];
  }
  return best;
}
