import { cross, scale, type Vector3 } from './volumeGeometry';
import type { ViewOrientation } from './computeAcquisitionOrientation';

export interface ScreenOrientationLabels {
  top: string;
  bottom: string;
  left: string;
  right: string;
}

const letters: [positive: string, negative: string][] = [
  ['L', 'R'],
  ['P', 'A'],
  ['S', 'I']
];

/**
 * The patient direction of a screen direction, as OHIF and Slicer print it at the viewport's edges: the main
 * direction first, then any other that contributes noticeably (an oblique "AL").
 */
export function describePatientDirection(direction: Vector3): string {
  const order = [0, 1, 2].sort((a, b) => Math.abs(direction[b]) - Math.abs(direction[a]));
  return order
    .filter((axis, rank) => rank === 0 || Math.abs(direction[axis]) > 0.25)
    .map((axis) => letters[axis][direction[axis] >= 0 ? 0 : 1])
    .join('');
}

/** Screen right is viewUp × viewPlaneNormal (for axial: anterior up, so the patient's left is on the right). */
export function describeScreenOrientation({ viewUp, viewPlaneNormal }: ViewOrientation): ScreenOrientationLabels {
  const right = cross(viewUp, viewPlaneNormal);
  return {
    top: describePatientDirection(viewUp),
    bottom: describePatientDirection(scale(viewUp, -1)),
    right: describePatientDirection(right),
    left: describePatientDirection(scale(right, -1))
  };
}
