import { ApiError } from '../contract';
import { MaskVersionConflict, type MaskProvenance, type ProjectStore, type SliceLabel, type VolumeRecord } from '../db';

export interface MaskSliceInput {
  sliceIndex: number;
  labels: Uint8Array;
  /** The slice's version the edit was drawn on (0: no mask yet); a newer stored version refuses the save. */
  baseVersion?: number;
}

/**
 * Saves edited mask slices at the volume's full in-plane size (never cropped or resampled). A slice with tumour drawn
 * becomes present, and so does its scan, in the same transaction as the mask itself.
 */
export async function saveMaskSlices(
  store: ProjectStore,
  volume: VolumeRecord,
  slices: MaskSliceInput[],
  provenance: { provenance: MaskProvenance; author: string; modelVersionId?: string | null; sourceFile?: string | null }
): Promise<number[]> {
  const [columns, rows, sliceCount] = volume.dimensions;
  const seen = new Set<number>();
  for (const slice of slices) {
    if (slice.sliceIndex >= sliceCount) {
      throw new ApiError('invalid-input', `Slice ${slice.sliceIndex + 1} is outside this scan (1–${sliceCount}).`);
    }
    if (seen.has(slice.sliceIndex)) throw new ApiError('invalid-input', `Slice ${slice.sliceIndex + 1} was sent twice.`);
    seen.add(slice.sliceIndex);
    if (slice.labels.byteLength !== columns * rows) {
      throw new ApiError(
        'invalid-input',
        `A mask slice must have ${columns}×${rows} values; ${slice.labels.byteLength} were sent.`
      );
    }
  }
  const tumourSlices = slices.filter((slice) => slice.labels.some((value) => value !== 0));
  const implied: SliceLabel[] = tumourSlices.map((slice) => ({ sliceIndex: slice.sliceIndex, state: 'present', source: 'mask' }));
  try {
    return await store.masks.saveSlices(volume.id, slices, {
      ...provenance,
      impliedSliceLabels: implied,
      markScanPresent: tumourSlices.length > 0
    });
  } catch (error) {
    if (!(error instanceof MaskVersionConflict)) throw error;
    const shown = error.conflicts.slice(0, 5).map((conflict) => conflict.sliceIndex + 1).join(', ');
    throw new ApiError(
      'conflict',
      `Slice ${shown} of this mask was changed in another window after this one loaded it. Nothing was saved, so that ` +
        'the newer mask is not overwritten: reload the mask to see it, then draw again.'
    );
  }
}

/**
 * The whole labelmap of a volume in its voxel grid (i fastest, then j, then k); unmasked slices are zero. A slice whose
 * tumour is erased (or a stroke undone) goes back to the tags it had without it (`SliceLabelRepository`).
 */
export async function readVolumeMask(
  store: ProjectStore,
  volume: VolumeRecord
): Promise<{ labels: Uint8Array; maskedSlices: number[]; storedSlices: number[]; versions: number[] }> {
  const [columns, rows, sliceCount] = volume.dimensions;
  const sliceSize = columns * rows;
  const labels = new Uint8Array(sliceSize * sliceCount);
  const slices = await store.masks.getSlices(volume.id);
  for (const slice of slices) labels.set(slice.labels, slice.sliceIndex * sliceSize);
  return {
    labels,
    // Masked means tumour drawn: an erased or undone slice keeps its stored row (and version) but is not masked.
    maskedSlices: slices.filter((slice) => slice.labels.some((value) => value !== 0)).map((slice) => slice.sliceIndex),
    storedSlices: slices.map((slice) => slice.sliceIndex),
    versions: slices.map((slice) => slice.version)
  };
}
