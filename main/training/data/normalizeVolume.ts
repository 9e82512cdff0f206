import type { ScalarArray } from '../../imaging';

/**
 * Per-volume intensity normalisation of docs/genseg.md#brats-2017: over the nonzero voxels, subtract the mean and
 * divide by five standard deviations, then clip to [-1, 1]. Returns the normalised volume as float32.
 */
export function normalizeVolume(scalars: ScalarArray): Float32Array {
  let count = 0;
  let sum = 0;
  let sumOfSquares = 0;
  for (let index = 0; index < scalars.length; index += 1) {
    const value = scalars[index]!;
    if (value === 0) continue;
    count += 1;
    sum += value;
    sumOfSquares += value * value;
  }
  const mean = count > 0 ? sum / count : 0;
  const variance = count > 1 ? Math.max(0, (sumOfSquares - count * mean * mean) / (count - 1)) : 0;
  const scale = 5 * Math.sqrt(variance) || 1;
  const output = new Float32Array(scalars.length);
  for (let index = 0; index < scalars.length; index += 1) {
    const normalized = (scalars[index]! - mean) / scale;
    output[index] = normalized < -1 ? -1 : normalized > 1 ? 1 : normalized;
  }
  return output;
}

/** The normalised value of a zero voxel: what padding around a fitted slice should look like. */
export function normalizedBackground(normalized: Float32Array, scalars: ScalarArray): number {
  for (let index = 0; index < scalars.length; index += 1) if (scalars[index] === 0) return normalized[index]!;
  let minimum = Infinity;
  for (let index = 0; index < normalized.length; index += 1) minimum = Math.min(minimum, normalized[index]!);
  return Number.isFinite(minimum) ? minimum : 0;
}
