import { describe, expect, it } from 'vitest';
import {
  clipLineToRectangle,
  distanceToPlane,
  intersectionDirection,
  intersectPlanes,
  middleVoxel,
  nearestVoxelAxis,
  projectOntoPlane,
  snapToVoxel,
  voxelCentre,
  type ViewPlane
} from './crosshairGeometry';
import { patientToVoxel } from './volumeGeometry';

// Colin27-like: 1 mm voxels, i towards the patient's right, j towards anterior, k towards the head (LPS affine).
const colin = { voxelToPatient: [-1, 0, 0, 90, 0, -1, 0, 126, 0, 0, 1, -72, 0, 0, 0, 1], dimensions: [181, 217, 181] as const };

// Turned 20° about the head-feet axis, 0.9 x 0.9 x 3 mm voxels, as an oblique acquisition.
const turn = (20 * Math.PI) / 180;
const oblique = {
  voxelToPatient: [
    0.9 * Math.cos(turn), -0.9 * Math.sin(turn), 0, -40,
    0.9 * Math.sin(turn), 0.9 * Math.cos(turn), 0, -50,
    0, 0, 3, -30,
    0, 0, 0, 1
  ],
  dimensions: [100, 120, 30] as const
};

describe('snapToVoxel', () => {
  it('puts the crosshair on the nearest voxel centre', () => {
    const { voxel, point } = snapToVoxel(colin, [90 - 10.4, 126 - 20.6, -72 + 30.2]);
    expect(voxel).toEqual([10, 21, 30]);
    expect(point).toEqual([80, 105, -42]);
  });

  it('keeps it inside the volume when the click is beside it', () => {
    expect(snapToVoxel(colin, [500, -500, 500]).voxel).toEqual([0, 216, 180]);
  });

  it('follows an oblique grid, not the patient axes', () => {
    const target = voxelCentre(oblique.voxelToPatient, [12, 34, 5]);
    const { voxel, point } = snapToVoxel(oblique, [target[0] + 0.3, target[1] - 0.2, target[2] + 1.2]);
    expect(voxel).toEqual([12, 34, 5]);
    patientToVoxel(oblique.voxelToPatient, point).forEach((value, axis) => expect(value).toBeCloseTo(voxel[axis], 9));
  });
});

describe('planes', () => {
  const axial: ViewPlane = { point: [3, 4, 10], normal: [0, 0, -1] };
  const sagittal: ViewPlane = { point: [-7, 0, 0], normal: [1, 0, 0] };
  const coronal: ViewPlane = { point: [0, 25, 0], normal: [0, -1, 0] };

  it('meet in the crosshair point', () => {
    expect(intersectPlanes([axial, sagittal, coronal])).toEqual([-7, 25, 10]);
  });

  it('meet where an oblique plane crosses the other two', () => {
    const normal: [number, number, number] = [Math.sin(turn), 0, Math.cos(turn)];
    const tilted: ViewPlane = { point: [0, 0, 5], normal };
    const point = intersectPlanes([tilted, sagittal, coronal])!;
    for (const plane of [tilted, sagittal, coronal]) expect(distanceToPlane(plane, point)).toBeCloseTo(0, 9);
  });

  it('do not meet in a point when two are parallel', () => {
    expect(intersectPlanes([sagittal, { point: [5, 0, 0], normal: [-1, 0, 0] }, coronal])).toBeUndefined();
  });

  it('project a point onto a plane along its normal', () => {
    expect(projectOntoPlane(axial, [1, 2, 3])).toEqual([1, 2, 10]);
  });

  it('cut each other along a line, except when parallel', () => {
    expect(intersectionDirection(axial.normal, sagittal.normal)).toEqual([0, -1, 0]);
    expect(intersectionDirection(sagittal.normal, [-1, 0, 0])).toBeUndefined();
  });
});

describe('clipLineToRectangle', () => {
  it('runs a vertical line from the top edge to the bottom edge', () => {
    expect(clipLineToRectangle([30, 40], [0, 2], 200, 100)).toEqual([
      [30, 0],
      [30, 100]
    ]);
  });

  it('clips a diagonal line at the edges it meets first', () => {
    const [from, to] = clipLineToRectangle([50, 50], [1, 1], 200, 100)!;
    expect(from).toEqual([0, 0]);
    expect(to).toEqual([100, 100]);
  });

  it('misses the rectangle when the line passes beside it', () => {
    expect(clipLineToRectangle([300, 40], [0, 1], 200, 100)).toBeUndefined();
  });
});

describe('nearestVoxelAxis', () => {
  it('names the voxel axis a view steps along', () => {
    expect(nearestVoxelAxis(colin.voxelToPatient, [1, 0, 0])).toBe(0);
    expect(nearestVoxelAxis(colin.voxelToPatient, [0, -1, 0])).toBe(1);
    expect(nearestVoxelAxis(colin.voxelToPatient, [0, 0, -1])).toBe(2);
  });

  it('finds it for the turned grid too, whatever the spacing', () => {
    expect(nearestVoxelAxis(oblique.voxelToPatient, [1, 0, 0])).toBe(0);
    expect(nearestVoxelAxis(oblique.voxelToPatient, [0, 1, 0])).toBe(1);
  });
});

describe('middleVoxel', () => {
  it('is the middle voxel of odd sides and the middle acquired slice', () => {
    expect(middleVoxel(colin)).toEqual([90, 108, 90]);
  });

  it('picks the same point of the patient whichever way an even side is stored', () => {
    const ras = { voxelToPatient: [-1, 0, 0, 10, 0, -1, 0, 20, 0, 0, 2, -5, 0, 0, 0, 1], dimensions: [64, 48, 20] as const };
    // The same grid with i and j running the other way.
    const flipped = {
      voxelToPatient: [1, 0, 0, 10 - 63, 0, 1, 0, 20 - 47, 0, 0, 2, -5, 0, 0, 0, 1],
      dimensions: [64, 48, 20] as const
    };
    const fromRas = voxelCentre(ras.voxelToPatient, middleVoxel(ras));
    const fromFlipped = voxelCentre(flipped.voxelToPatient, middleVoxel(flipped));
    expect(fromFlipped).toEqual(fromRas);
    expect(middleVoxel(ras)[2]).toBe(9);
  });
});
