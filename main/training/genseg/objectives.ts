/**
 * GenSeg's objectives built from the forward outputs: the discriminators' hinge loss on detached fakes, and the
 * generator's terms with the paper's weights (docs/genseg.md#losses-and-optimisation). Terms are returned separately so
 * they can be reported, and tested for where their gradients go.
 */
import { tf, type Scalar, type Tensor4D } from '../tf';
import { runDiscriminator } from './discriminator';
import type { GeneratorOutputs } from './forward';
import type { ForwardContext } from './layers/forwardContext';
import { detach } from './layers/spectralNorm';
import {
  computeHingeDiscriminatorLoss,
  computeHingeGeneratorLoss,
  computeMeanAbsoluteError,
  computeSoftDiceLoss,
  type DiceSumPool
} from './losses';
import type { GenSegNetworks } from './networks';
import type { LossWeights } from './presets';

export interface LabelledMasks {
  /** Number of labelled samples in the batch; the segmentation term is absent when it is 0. */
  count: number;
  /** Masks of every sample, [count, H, W, 1]. */
  masks: Tensor4D;
  /** 1 for labelled samples, 0 otherwise, [count, 1, 1, 1]. */
  weights: Tensor4D;
  /** Pools the Dice over data-parallel replicas (absent: the batch is whole). */
  pool?: DiceSumPool;
}

/** Σ_d hinge(D_d(real), D_d(fake)), with fakes x_BA for D_A and x_AB for D_B cut from the generator's graph. */
export function computeDiscriminatorTerms(
  networks: GenSegNetworks,
  imagesA: Tensor4D,
  imagesB: Tensor4D,
  outputs: GeneratorOutputs,
  context: ForwardContext
): Record<string, Scalar> {
  const fakeBA = detach(outputs.translatedBA);
  const fakeAB = detach(outputs.translatedAB);
  // Real before fake and A before B: the authors' call order, which fixes the power-iteration sequence.
  const realA = runDiscriminator(networks.discriminatorA, imagesA, context);
  const discriminatorA = computeHingeDiscriminatorLoss(
    realA,
    runDiscriminator(networks.discriminatorA, fakeBA, context)
  );
  const realB = runDiscriminator(networks.discriminatorB, imagesB, context);
  const discriminatorB = computeHingeDiscriminatorLoss(
    realB,
    runDiscriminator(networks.discriminatorB, fakeAB, context)
  );
  return { discriminatorA, discriminatorB };
}

export function computeGeneratorTerms(
  networks: GenSegNetworks,
  imagesA: Tensor4D,
  imagesB: Tensor4D,
  outputs: GeneratorOutputs,
  labels: LabelledMasks,
  context: ForwardContext,
  weights: LossWeights = networks.config.losses
): Record<string, Scalar> {
  const o = outputs;
  const terms: Record<string, Scalar> = {};
  const mae = computeMeanAbsoluteError;
  if (weights.adversarial !== 0) {
    const towardB = computeHingeGeneratorLoss(runDiscriminator(networks.discriminatorB, o.translatedAB, context));
    const towardA = computeHingeGeneratorLoss(runDiscriminator(networks.discriminatorA, o.translatedBA, context));
    terms.adversarial = tf.mul(tf.add(towardB, towardA), weights.adversarial);
  }
  const identity = tf.add(mae(o.reconstructedAA, imagesA), mae(o.reconstructedBB, imagesB));
  terms.imageIdentity = tf.mul(identity, weights.imageIdentity);
  terms.cycle = tf.mul(mae(o.cycleBAB, imagesB), weights.cycle);
  const latent = tf.addN([
    mae(o.recodedBA, o.codeBA),
    mae(o.recodedCommonAB, o.commonA),
    mae(o.recodedAA, o.codeA),
    mae(o.recodedCommonBB, o.commonB)
  ]);
  terms.latentIdentity = tf.mul(latent, weights.latentIdentity);
  if (labels.count > 0 && weights.segmentation !== 0) {
    const dice = computeSoftDiceLoss(o.segmentation, labels.masks, labels.weights, labels.pool);
    terms.segmentation = tf.mul(dice, weights.segmentation);
  }
  return terms;
}

export function sumTerms(terms: Record<string, Scalar>): Scalar {
  return tf.addN(Object.values(terms));
}
