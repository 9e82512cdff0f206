import { cache, volumeLoader, type Types } from '@cornerstonejs/core';
import { Enums as ToolEnums, segmentation } from '@cornerstonejs/tools';

/**
 * A labelmap on the volume on screen: Cornerstone's derived labelmap volume (same grid as the volume) registered as
 * a segmentation of the same id, filled with `labels` (i fastest). Not drawn anywhere until `drawLabelmap`.
 */
export function createLabelmap(volumeCacheId: string, segmentationId: string, labels: Uint8Array): Types.IImageVolume {
  const labelmap = volumeLoader.createAndCacheDerivedLabelmapVolume(volumeCacheId, { volumeId: segmentationId });
  writeLabelmapArray(labelmap, labels);
  segmentation.addSegmentations([
    {
      segmentationId,
      representation: { type: ToolEnums.SegmentationRepresentations.Labelmap, data: { volumeId: segmentationId } }
    }
  ]);
  return labelmap;
}

/** Draws the labelmap in `viewportIds`; registering is synchronous, so a stroke that starts right after finds it. */
export function drawLabelmap(segmentationId: string, viewportIds: string[]): void {
  segmentation.addLabelmapRepresentationToViewportMap(
    Object.fromEntries(viewportIds.map((viewportId) => [viewportId, [{ segmentationId }]]))
  );
}

/** Takes the labelmap out of `viewportIds`, out of Cornerstone's segmentation state and out of its cache. */
export function removeLabelmap(segmentationId: string, viewportIds: string[]): void {
  for (const viewportId of viewportIds) segmentation.removeSegmentationRepresentations(viewportId, { segmentationId });
  segmentation.removeSegmentation(segmentationId);
  cache.removeVolumeLoadObject(segmentationId);
}

/** Tells the views that the labelmap's voxels changed, so they draw it again. */
export function announceLabelmapChange(segmentationId: string): void {
  segmentation.triggerSegmentationEvents.triggerSegmentationDataModified(segmentationId);
}

/** The labelmap's voxels, the whole volume (Cornerstone's own array: copy before keeping it). */
export function readLabelmapArray(labelmap: Types.IImageVolume): Uint8Array {
  const manager = labelmap.voxelManager;
  if (!manager?.getCompleteScalarDataArray) throw new Error('the labelmap has no voxel manager');
  return manager.getCompleteScalarDataArray() as Uint8Array;
}

export function writeLabelmapArray(labelmap: Types.IImageVolume, labels: Uint8Array): void {
  const manager = labelmap.voxelManager;
  if (!manager?.setCompleteScalarDataArray) throw new Error('the labelmap has no voxel manager');
  manager.setCompleteScalarDataArray(labels);
}
