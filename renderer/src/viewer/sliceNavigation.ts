import { add, axisStep, dot, patientToVoxel, scale, type Vector3 } from './volumeGeometry';
import type { SliceState } from './viewerTypes';

/** The camera of a view of a volume, as Cornerstone gives it (LPS millimetres). */
export interface SliceCamera {
  focalPoint: Vector3;
  position: Vector3;
  viewPlaneNormal: Vector3;
}

/** The volume the camera looks at: its voxel-to-patient affine (row-major 4x4) and its number of acquired slices. */
export interface SlicedVolume {
  voxelToPatient: readonly number[];
  sliceCount: number;
}

/** The acquired slice (k index, nearest) the camera's focal point lies on, and which way the wheel moves through k. */
export function sliceAtCamera(volume: SlicedVolume, camera: SliceCamera): SliceState {
  const k = patientToVoxel(volume.voxelToPatient, camera.focalPoint)[2];
  const index = Math.min(volume.sliceCount - 1, Math.max(0, Math.round(k)));
  const stepTowardsUser = dot(camera.viewPlaneNormal, axisStep(volume.voxelToPatient, 2)) >= 0 ? 1 : -1;
  return { index, count: volume.sliceCount, stepTowardsUser };
}

/**
 * The focal point and position that put the camera on slice `index` (clamped to the volume), moved along the view
 * normal only: zoom and pan stay as they are.
 */
export function cameraAtSlice(
  volume: SlicedVolume,
  camera: SliceCamera,
  index: number
): Pick<SliceCamera, 'focalPoint' | 'position'> {
  const target = Math.min(volume.sliceCount - 1, Math.max(0, Math.round(index)));
  const current = patientToVoxel(volume.voxelToPatient, camera.focalPoint)[2];
  const normal = camera.viewPlaneNormal;
  const distance = dot(scale(axisStep(volume.voxelToPatient, 2), target - current), normal);
  const shift = scale(normal, distance);
  return { focalPoint: add(camera.focalPoint, shift), position: add(camera.position, shift) };
}
