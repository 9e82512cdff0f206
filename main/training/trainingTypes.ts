/**
 * The contract between the training library and its callers (the training process, benches, tests). Plain arrays in,
 * plain numbers out, so callers need no TensorFlow.js of their own.
 */
import type { StepPlan } from './recipe/trainingRecipe';

/** One training step's data, NHWC float32 with the model's height, width and channels. */
export interface TrainingBatch {
  /** Presence (tumour-visible) images, count × H × W × C. */
  imagesA: Float32Array;
  /** Absence (healthy) images; GenSeg needs as many as imagesA, the baselines accept zero. */
  imagesB: Float32Array;
  /** Masks for imagesA, count × H × W × 1 in {0, 1}; ignored where `labelled` is false. */
  masksA: Float32Array;
  /** Per imagesA sample: whether its mask is a real annotation. */
  labelled: boolean[];
}

export interface StepReport {
  /** Steps completed, this one included. */
  step: number;
  /** Every loss term of the step, by name (already weighted as they enter the total). */
  losses: Record<string, number>;
}

/** A checkpoint the caller stores where it likes: a JSON-able manifest and one binary blob. */
export interface Checkpoint {
  manifest: CheckpointManifest;
  data: ArrayBuffer;
}

export interface CheckpointManifest {
  format: 'genseg-workstation-checkpoint';
  version: 1;
  model: string;
  config: unknown;
  step: number;
  randomState: [number, number, number, number];
  tensors: { name: string; shape: number[]; offset: number; length: number }[];
  optimizerSteps: Record<string, number>;
}

import type { TrainingMethod } from '../contract';

export type { TrainingMethod };

export interface Trainer {
  readonly kind: TrainingMethod;
  /** Image geometry the trainer expects: [height, width, channels]. */
  readonly inputShape: [number, number, number];
  readonly stepCount: number;
  /** One step; GenSeg follows the plan (see recipe/trainingRecipe.ts), the baselines have only one kind of step. */
  trainStep(batch: TrainingBatch, plan?: StepPlan): Promise<StepReport>;
  /** Segmentation probabilities (count × H × W × 1) for count × H × W × C images. */
  predict(images: Float32Array): Promise<Float32Array>;
  /** Model copies that predict at once (data-parallel replicas, each on part of the images); 1 when absent. */
  readonly parallelism?: number;
  saveCheckpoint(): Promise<Checkpoint>;
  /** Throws (or rejects) for a checkpoint of another model or config. */
  loadCheckpoint(checkpoint: Checkpoint): void | Promise<void>;
  /** Number of trainable parameters per network. */
  countParameters(): Record<string, number>;
  dispose(): void;
}
