import { describe, expect, it } from 'vitest';
import { cameraAtSlice, sliceAtCamera, type SliceCamera } from './sliceNavigation';

// Colin27-like: 1 mm voxels, k from the feet to the head; an axial view looks from the feet (normal -z, LPS).
const volume = { voxelToPatient: [-1, 0, 0, 90, 0, -1, 0, 126, 0, 0, 1, -72, 0, 0, 0, 1], sliceCount: 181 };
const axialCamera = (z: number): SliceCamera => ({
  focalPoint: [3, -4, z],
  position: [3, -4, z - 500],
  viewPlaneNormal: [0, 0, -1]
});

describe('sliceAtCamera', () => {
  it('finds the nearest k of the focal point, and a wheel step towards the user lowers k when k runs to the head', () => {
    expect(sliceAtCamera(volume, axialCamera(-72 + 90.4))).toEqual({ index: 90, count: 181, stepTowardsUser: -1 });
  });

  it('clamps to the first and last slice', () => {
    expect(sliceAtCamera(volume, axialCamera(-500)).index).toBe(0);
    expect(sliceAtCamera(volume, axialCamera(500)).index).toBe(180);
  });

  it('says the wheel raises k when the volume is stored from the head down', () => {
    const flipped = { voxelToPatient: [-1, 0, 0, 90, 0, -1, 0, 126, 0, 0, -1, 108, 0, 0, 0, 1], sliceCount: 181 };
    expect(sliceAtCamera(flipped, axialCamera(0)).stepTowardsUser).toBe(1);
  });
});

describe('cameraAtSlice', () => {
  it('moves focal point and position together along the normal, onto the slice asked for', () => {
    const moved = cameraAtSlice(volume, axialCamera(-72 + 10.3), 40);
    expect(moved.focalPoint[0]).toBeCloseTo(3);
    expect(moved.focalPoint[1]).toBeCloseTo(-4);
    expect(moved.focalPoint[2]).toBeCloseTo(-72 + 40);
    expect(moved.position[2] - moved.focalPoint[2]).toBeCloseTo(-500);
    expect(sliceAtCamera(volume, { ...axialCamera(0), ...moved }).index).toBe(40);
  });

  it('stays inside the volume', () => {
    expect(cameraAtSlice(volume, axialCamera(0), 1000).focalPoint[2]).toBeCloseTo(-72 + 180);
  });
});
