import { interpolateSlices } from './interpolateSlices';

/**
 * Fills, in place, every gap of empty slices between two consecutive drawn slices of `labels` (columns * rows labels
 * per slice, slice after slice) by shape-based interpolation, as Slicer's "fill between slices" does. Drawn slices are
 * never changed.
 */
export function fillBetweenDrawnSlices(labels: Uint8Array, columns: number, rows: number): void {
  const sliceSize = columns * rows;
  const sliceOf = (k: number) => labels.subarray(k * sliceSize, (k + 1) * sliceSize);
  const sliceCount = labels.length / sliceSize;
  const drawn = Array.from({ length: sliceCount }, (_, k) => k).filter((k) => sliceOf(k).some((value) => value !== 0));
  for (let index = 1; index < drawn.length; index++) {
    const lower = drawn[index - 1]!;
    const upper = drawn[index]!;
    if (upper - lower < 2) continue;
    const between = interpolateSlices(sliceOf(lower).slice(), sliceOf(upper).slice(), upper - lower, columns, rows);
    between.forEach((slice, offset) => labels.set(slice, (lower + 1 + offset) * sliceSize));
  }
}
