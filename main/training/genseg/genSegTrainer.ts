/**
 * Training and prediction for GenSeg. One step follows the authors' order (docs/genseg.md#losses-and-optimisation): the
 * full generator forward; one discriminator step (AMSGrad) on detached fakes; the generator loss evaluated with the
 * *updated* discriminators; one generator step. Both happen inside the generator's gradient tape so the forward runs
 * once; the discriminator step's own graph is cut from the generator's, so it contributes nothing to the generator's
 * gradients.
 */
import { tf, type Scalar, type Tensor4D, type Variable } from '../tf';
import { readCheckpoint, writeCheckpoint, type CheckpointParts } from '../checkpoint/checkpoint';
import { clearDerivedFilters } from '../backend/derivedFilterCache';
import { AmsGrad } from '../optim/amsGrad';
import type { Checkpoint, StepReport, Trainer, TrainingBatch } from '../trainingTypes';
import type { StepPlan } from '../recipe/trainingRecipe';
import { createBatchTensors, disposeBatchTensors } from './batchTensors';
import { runDecoder } from './decoder';
import { runEncoder } from './encoder';
import { runGenerator } from './forward';
import { computeSoftDiceLoss } from './losses';
import { applyStepGradients, batchLabelledCount, diceSumPool, trainingContext, type ReplicaLink } from '../parallel/replicaLink';
import { computeDiscriminatorTerms, computeGeneratorTerms, sumTerms } from './objectives';
import { createGenSegNetworks, discriminatorScopes, generatorScopes, type GenSegNetworks } from './networks';
import type { GenSegConfig } from './presets';

export interface GenSegTrainerOptions {
  config: GenSegConfig;
  /** Seeds initialisation and the sampled unique codes. */
  seed?: number;
}

export function createGenSegTrainer(options: GenSegTrainerOptions): GenSegTrainer {
  return new GenSegTrainer(options.config, options.seed ?? 1234);
}

export class GenSegTrainer implements Trainer {
  readonly kind = 'genseg' as const;
  readonly networks: GenSegNetworks;
  readonly inputShape: [number, number, number];
  private step = 0;
  private readonly generatorOptimizer: AmsGrad;
  private readonly discriminatorOptimizer: AmsGrad;
  /**
   * Segmentation steps keep their own moments: a joint step's gradients are far larger, and AMSGrad's running maximum
   * of them would otherwise shrink every later segmentation step to almost nothing.
   */
  private readonly segmentationOptimizer: AmsGrad;
  private readonly generatorVariables: Variable[];
  private readonly discriminatorVariables: Variable[];
  /** Set when this trainer is one replica of a data-parallel step (parallel/ParallelTrainer.ts). */
  private replica: ReplicaLink | null = null;

  constructor(
    readonly config: GenSegConfig,
    seed: number
  ) {
    this.networks = createGenSegNetworks(config, seed);
    this.inputShape = [config.height, config.imageWidth, config.imageChannels];
    const { learningRateGenerator, learningRateDiscriminator, ...shared } = config.optimizer;
    this.generatorOptimizer = new AmsGrad({ ...shared, learningRate: learningRateGenerator });
    this.discriminatorOptimizer = new AmsGrad({ ...shared, learningRate: learningRateDiscriminator });
    this.segmentationOptimizer = new AmsGrad({ ...shared, learningRate: learningRateGenerator });
    this.generatorVariables = this.networks.registry.trainableIn(generatorScopes);
    this.discriminatorVariables = this.networks.registry.trainableIn(discriminatorScopes);
  }

  get stepCount(): number {
    return this.step;
  }

  /** Makes this trainer one replica of a data-parallel step: its batches are shards, its gradients are summed. */
  attachReplica(link: ReplicaLink): void {
    this.replica = link;
  }

  /**
   * One step. Without a plan, or with a joint plan, the full GenSeg step (a joint plan may set λ_seg for this step);
   * with a segmentation plan, only the shared encoder and the residual decoder in mode 1 learn, from the soft Dice of
   * the labelled samples (absence images are not needed and are ignored).
   */
  async trainStep(batch: TrainingBatch, plan?: StepPlan): Promise<StepReport> {
    if (plan?.kind === 'segmentation') return this.trainSegmentationStep(batch);
    const tensors = createBatchTensors(batch, this.inputShape);
    if (!tensors.imagesB || tensors.imagesB.shape[0] !== tensors.imagesA.shape[0]) {
      disposeBatchTensors(tensors);
      throw new Error('GenSeg needs as many absence images (imagesB) as presence images (imagesA)');
    }
    const imagesB = tensors.imagesB;
    const reported: Record<string, Scalar> = {};
    const context = trainingContext(this.replica);
    const { value, grads } = tf.variableGrads(() => {
      const outputs = runGenerator(this.networks, tensors.imagesA, imagesB, context);
      this.stepDiscriminators(tensors.imagesA, imagesB, outputs, reported);
      const labels = {
        count: batchLabelledCount(this.replica, tensors.labelledIndices.length),
        masks: tensors.masks,
        weights: tensors.labelledWeights,
        pool: diceSumPool(this.replica)
      };
      const weights = plan ? { ...this.config.losses, segmentation: plan.segmentationWeight } : this.config.losses;
      const terms = computeGeneratorTerms(this.networks, tensors.imagesA, imagesB, outputs, labels, context, weights);
      for (const [name, term] of Object.entries(terms)) reported[name] = tf.keep(term);
      return sumTerms(terms);
    }, this.generatorVariables);
    applyStepGradients(this.generatorOptimizer, grads, this.generatorVariables, this.replica);
    reported.generator = value;
    disposeBatchTensors(tensors);
    tf.dispose(grads);
    this.step += 1;
    return { step: this.step, losses: await readScalars(reported) };
  }

  /** The segmentation path: the shared encoder, then the residual decoder in mode 1 (probabilities). */
  private segment(images: Tensor4D, context: { training: boolean }): Tensor4D {
    const { code, skips } = runEncoder(this.networks.encoder, images, context);
    return runDecoder(this.networks.decoderResidual, code, [...skips].reverse(), 1, context);
  }

  private async trainSegmentationStep(batch: TrainingBatch): Promise<StepReport> {
    const tensors = createBatchTensors(batch, this.inputShape);
    const reported: Record<string, Scalar> = {};
    if (batchLabelledCount(this.replica, tensors.labelledIndices.length) > 0) {
      const context = trainingContext(this.replica);
      const pool = diceSumPool(this.replica);
      const { value, grads } = tf.variableGrads(
        () => computeSoftDiceLoss(this.segment(tensors.imagesA, context), tensors.masks, tensors.labelledWeights, pool),
        this.generatorVariables
      );
      applyStepGradients(this.segmentationOptimizer, grads, this.generatorVariables, this.replica);
      reported.segmentationOnly = value;
      tf.dispose(grads);
    }
    disposeBatchTensors(tensors);
    this.step += 1;
    return { step: this.step, losses: await readScalars(reported) };
  }

  async predict(images: Float32Array): Promise<Float32Array> {
    const [height, width, channels] = this.inputShape;
    const count = images.length / (height * width * channels);
    const probabilities = tf.tidy(() =>
      this.segment(tf.tensor4d(images, [count, height, width, channels]), { training: false })
    );
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
    const scopes = [...generatorScopes, ...discriminatorScopes];
    return Object.fromEntries(scopes.map((scope) => [scope, this.networks.registry.countParameters(scope)]));
  }

  dispose(): void {
    clearDerivedFilters();
    this.generatorOptimizer.dispose();
    this.discriminatorOptimizer.dispose();
    this.segmentationOptimizer.dispose();
    this.networks.registry.dispose();
  }

  private stepDiscriminators(
    imagesA: Tensor4D,
    imagesB: Tensor4D,
    outputs: ReturnType<typeof runGenerator>,
    reported: Record<string, Scalar>
  ): void {
    const context = trainingContext(this.replica);
    const { value, grads } = tf.variableGrads(() => {
      const terms = computeDiscriminatorTerms(this.networks, imagesA, imagesB, outputs, context);
      for (const [name, term] of Object.entries(terms)) reported[name] = tf.keep(term);
      return sumTerms(terms);
    }, this.discriminatorVariables);
    applyStepGradients(this.discriminatorOptimizer, grads, this.discriminatorVariables, this.replica);
    reported.discriminator = tf.keep(value);
    tf.dispose(grads);
  }

  private checkpointParts(): CheckpointParts {
    return {
      model: this.kind,
      config: this.config,
      step: this.step,
      random: this.networks.random,
      registry: this.networks.registry,
      optimizers: {
        generator: this.generatorOptimizer,
        discriminator: this.discriminatorOptimizer,
        segmentation: this.segmentationOptimizer
      }
    };
  }
}

export async function readScalars(scalars: Record<string, Scalar>): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [name, scalar] of Object.entries(scalars)) {
    out[name] = (await scalar.data())[0]!;
    scalar.dispose();
  }
  return out;
}
