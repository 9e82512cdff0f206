/**
 * Synthetic presence/absence data for tests and speed benches: a noisy textured background; presence images add a
 * bright disc whose pixels form the mask. Deterministic for a given seed.
 */
import { Random } from '../../common';
import type { TrainingBatch } from '../trainingTypes';

export interface SyntheticBatchOptions {
  count: number;
  height: number;
  width: number;
  channels: number;
  /** Which samples carry their mask; default all. */
  labelled?: boolean[];
  seed: number;
}

export function createSyntheticBatch(options: SyntheticBatchOptions): TrainingBatch {
  const { count, height, width, channels } = options;
  const random = new Random(options.seed);
  const imageSize = height * width * channels;
  const imagesA = new Float32Array(count * imageSize);
  const imagesB = new Float32Array(count * imageSize);
  const masksA = new Float32Array(count * height * width);
  for (let n = 0; n < count; n++) {
    fillBackground(imagesA.subarray(n * imageSize, (n + 1) * imageSize), random, options);
    fillBackground(imagesB.subarray(n * imageSize, (n + 1) * imageSize), random, options);
    const radius = Math.max(2, Math.min(height, width) * (0.12 + 0.1 * random.next()));
    const centreY = radius + random.next() * (height - 2 * radius);
    const centreX = radius + random.next() * (width - 2 * radius);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if ((y - centreY) ** 2 + (x - centreX) ** 2 > radius ** 2) continue;
        masksA[n * height * width + y * width + x] = 1;
        for (let c = 0; c < channels; c++) imagesA[n * imageSize + (y * width + x) * channels + c] = 0.9;
      }
    }
  }
  return { imagesA, imagesB, masksA, labelled: options.labelled ?? new Array<boolean>(count).fill(true) };
}

function fillBackground(target: Float32Array, random: Random, options: SyntheticBatchOptions): void {
  const { height, width, channels } = options;
  const phase = random.next() * Math.PI * 2;
  const noise = random.normalArray(target.length, 0, 0.05);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const texture = -0.4 + 0.2 * Math.sin((x + y) / 3 + phase);
      for (let c = 0; c < channels; c++) {
        const index = (y * width + x) * channels + c;
        target[index] = texture + noise[index]!;
      }
    }
  }
}
