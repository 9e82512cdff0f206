import { describe, expect, it } from 'vitest';
import { interpolateSlices } from './interpolateSlices';

function square(columns: number, rows: number, left: number, top: number, size: number): Uint8Array {
  const labels = new Uint8Array(columns * rows);
  for (let j = top; j < top + size; j++) for (let i = left; i < left + size; i++) labels[j * columns + i] = 1;
  return labels;
}

const count = (labels: Uint8Array) => labels.reduce((sum, value) => sum + value, 0);

describe('interpolateSlices', () => {
  it('grows a shape smoothly from a small square to a large one', () => {
    const small = square(20, 20, 8, 8, 4);
    const large = square(20, 20, 4, 4, 12);
    const between = interpolateSlices(small, large, 4, 20, 20);
    expect(between).toHaveLength(3);
    const sizes = between.map(count);
    expect(sizes[0]!).toBeGreaterThan(count(small));
    expect(sizes[1]!).toBeGreaterThan(sizes[0]!);
    expect(sizes[2]!).toBeGreaterThan(sizes[1]!);
    expect(sizes[2]!).toBeLessThan(count(large));
    // The centre is inside all the way.
    for (const labels of between) expect(labels[10 * 20 + 10]).toBe(1);
  });

  it('keeps the same shape between two identical slices', () => {
    const shape = square(10, 10, 2, 3, 5);
    for (const labels of interpolateSlices(shape, shape, 3, 10, 10)) expect([...labels]).toEqual([...shape]);
  });
});
