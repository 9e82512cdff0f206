import type { VolumeGeometry } from '../imaging';
import type { VolumeRecord } from './records';

/** The stored volume's geometry as the imaging and export code takes it (with its NIfTI voxel order, when it has one). */
export function geometryOf(volume: VolumeRecord): VolumeGeometry {
  return {
    dimensions: volume.dimensions,
    voxelToPatient: volume.voxelToPatient,
    ...(volume.niftiLayout ? { niftiLayout: volume.niftiLayout } : {})
  };
}
