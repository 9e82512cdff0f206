/**
 * The volume's placement in patient space (LPS, millimetres), derived from main's voxel-to-patient affine: the one
 * source of geometric truth. Cornerstone (like vtk.js) wants origin, spacing and a direction matrix whose three
 * columns are the unit vectors of the i, j and k axes; Cornerstone flattens it as [i..., j..., k...].
 */
export type Vector3 = [number, number, number];
export type DirectionMatrix = [number, number, number, number, number, number, number, number, number];

export interface VolumePlacement {
  origin: Vector3;
  spacing: Vector3;
  direction: DirectionMatrix;
}

/** Column `axis` (0 = i, 1 = j, 2 = k) of the row-major 4x4 affine: how far one voxel step moves in patient space. */
export function axisStep(voxelToPatient: readonly number[], axis: 0 | 1 | 2): Vector3 {
  return [voxelToPatient[axis], voxelToPatient[4 + axis], voxelToPatient[8 + axis]];
}

export function placementFromAffine(voxelToPatient: readonly number[]): VolumePlacement {
  if (voxelToPatient.length !== 16) throw new Error('voxelToPatient must have 16 numbers');
  const steps = [axisStep(voxelToPatient, 0), axisStep(voxelToPatient, 1), axisStep(voxelToPatient, 2)];
  const spacing = steps.map(length) as Vector3;
  const direction = steps.flatMap((step, axis) => scale(step, 1 / spacing[axis])) as DirectionMatrix;
  return { origin: [voxelToPatient[3], voxelToPatient[7], voxelToPatient[11]], spacing, direction };
}

/** Continuous voxel coordinates (i, j, k) of a patient-space point. */
export function patientToVoxel(voxelToPatient: readonly number[], point: readonly number[]): Vector3 {
  const m = voxelToPatient;
  const a = [m[0], m[1], m[2], m[4], m[5], m[6], m[8], m[9], m[10]];
  const d: Vector3 = [point[0] - m[3], point[1] - m[7], point[2] - m[11]];
  const det =
    a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6]) + a[2] * (a[3] * a[7] - a[4] * a[6]);
  if (Math.abs(det) < 1e-12) throw new Error('voxelToPatient is not invertible');
  const inverse = [
    a[4] * a[8] - a[5] * a[7],
    a[2] * a[7] - a[1] * a[8],
    a[1] * a[5] - a[2] * a[4],
    a[5] * a[6] - a[3] * a[8],
    a[0] * a[8] - a[2] * a[6],
    a[2] * a[3] - a[0] * a[5],
    a[3] * a[7] - a[4] * a[6],
    a[1] * a[6] - a[0] * a[7],
    a[0] * a[4] - a[1] * a[3]
  ].map((value) => value / det);
  return [
    inverse[0] * d[0] + inverse[1] * d[1] + inverse[2] * d[2],
    inverse[3] * d[0] + inverse[4] * d[1] + inverse[5] * d[2],
    inverse[6] * d[0] + inverse[7] * d[1] + inverse[8] * d[2]
  ];
}

export function length(vector: readonly number[]): number {
  return Math.hypot(vector[0], vector[1], vector[2]);
}

export function scale(vector: readonly number[], factor: number): Vector3 {
  return [vector[0] * factor, vector[1] * factor, vector[2] * factor];
}

export function dot(a: readonly number[], b: readonly number[]): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

export function cross(a: readonly number[], b: readonly number[]): Vector3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

export function normalize(vector: readonly number[]): Vector3 {
  return scale(vector, 1 / length(vector));
}

export function add(a: readonly number[], b: readonly number[]): Vector3 {
  return [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
}
