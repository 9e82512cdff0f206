import { Enums, utilities, volumeLoader, type Types } from '@cornerstonejs/core';
import type { VolumeVoxels } from '../../../main/contract/types';
import { add, axisStep, scale, type VolumePlacement } from './volumeGeometry';
import type { ViewerScalarArray } from './toScalarArray';

/**
 * A Cornerstone volume made from main's voxels and geometry, placed in Cornerstone's cache under `cacheId`. The
 * metadata is what Cornerstone's tools read (bit depth for window/level speed, orientation, frame of reference).
 */
export function createVolumeInCache(
  cacheId: string,
  voxels: VolumeVoxels,
  placement: VolumePlacement,
  scalarData: ViewerScalarArray
): Types.IImageVolume {
  const [columns, rows] = voxels.geometry.dimensions;
  const bitsAllocated = scalarData.BYTES_PER_ELEMENT * 8;
  const metadata: Types.Metadata = {
    BitsAllocated: bitsAllocated,
    BitsStored: bitsAllocated,
    HighBit: bitsAllocated - 1,
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    PixelRepresentation: scalarData instanceof Float32Array ? 1 : 0,
    Modality: 'OT',
    ImageOrientationPatient: placement.direction.slice(0, 6),
    PixelSpacing: [placement.spacing[1], placement.spacing[0]],
    FrameOfReferenceUID: `genseg-frame-${voxels.volumeId}`,
    Columns: columns,
    Rows: rows,
    voiLut: [],
    VOILUTFunction: 'LINEAR'
  };
  const volume = volumeLoader.createLocalVolume(cacheId, {
    metadata,
    dimensions: voxels.geometry.dimensions,
    spacing: placement.spacing,
    origin: placement.origin,
    direction: placement.direction,
    scalarData
  });
  placeSlices(volume.imageIds, voxels.geometry.voxelToPatient, metadata.FrameOfReferenceUID);
  // A local volume's GPU texture uploads only the slices marked as updated; without this the first frames are black.
  volume.invalidate();
  return volume;
}

/**
 * createLocalVolume gives every slice image the volume's origin; each slice gets its own position here, so that
 * Cornerstone can find the image of the plane on screen (tools and stack labelmaps depend on it).
 */
function placeSlices(imageIds: string[], voxelToPatient: number[], frameOfReferenceUID: string): void {
  const type = Enums.MetadataModules.IMAGE_PLANE;
  const origin = [voxelToPatient[3], voxelToPatient[7], voxelToPatient[11]];
  const sliceStep = axisStep(voxelToPatient, 2);
  imageIds.forEach((imageId, k) => {
    const plane = utilities.genericMetadataProvider.get(type, imageId) as Record<string, unknown> | undefined;
    utilities.genericMetadataProvider.add(imageId, {
      type,
      metadata: { ...plane, frameOfReferenceUID, imagePositionPatient: add(origin, scale(sliceStep, k)) }
    });
  });
}
