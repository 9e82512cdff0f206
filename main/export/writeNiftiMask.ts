/**
 * Masks leave the application as NIfTI label maps: uint8 labels on exactly the source volume's voxel grid, so they
 * overlay the source (or, for DICOM, dcm2niix's conversion of it) voxel for voxel in any NIfTI viewer.
 */
import { countVoxels } from '../imaging';
import { ImagingError } from '../imaging';
import { writeNiftiFile } from '../imaging';
import type { VolumeGeometry } from '../imaging';

const NIFTI_INTENT_LABEL = 1002;

export interface WriteNiftiMaskOptions {
  description?: string;
  signal?: AbortSignal;
}

/** Writes `labels` (i fastest, on `geometry`'s grid) to `path` (.nii.gz, or .nii). */
export async function writeNiftiMask(
  geometry: VolumeGeometry,
  labels: Uint8Array,
  path: string,
  options: WriteNiftiMaskOptions = {}
): Promise<void> {
  if (labels.length !== countVoxels(geometry.dimensions)) {
    throw new ImagingError(
      'invalid-request',
      `The mask has ${labels.length} voxels but its scan has ${countVoxels(geometry.dimensions)} (${geometry.dimensions.join('×')}); it was not exported to ${path}.`,
      path
    );
  }
  await writeNiftiFile(
    path,
    { geometry, scalars: labels },
    {
      description: options.description ?? 'GenSeg label mask',
      intentCode: NIFTI_INTENT_LABEL,
      signal: options.signal
    }
  );
}
