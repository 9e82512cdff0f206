import { ApiError } from '../contract';
import type { ProjectStore, SliceLabel, SliceRange, SliceState, VolumeRecord } from '../db';

/**
 * Weak-label rules. A scan tagged absent has every slice absent. A scan tagged present has its tumour ranges'
 * slices present and, once ranges are given, the other slices absent (they are true negatives of the same scan).
 * A slice with a drawn tumour is present whatever the tags say; tags that contradict a drawn tumour are refused.
 */
export async function tagScan(store: ProjectStore, volume: VolumeRecord, state: SliceState): Promise<void> {
  const sliceCount = volume.dimensions[2];
  const implied: SliceState = state === 'absent' ? 'absent' : 'unknown';
  // The drawn slices are read in the transaction that writes the tags: a stroke saved meanwhile is never lost.
  await store.sliceLabels.updateAgainstMasks(volume.id, (masked) => {
    if (state === 'absent' && masked.size > 0) {
      throw new ApiError(
        'conflict',
        `This scan has tumour drawn on ${describeSlices([...masked])}. Erase those masks before tagging the scan tumour-absent.`
      );
    }
    const slices = Array.from({ length: sliceCount }, (_, sliceIndex): SliceLabel =>
      masked.has(sliceIndex)
        ? { sliceIndex, state: 'present', source: 'mask', withoutMask: { state: implied, source: 'scan' } }
        : { sliceIndex, state: implied, source: 'scan' }
    );
    return { scanLabel: { state, tumourRanges: [] }, slices };
  });
}

export async function setTumourRanges(store: ProjectStore, volume: VolumeRecord, ranges: SliceRange[]): Promise<void> {
  const sliceCount = volume.dimensions[2];
  for (const range of ranges) {
    if (range.first > range.last || range.last >= sliceCount) {
      throw new ApiError('invalid-input', `The slice range ${range.first + 1}–${range.last + 1} is outside this scan (1–${sliceCount}).`);
    }
  }
  const inRange = (index: number) => ranges.some((range) => index >= range.first && index <= range.last);
  await store.sliceLabels.updateAgainstMasks(volume.id, (masked) => {
    const slices = Array.from({ length: sliceCount }, (_, sliceIndex): SliceLabel => {
      const byRange: SliceLabel =
        ranges.length === 0
          ? { sliceIndex, state: 'unknown', source: 'range' }
          : { sliceIndex, state: inRange(sliceIndex) ? 'present' : 'absent', source: 'range' };
      if (masked.has(sliceIndex)) return { sliceIndex, state: 'present', source: 'mask', withoutMask: { state: byRange.state, source: 'range' } };
      return byRange;
    });
    return { scanLabel: { state: 'present', tumourRanges: mergeRanges(ranges) }, slices };
  });
}

export async function setSliceStates(
  store: ProjectStore,
  volume: VolumeRecord,
  sliceIndices: number[],
  state: SliceState
): Promise<void> {
  const sliceCount = volume.dimensions[2];
  const outside = sliceIndices.filter((index) => index >= sliceCount);
  if (outside.length > 0) throw new ApiError('invalid-input', `Slice ${outside[0]! + 1} is outside this scan (1–${sliceCount}).`);
  await store.sliceLabels.updateAgainstMasks(volume.id, (masked) => {
    const contradicted = sliceIndices.filter((index) => masked.has(index));
    if (state !== 'present' && contradicted.length > 0) {
      throw new ApiError('conflict', `Tumour is drawn on ${describeSlices(contradicted)}. Erase it before marking the slice ${state}.`);
    }
    return { slices: sliceIndices.map((sliceIndex) => ({ sliceIndex, state, source: 'slice' })) };
  });
}

/** Slices whose current mask has at least one labelled voxel. */
export async function listTumourSlices(store: ProjectStore, volumeId: string): Promise<number[]> {
  const slices = await store.masks.getSlices(volumeId);
  return slices.filter((slice) => slice.labels.some((value) => value !== 0)).map((slice) => slice.sliceIndex);
}

export function mergeRanges(ranges: SliceRange[]): SliceRange[] {
  const sorted = [...ranges].sort((a, b) => a.first - b.first);
  const merged: SliceRange[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last && range.first <= last.last + 1) last.last = Math.max(last.last, range.last);
    else merged.push({ ...range });
  }
  return merged;
}

function describeSlices(indices: number[]): string {
  const shown = indices.slice(0, 5).map((index) => index + 1).join(', ');
  return `slice${indices.length > 1 ? 's' : ''} ${shown}${indices.length > 5 ? ` and ${indices.length - 5} more` : ''}`;
}
