import { describe, expect, it } from 'vitest';
import { fillSliceHoles } from './fillSliceHoles';

describe('fillSliceHoles', () => {
  it('fills the inside of a ring and leaves the outside alone', () => {
    const columns = 7;
    const rows = 6;
    const labels = new Uint8Array(columns * rows);
    for (let i = 1; i <= 5; i++) {
      labels[1 * columns + i] = 1;
      labels[4 * columns + i] = 1;
    }
    for (let j = 1; j <= 4; j++) {
      labels[j * columns + 1] = 1;
      labels[j * columns + 5] = 1;
    }
    const filled = fillSliceHoles(labels, columns, rows);
    expect(filled.reduce((sum, value) => sum + value, 0)).toBe(5 * 4);
    expect(filled[0]).toBe(0);
    expect(filled[2 * columns + 3]).toBe(1);
  });

  it('does not fill background that reaches the edge through a gap', () => {
    const labels = new Uint8Array([0, 0, 0, 1, 0, 1, 1, 0, 1]);
    expect([...fillSliceHoles(labels, 3, 3)]).toEqual([...labels]);
  });
});
