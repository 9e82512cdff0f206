import { add, axisStep, cross, dot, length, patientToVoxel, scale, type Vector3 } from './volumeGeometry';

/** A view's plane: a point on it (the camera's focal point) and its normal, LPS millimetres. */
export interface ViewPlane {
  point: Vector3;
  normal: Vector3;
}

/** The voxel grid the crosshair lives on: main's voxel-to-patient affine (row-major 4x4) and the volume's size. */
export interface CrosshairGrid {
  voxelToPatient: readonly number[];
  dimensions: readonly [number, number, number];
}

/** The patient-space centre of voxel (i, j, k). */
export function voxelCentre(voxelToPatient: readonly number[], [i, j, k]: readonly number[]): Vector3 {
  const m = voxelToPatient;
  return [
    m[0] * i + m[1] * j + m[2] * k + m[3],
    m[4] * i + m[5] * j + m[6] * k + m[7],
    m[8] * i + m[9] * j + m[10] * k + m[11]
  ];
}

/**
 * The voxel nearest to `point`, kept inside the volume, and its centre: as in ITK-SNAP, the crosshair sits on a voxel,
 * so every view shows a whole slice of voxels rather than a plane between two.
 */
export function snapToVoxel(grid: CrosshairGrid, point: readonly number[]): { voxel: Vector3; point: Vector3 } {
  const continuous = patientToVoxel(grid.voxelToPatient, point);
  const voxel = continuous.map((value, axis) =>
    Math.min(grid.dimensions[axis] - 1, Math.max(0, Math.round(value)))
  ) as Vector3;
  return { voxel, point: voxelCentre(grid.voxelToPatient, voxel) };
}

/** How far `point` lies from the plane, along its normal (millimetres, signed). */
export function distanceToPlane(plane: ViewPlane, point: readonly number[]): number {
  return dot([point[0] - plane.point[0], point[1] - plane.point[1], point[2] - plane.point[2]], plane.normal);
}

/** `point` moved along the plane's normal onto the plane. */
export function projectOntoPlane(plane: ViewPlane, point: readonly number[]): Vector3 {
  return add(point, scale(plane.normal, -distanceToPlane(plane, point)));
}

/**
 * The one point that lies on all three planes (Cramer's rule on n·x = n·p), or undefined when two of them are
 * (nearly) parallel and they do not meet in a point.
 */
export function intersectPlanes([a, b, c]: readonly [ViewPlane, ViewPlane, ViewPlane]): Vector3 | undefined {
  const bc = cross(b.normal, c.normal);
  const determinant = dot(a.normal, bc);
  if (Math.abs(determinant) < 1e-6) return undefined;
  const [da, db, dc] = [dot(a.normal, a.point), dot(b.normal, b.point), dot(c.normal, c.point)];
  const sum = add(add(scale(bc, da), scale(cross(c.normal, a.normal), db)), scale(cross(a.normal, b.normal), dc));
  return scale(sum, 1 / determinant);
}

/**
 * The direction of the line where two views' planes cut each other (unit length), or undefined when the planes are
 * parallel (a sagittal scan's acquired plane and the sagittal view) and there is no line to draw.
 */
export function intersectionDirection(normal: readonly number[], otherNormal: readonly number[]): Vector3 | undefined {
  const direction = cross(normal, otherNormal);
  const size = length(direction);
  return size < 1e-3 ? undefined : scale(direction, 1 / size);
}

export type Point2 = [number, number];

/**
 * The part of the infinite line through `through` along `direction` that lies inside the rectangle [0, width] x
 * [0, height] (screen pixels), as its two ends; undefined when it misses the rectangle.
 */
export function clipLineToRectangle(
  through: Point2,
  direction: Point2,
  width: number,
  height: number
): [Point2, Point2] | undefined {
  const size = Math.hypot(direction[0], direction[1]);
  if (size < 1e-9) return undefined;
  const [dx, dy] = [direction[0] / size, direction[1] / size];
  // Liang-Barsky: the parameter range along the line that stays within each pair of edges.
  let lowest = -Infinity;
  let highest = Infinity;
  for (const [start, step, limit] of [
    [through[0], dx, width],
    [through[1], dy, height]
  ] as const) {
    if (Math.abs(step) < 1e-12) {
      if (start < 0 || start > limit) return undefined;
      continue;
    }
    const [t0, t1] = [(0 - start) / step, (limit - start) / step];
    lowest = Math.max(lowest, Math.min(t0, t1));
    highest = Math.min(highest, Math.max(t0, t1));
  }
  if (lowest > highest) return undefined;
  return [
    [through[0] + lowest * dx, through[1] + lowest * dy],
    [through[0] + highest * dx, through[1] + highest * dy]
  ];
}

/** The voxel axis (0 = i, 1 = j, 2 = k) nearest to a view's normal: the one its slices step along. */
export function nearestVoxelAxis(voxelToPatient: readonly number[], normal: readonly number[]): 0 | 1 | 2 {
  const alignment = ([0, 1, 2] as const).map((axis) => {
    const step = axisStep(voxelToPatient, axis);
    return Math.abs(dot(step, normal)) / length(step);
  });
  return ([0, 1, 2] as const).reduce((best, axis) => (alignment[axis] > alignment[best] ? axis : best));
}

/**
 * The voxel the crosshair starts on: the middle acquired slice (k = (n - 1) / 2 rounded down, the slice the viewer
 * opens on), and in that slice the voxel at the middle of the field of view. Where a side has an even number of
 * voxels the middle falls between two; the one nearer the patient's left, back and head is taken, so that a scan
 * stored in another voxel order starts on the same point of the patient (and draws the same crosshair).
 */
export function middleVoxel(grid: CrosshairGrid): Vector3 {
  const tieBreak: Vector3 = [1, 1, 1];
  const voxel: Vector3 = [0, 0, Math.floor((grid.dimensions[2] - 1) / 2)];
  for (const axis of [0, 1] as const) {
    const size = grid.dimensions[axis];
    if (size % 2 === 1) {
      voxel[axis] = (size - 1) / 2;
      continue;
    }
    const lower = size / 2 - 1;
    const step = dot(axisStep(grid.voxelToPatient, axis), tieBreak);
    voxel[axis] = step >= 0 ? lower + 1 : lower;
  }
  return voxel;
}
