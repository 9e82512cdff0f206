import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activateBackend } from '../backend/selectBackend';
import { createTrainer, type TrainerOptions } from '../createTrainer';
import type { StepPlan } from '../recipe/trainingRecipe';
import { createSyntheticBatch } from '../testing/syntheticBatch';
import type { Trainer, TrainingBatch } from '../trainingTypes';
import { createParallelTrainer, type ParallelTrainer } from './ParallelTrainer';
import { planCpuTraining } from './planCpuTraining';
import { splitBatch } from './splitBatch';

const geometry = { height: 32, width: 32, channels: 1 };
const genseg: TrainerOptions = { model: 'genseg', preset: 'tiny', family: 'mnist48', ...geometry, seed: 3 };

/** Uneven on purpose: 5 rows over 2 replicas is 2 + 3, and the labelled rows sit in one shard only. */
function batchOf(seed: number, labelled = [true, false, false, false, true]): TrainingBatch {
  return createSyntheticBatch({ count: labelled.length, ...geometry, labelled, seed });
}

function expectClose(actual: Record<string, number>, expected: Record<string, number>, tolerance: number): void {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [name, value] of Object.entries(expected)) {
    const error = Math.abs(actual[name]! - value) / Math.max(1e-6, Math.abs(value));
    expect(error, `${name}: ${actual[name]} against ${value}`).toBeLessThan(tolerance);
  }
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/** Steps a single trainer and a parallel one through the same batches and plans; their losses must agree. */
async function stepBoth(alone: Trainer, parallel: Trainer, steps: { batch: TrainingBatch; plan?: StepPlan }[]): Promise<void> {
  for (const { batch, plan } of steps) {
    const expected = await alone.trainStep(batch, plan);
    const actual = await parallel.trainStep(batch, plan);
    expect(actual.step).toBe(expected.step);
    // Sums over part batches and over replicas are added in another order: float32 rounding, which AMSGrad then
    // amplifies where a gradient is near zero (its first updates are about lr·sign(g)): measured up to 1.1e-4 after
    // four steps. A missing share or an unpooled Dice is off by far more (1e-2 and up).
    expectClose(actual.losses, expected.losses, 5e-4);
  }
}

/** A fresh pair, one trainer alone and two replicas with `threadsPerReplica` threads each, through `batches`. */
async function compareWithAlone(options: TrainerOptions, threadsPerReplica: number, batches: TrainingBatch[]): Promise<void> {
  const alone = createTrainer(options);
  const replicas = await createParallelTrainer(options, { replicas: 2, threadsPerReplica, verifyEvery: 1 });
  try {
    await stepBoth(alone, replicas, batches.map((batch) => ({ batch })));
  } finally {
    alone.dispose();
    replicas.dispose();
  }
}

describe('data-parallel training (replicas in worker threads)', () => {
  let parallel: ParallelTrainer;

  beforeAll(async () => {
    await activateBackend('wasm', { wasmThreads: 1 });
    parallel = await createParallelTrainer(genseg, { replicas: 2, threadsPerReplica: 1, verifyEvery: 1 });
  }, 60_000);

  afterAll(() => parallel?.dispose());

  it('takes the same GenSeg steps as one trainer on the whole batch, joint and segmentation, and predicts the same', async () => {
    const alone = createTrainer(genseg);
    try {
      await stepBoth(alone, parallel, [
        { batch: batchOf(1) },
        { batch: batchOf(2, [true, true, false, true, true]), plan: { kind: 'segmentation' } },
        // No labelled row in the batch: no segmentation term in any replica.
        { batch: batchOf(3, [false, false, false, false, false]), plan: { kind: 'joint', segmentationWeight: 1 } },
        { batch: batchOf(4), plan: { kind: 'joint', segmentationWeight: 1 } }
      ]);
      const images = batchOf(5).imagesA;
      expect(maxDifference(await parallel.predict(images), await alone.predict(images))).toBeLessThan(1e-5);
      expect(parallel.countParameters()).toEqual(alone.countParameters());
    } finally {
      alone.dispose();
    }
  }, 120_000);

  it('saves a checkpoint one trainer resumes from, and resumes from one trainer’s checkpoint', async () => {
    const alone = createTrainer(genseg);
    try {
      await alone.loadCheckpoint(await parallel.saveCheckpoint());
      expect(alone.stepCount).toBe(parallel.stepCount);
      await stepBoth(alone, parallel, [{ batch: batchOf(6) }]);
      await alone.trainStep(batchOf(7));
      await parallel.loadCheckpoint(await alone.saveCheckpoint());
      expect(parallel.stepCount).toBe(alone.stepCount);
      await stepBoth(alone, parallel, [{ batch: batchOf(8) }]);
    } finally {
      alone.dispose();
    }
  }, 120_000);

  it('predicts with every replica, each on part of the images, as one trainer with the same weights does', async () => {
    const alone = createTrainer(genseg);
    try {
      await alone.loadCheckpoint(await parallel.saveCheckpoint());
      expect(parallel.parallelism).toBe(2);
      // 5 images: 2 + 3; 1 image: the first replica alone. An image's forward pass does not depend on the other
      // images of its batch (per-image norms, XNNPACK's same accumulation order at any batch size): bit-identical.
      for (const count of [5, 1]) {
        const images = batchOf(9, new Array<boolean>(count).fill(false)).imagesA;
        const predicted = await parallel.predict(images);
        expect(predicted.length).toBe(count * geometry.height * geometry.width);
        expect(maxDifference(predicted, await alone.predict(images))).toBe(0);
      }
      await expect(parallel.predict(new Float32Array(7))).rejects.toThrow(/not whole 32×32×1 images/);
    } finally {
      alone.dispose();
    }
  }, 60_000);

  it('trains the autoencoding baseline as one trainer does', async () => {
    await compareWithAlone({ ...genseg, model: 'ae-segmentation' }, 1, [batchOf(9), batchOf(10)]);
  }, 120_000);

  it('runs wasm’s threaded build inside each replica when a replica has several threads', async () => {
    await compareWithAlone({ ...genseg, model: 'segmentation-only' }, 2, [batchOf(11)]);
  }, 120_000);

  it('refuses a checkpoint of another model in the replicas’ own words, and is unusable afterwards', async () => {
    const other = await createParallelTrainer({ ...genseg, seed: 4 }, { replicas: 2, threadsPerReplica: 1 });
    const wrong = createTrainer({ ...genseg, model: 'segmentation-only' });
    try {
      await expect(other.loadCheckpoint(await wrong.saveCheckpoint())).rejects.toThrow(/checkpoint is for segmentation-only/);
      await expect(other.trainStep(batchOf(1))).rejects.toThrow(/checkpoint is for segmentation-only/);
    } finally {
      wrong.dispose();
      other.dispose();
    }
  }, 60_000);

  it('fails the step with a clear error, without hanging, when a worker dies in the middle of it', async () => {
    const doomed = await createParallelTrainer({ ...genseg, seed: 5 }, { replicas: 2, threadsPerReplica: 1 });
    try {
      const step = doomed.trainStep(batchOf(1));
      // Kill one replica once the step is sent: the other reaches the gradient exchange and must be woken, or the
      // step never settles (the test would time out).
      void (doomed as unknown as { workers: { worker: { terminate(): Promise<number> } }[] }).workers[1]!.worker.terminate();
      await expect(step).rejects.toThrow(/training worker stopped/);
      await expect(doomed.trainStep(batchOf(2))).rejects.toThrow(/training worker stopped/);
    } finally {
      doomed.dispose();
    }
  }, 60_000);

  it('splits batches into contiguous shards with their share, and plans replicas before threads', () => {
    const shards = splitBatch(batchOf(1), 2, [32, 32, 1]);
    expect(shards.map((s) => s.batch.labelled)).toEqual([[true, false], [false, false, true]]);
    expect(shards.map((s) => s.shard)).toEqual([
      { share: 0.4, labelledCount: 2, rows: { offset: 0, total: 5 } },
      { share: 0.6, labelledCount: 2, rows: { offset: 2, total: 5 } }
    ]);
    expect(() => splitBatch(batchOf(1, [true]), 2, [32, 32, 1])).toThrow(/cannot be split over 2/);
    expect(planCpuTraining(1, 8, {})).toEqual({ replicas: 1, threadsPerReplica: 1, threads: 1 });
    expect(planCpuTraining(2, 8, {})).toEqual({ replicas: 2, threadsPerReplica: 1, threads: 2 });
    expect(planCpuTraining(7, 8, {})).toEqual({ replicas: 4, threadsPerReplica: 1, threads: 4 });
    expect(planCpuTraining(8, 8, {})).toEqual({ replicas: 4, threadsPerReplica: 2, threads: 8 });
    expect(planCpuTraining(7, 4, {})).toEqual({ replicas: 2, threadsPerReplica: 3, threads: 6 });
    expect(planCpuTraining(4, 8, { GENSEG_WASM_REPLICAS: '1' })).toEqual({ replicas: 1, threadsPerReplica: 4, threads: 4 });
    expect(planCpuTraining(4, Number.NaN, {})).toEqual({ replicas: 1, threadsPerReplica: 4, threads: 4 });
  });
});
