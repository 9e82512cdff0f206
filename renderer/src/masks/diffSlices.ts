import type { SliceEdit } from './MaskHistory';

/**
 * The slices (`sliceSize` labels each, one after the other) where `labels` differs from `baseline`, with both
 * versions copied: one undo step and one save of the changed slices only.
 */
export function diffSlices(baseline: Uint8Array, labels: Uint8Array, sliceSize: number): SliceEdit[] {
  const edits: SliceEdit[] = [];
  for (let start = 0; start < baseline.length; start += sliceSize) {
    const end = start + sliceSize;
    if (!sameLabels(baseline, labels, start, end)) {
      edits.push({
        sliceIndex: start / sliceSize,
        before: baseline.slice(start, end),
        after: labels.slice(start, end)
      });
    }
  }
  return edits;
}

export function sameLabels(a: Uint8Array, b: Uint8Array, start = 0, end = a.length): boolean {
  for (let index = start; index < end; index++) if (a[index] !== b[index]) return false;
  return true;
}
