/**
 * Splits a training batch into contiguous shards, one per data-parallel replica, each with its share of the batch and
 * where its rows sit (parallel/replicaLink.ts).
 */
import type { TrainingBatch } from '../trainingTypes';
import type { ReplicaShard } from './replicaLink';

export interface BatchShard {
  batch: TrainingBatch;
  shard: ReplicaShard;
}

export function splitBatch(batch: TrainingBatch, replicas: number, inputShape: [number, number, number]): BatchShard[] {
  const [height, width, channels] = inputShape;
  const imageSize = height * width * channels;
  const maskSize = height * width;
  const rows = batch.labelled.length;
  const rowsB = batch.imagesB.length / imageSize;
  if (batch.imagesA.length !== rows * imageSize || batch.masksA.length !== rows * maskSize || !Number.isInteger(rowsB)) {
    throw new Error(`the batch does not hold ${rows} images of ${height}×${width}×${channels}`);
  }
  if (rows < replicas) throw new Error(`a batch of ${rows} images cannot be split over ${replicas} training workers`);
  if (rowsB !== 0 && rowsB !== rows) {
    throw new Error(`a batch of ${rows} presence and ${rowsB} absence images cannot be split evenly`);
  }
  const labelledCount = batch.labelled.filter(Boolean).length;
  return Array.from({ length: replicas }, (_, replica) => {
    const start = Math.floor((replica * rows) / replicas);
    const end = Math.floor(((replica + 1) * rows) / replicas);
    return {
      batch: {
        imagesA: batch.imagesA.slice(start * imageSize, end * imageSize),
        imagesB: rowsB === 0 ? new Float32Array(0) : batch.imagesB.slice(start * imageSize, end * imageSize),
        masksA: batch.masksA.slice(start * maskSize, end * maskSize),
        labelled: batch.labelled.slice(start, end)
      },
      shard: { share: (end - start) / rows, labelledCount, rows: { offset: start, total: rows } }
    };
  });
}
