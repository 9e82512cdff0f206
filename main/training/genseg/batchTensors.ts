/** Turns a TrainingBatch of plain arrays into tensors of the model's geometry, checking sizes on the way. */
import { tf, type Tensor4D } from '../tf';
import type { TrainingBatch } from '../trainingTypes';

export interface BatchTensors {
  imagesA: Tensor4D;
  imagesB: Tensor4D | null;
  labelledIndices: number[];
  /** Masks of every imagesA sample, [count, H, W, 1]; rows of unlabelled samples are ignored. */
  masks: Tensor4D;
  /** 1 for labelled samples, 0 otherwise, [count, 1, 1, 1]: selects samples without gather, whose gradient wasm lacks. */
  labelledWeights: Tensor4D;
}

export function createBatchTensors(batch: TrainingBatch, inputShape: [number, number, number]): BatchTensors {
  const [height, width, channels] = inputShape;
  const count = batch.labelled.length;
  const imageSize = height * width * channels;
  const maskSize = height * width;
  if (batch.imagesA.length !== count * imageSize) {
    throw new Error(`imagesA has ${batch.imagesA.length} values, expected ${count}×${height}×${width}×${channels}`);
  }
  if (batch.masksA.length !== count * maskSize) throw new Error(`masksA has ${batch.masksA.length} values, expected ${count * maskSize}`);
  if (batch.imagesB.length % imageSize !== 0) throw new Error('imagesB is not a whole number of images');
  const countB = batch.imagesB.length / imageSize;
  const labelledIndices = batch.labelled.flatMap((isLabelled, index) => (isLabelled ? [index] : []));
  return {
    imagesA: tf.tensor4d(batch.imagesA, [count, height, width, channels]),
    imagesB: countB === 0 ? null : tf.tensor4d(batch.imagesB, [countB, height, width, channels]),
    labelledIndices,
    masks: tf.tensor4d(batch.masksA, [count, height, width, 1]),
    labelledWeights: tf.tensor4d(batch.labelled.map((isLabelled) => (isLabelled ? 1 : 0)), [count, 1, 1, 1])
  };
}

export function disposeBatchTensors(tensors: BatchTensors): void {
  tensors.imagesA.dispose();
  tensors.imagesB?.dispose();
  tensors.masks.dispose();
  tensors.labelledWeights.dispose();
}
