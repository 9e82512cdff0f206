import { cross, dot, normalize, scale, type Vector3, type VolumePlacement } from './volumeGeometry';

export interface ViewOrientation {
  /** From the focal point towards the camera (Cornerstone's convention), LPS. */
  viewPlaneNormal: Vector3;
  /** The patient direction shown at the top of the screen, LPS. */
  viewUp: Vector3;
}

/**
 * The standard radiological views, as Cornerstone and OHIF define them: axial seen from the feet with anterior up,
 * coronal seen from the front with superior up, sagittal seen from the patient's left with superior up. So the
 * patient's right is on the screen's left in axial and coronal views.
 */
const standardViews: { normalAxis: 0 | 1 | 2; view: ViewOrientation }[] = [
  { normalAxis: 2, view: { viewPlaneNormal: [0, 0, -1], viewUp: [0, -1, 0] } },
  { normalAxis: 1, view: { viewPlaneNormal: [0, -1, 0], viewUp: [0, 0, 1] } },
  { normalAxis: 0, view: { viewPlaneNormal: [1, 0, 0], viewUp: [0, 0, 1] } }
];

/**
 * The view of the acquired slices (planes of constant k), turned the way clinicians expect: the plane's nearest
 * standard view decides which side the camera looks from and which way is up. Up is snapped to one of the in-plane
 * voxel axes, so the voxel grid stays aligned with the screen and oblique scans are shown as acquired, not resampled.
 */
export function computeAcquisitionOrientation(placement: VolumePlacement): ViewOrientation {
  const iAxis: Vector3 = [placement.direction[0], placement.direction[1], placement.direction[2]];
  const jAxis: Vector3 = [placement.direction[3], placement.direction[4], placement.direction[5]];
  const planeNormal = normalize(cross(iAxis, jAxis));
  const dominantAxis = [0, 1, 2].reduce((best, axis) =>
    Math.abs(planeNormal[axis]) > Math.abs(planeNormal[best]) ? axis : best
  );
  const standard = standardViews.find((entry) => entry.normalAxis === dominantAxis)!.view;
  const viewPlaneNormal = dot(planeNormal, standard.viewPlaneNormal) >= 0 ? planeNormal : scale(planeNormal, -1);
  const candidates = [iAxis, scale(iAxis, -1), jAxis, scale(jAxis, -1)];
  const viewUp = candidates.reduce((best, candidate) =>
    dot(candidate, standard.viewUp) > dot(best, standard.viewUp) ? candidate : best
  );
  return { viewPlaneNormal, viewUp: normalize(viewUp) };
}
