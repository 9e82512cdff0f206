import { describe, expect, it } from 'vitest';
import { fillBetweenDrawnSlices } from './fillBetweenDrawnSlices';

const columns = 6;
const rows = 6;
const sliceSize = columns * rows;

function volumeWithSquares(sliceCount: number, drawn: number[]): Uint8Array {
  const labels = new Uint8Array(sliceSize * sliceCount);
  for (const k of drawn)
    for (let j = 1; j < 5; j++) for (let i = 1; i < 5; i++) labels[k * sliceSize + j * columns + i] = 1;
  return labels;
}

const countOn = (labels: Uint8Array, k: number) =>
  labels.subarray(k * sliceSize, (k + 1) * sliceSize).reduce((sum, value) => sum + value, 0);

describe('fillBetweenDrawnSlices', () => {
  it('fills the empty slices between two drawn ones, and nothing outside them', () => {
    const labels = volumeWithSquares(7, [1, 4]);
    fillBetweenDrawnSlices(labels, columns, rows);
    expect([0, 1, 2, 3, 4, 5, 6].map((k) => countOn(labels, k))).toEqual([0, 16, 16, 16, 16, 0, 0]);
  });

  it('leaves neighbouring drawn slices and a single drawn slice as they are', () => {
    const labels = volumeWithSquares(4, [1, 2]);
    const before = labels.slice();
    fillBetweenDrawnSlices(labels, columns, rows);
    expect([...labels]).toEqual([...before]);
  });
});
