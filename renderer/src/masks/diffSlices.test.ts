import { describe, expect, it } from 'vitest';
import { diffSlices, sameLabels } from './diffSlices';

describe('diffSlices', () => {
  it('returns only the slices that changed, with their labels before and after', () => {
    const baseline = new Uint8Array([0, 0, 1, 1, 0, 0]);
    const labels = new Uint8Array([0, 0, 1, 0, 1, 0]);
    const edits = diffSlices(baseline, labels, 2);
    expect(edits.map((edit) => edit.sliceIndex)).toEqual([1, 2]);
    expect([...edits[0]!.before]).toEqual([1, 1]);
    expect([...edits[0]!.after]).toEqual([1, 0]);
    expect([...edits[1]!.after]).toEqual([1, 0]);
  });

  it('copies, so later changes of the arrays leave the edits as they were', () => {
    const baseline = new Uint8Array([0, 0]);
    const labels = new Uint8Array([1, 0]);
    const [edit] = diffSlices(baseline, labels, 2);
    labels[0] = 0;
    expect([...edit!.after]).toEqual([1, 0]);
  });

  it('finds nothing in identical labels', () => {
    expect(diffSlices(new Uint8Array(8), new Uint8Array(8), 4)).toEqual([]);
  });
});

describe('sameLabels', () => {
  it('compares the range asked for only', () => {
    const a = new Uint8Array([1, 2, 3, 4]);
    const b = new Uint8Array([9, 2, 3, 9]);
    expect(sameLabels(a, b, 1, 3)).toBe(true);
    expect(sameLabels(a, b)).toBe(false);
  });
});
