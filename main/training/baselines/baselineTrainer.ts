/** Training and prediction for the two baselines, with the same step API and checkpoints as GenSeg. */
import { clearDerivedFilters } from '../backend/derivedFilterCache';
import { readCheckpoint, writeCheckpoint, type CheckpointParts } from '../checkpoint/checkpoint';
import { createBatchTensors, disposeBatchTensors } from '../genseg/batchTensors';
import { readScalars } from '../genseg/genSegTrainer';
import { applyStepGradients, batchLabelledCount, diceSumPool, trainingContext, type ReplicaLink } from '../parallel/replicaLink';
import { sumTerms } from '../genseg/objectives';
import type { GenSegConfig } from '../genseg/presets';
import { AmsGrad } from '../optim/amsGrad';
import { tf, type Scalar, type Variable } from '../tf';
import type { Checkpoint, StepReport, Trainer, TrainingBatch } from '../trainingTypes';
import {
  computeBaselineTerms,
  createBaselineNetworks,
  hasBaselineWork,
  predictBaseline,
  type BaselineNetworks
} from './segmentationBaseline';

export interface BaselineTrainerOptions {
  config: GenSegConfig;
  /** true: AE + segmentation; false: segmentation only. */
  withReconstruction: boolean;
  seed?: number;
  /** λ_rec and λ_seg; the authors' baseline uses 1 and 1. */
  weights?: { reconstruction: number; segmentation: number };
}

export class BaselineTrainer implements Trainer {
  readonly kind: 'segmentation-only' | 'ae-segmentation';
  readonly networks: BaselineNetworks;
  readonly inputShape: [number, number, number];
  private step = 0;
  private readonly optimizer: AmsGrad;
  private readonly variables: Variable[];
  private readonly weights: { reconstruction: number; segmentation: number };
  /** Set when this trainer is one replica of a data-parallel step (parallel/ParallelTrainer.ts). */
  private replica: ReplicaLink | null = null;

  constructor(private readonly options: BaselineTrainerOptions) {
    const { config } = options;
    this.kind = options.withReconstruction ? 'ae-segmentation' : 'segmentation-only';
    this.networks = createBaselineNetworks(config, options.withReconstruction, options.seed ?? 1234);
    this.inputShape = [config.height, config.imageWidth, config.imageChannels];
    const { learningRateGenerator, learningRateDiscriminator: _unused, ...shared } = config.optimizer;
    this.optimizer = new AmsGrad({ ...shared, learningRate: learningRateGenerator });
    this.variables = this.networks.registry.entries.filter((e) => e.trainable).map((e) => e.variable);
    this.weights = options.weights ?? { reconstruction: 1, segmentation: 1 };
  }

  get stepCount(): number {
    return this.step;
  }

  /** Makes this trainer one replica of a data-parallel step: its batches are shards, its gradients are summed. */
  attachReplica(link: ReplicaLink): void {
    this.replica = link;
  }

  async trainStep(batch: TrainingBatch): Promise<StepReport> {
    const tensors = createBatchTensors(batch, this.inputShape);
    const inputs = {
      imagesA: tensors.imagesA,
      imagesB: tensors.imagesB,
      labelledCount: batchLabelledCount(this.replica, tensors.labelledIndices.length),
      masks: tensors.masks,
      labelledWeights: tensors.labelledWeights,
      pool: diceSumPool(this.replica)
    };
    const reported: Record<string, Scalar> = {};
    const context = trainingContext(this.replica);
    if (hasBaselineWork(this.networks, inputs.labelledCount, this.weights)) {
      const { value, grads } = tf.variableGrads(() => {
        const terms = computeBaselineTerms(this.networks, inputs, this.weights, context);
        for (const [name, term] of Object.entries(terms)) reported[name] = tf.keep(term);
        return sumTerms(terms);
      }, this.variables);
      applyStepGradients(this.optimizer, grads, this.variables, this.replica);
      reported.total = value;
      tf.dispose(grads);
    }
    disposeBatchTensors(tensors);
    this.step += 1;
    return { step: this.step, losses: await readScalars(reported) };
  }

  async predict(images: Float32Array): Promise<Float32Array> {
    const [height, width, channels] = this.inputShape;
    const count = images.length / (height * width * channels);
    const probabilities = tf.tidy(() => predictBaseline(this.networks, tf.tensor4d(images, [count, height, width, channels])));
    const values = (await probabilities.data()) as Float32Array;
    probabilities.dispose();
    return values;
  }

  async saveCheckpoint(): Promise<Checkpoint> {
    return writeCheckpoint(this.checkpointParts());
  }

  loadCheckpoint(checkpoint: Checkpoint): void {
    this.step = readCheckpoint(this.checkpointParts(), checkpoint);
  }

  countParameters(): Record<string, number> {
    const scopes = ['encoder', 'decoderSegmentation', ...(this.networks.decoderReconstruction ? ['decoderReconstruction'] : [])];
    return Object.fromEntries(scopes.map((scope) => [scope, this.networks.registry.countParameters(scope)]));
  }

  dispose(): void {
    clearDerivedFilters();
    this.optimizer.dispose();
    this.networks.registry.dispose();
  }

  private checkpointParts(): CheckpointParts {
    return {
      model: this.kind,
      config: { model: this.options.config, weights: this.weights },
      step: this.step,
      random: this.networks.random,
      registry: this.networks.registry,
      optimizers: { model: this.optimizer }
    };
  }
}
