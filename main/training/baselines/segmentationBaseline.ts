/**
 * The paper's baselines (docs/genseg.md#baselines), from the authors' ae_segmentation model with ae_004_sc settings:
 * the same encoder as GenSeg (no spectral norm in these configs); a segmentation decoder with skinny-cat long skips,
 * short residual skips, plain layer norm and a sigmoid head, trained with Dice; and, for the AE baseline, a
 * reconstruction decoder with short skips and no long skips, trained with L1 on the presence and absence images
 * together. λ_rec = λ_seg = 1 with one optimiser. "Segmentation only" is the same model without reconstruction.
 */
import { createDecoder, runDecoder, type Decoder } from '../genseg/decoder';
import { createEncoder, runEncoder, type Encoder } from '../genseg/encoder';
import type { ForwardContext } from '../genseg/layers/forwardContext';
import { VariableRegistry } from '../genseg/layers/variableRegistry';
import { computeMeanAbsoluteError, computeSoftDiceLoss, type DiceSumPool } from '../genseg/losses';
import type { GenSegConfig } from '../genseg/presets';
import { Random } from '../../common';
import { tf, type Scalar, type Tensor4D } from '../tf';

export interface BaselineNetworks {
  registry: VariableRegistry;
  random: Random;
  encoder: Encoder;
  decoderSegmentation: Decoder;
  /** Present in the AE baseline only. */
  decoderReconstruction: Decoder | null;
}

export function createBaselineNetworks(config: GenSegConfig, withReconstruction: boolean, seed: number): BaselineNetworks {
  const random = new Random(seed);
  const registry = new VariableRegistry(random);
  const encoder = createEncoder(registry.scope('encoder'), {
    inChannels: config.imageChannels,
    channels: config.encoderChannels,
    spectralNorm: false
  });
  const decoderBase = {
    inChannels: config.encoderChannels[config.encoderChannels.length - 1]!,
    channels: config.decoderChannels,
    kernelSize: 3,
    shortSkips: true,
    modeCount: 1 as const,
    outChannels: config.imageChannels,
    spectralNorm: false
  };
  const decoderSegmentation = createDecoder(registry.scope('decoderSegmentation'), { ...decoderBase, longSkips: true, classifier: true });
  const decoderReconstruction = withReconstruction
    ? createDecoder(registry.scope('decoderReconstruction'), { ...decoderBase, longSkips: false, classifier: false })
    : null;
  return { registry, random, encoder, decoderSegmentation, decoderReconstruction };
}

export interface BaselineInputs {
  imagesA: Tensor4D;
  imagesB: Tensor4D | null;
  labelledCount: number;
  masks: Tensor4D;
  labelledWeights: Tensor4D;
  /** Pools the Dice over data-parallel replicas (absent: the batch is whole). */
  pool?: DiceSumPool;
}

/** Whether a batch with `labelledCount` labelled samples gives the model anything to learn from. */
export function hasBaselineWork(
  networks: BaselineNetworks,
  labelledCount: number,
  weights: { reconstruction: number; segmentation: number }
): boolean {
  return (networks.decoderReconstruction !== null && weights.reconstruction !== 0) || (labelledCount > 0 && weights.segmentation !== 0);
}

/** Weighted loss terms; empty when the batch gives the model nothing to learn from. */
export function computeBaselineTerms(
  networks: BaselineNetworks,
  inputs: BaselineInputs,
  weights: { reconstruction: number; segmentation: number },
  context: ForwardContext
): Record<string, Scalar> {
  const terms: Record<string, Scalar> = {};
  const useReconstruction = networks.decoderReconstruction !== null && weights.reconstruction !== 0;
  const useSegmentation = inputs.labelledCount > 0 && weights.segmentation !== 0;
  if (!useReconstruction && !useSegmentation) return terms;
  const images = useReconstruction && inputs.imagesB ? tf.concat([inputs.imagesA, inputs.imagesB], 0) : inputs.imagesA;
  const { code, skips } = runEncoder(networks.encoder, images, context);
  const reversed = [...skips].reverse();
  if (useReconstruction) {
    const reconstructed = runDecoder(networks.decoderReconstruction!, code, reversed, 0, context);
    terms.reconstruction = tf.mul(computeMeanAbsoluteError(reconstructed, images), weights.reconstruction);
  }
  if (useSegmentation) {
    const countA = inputs.imagesA.shape[0];
    const takeA = (t: Tensor4D): Tensor4D => (t.shape[0] === countA ? t : tf.slice(t, [0, 0, 0, 0], [countA, -1, -1, -1]));
    const probabilities = runDecoder(networks.decoderSegmentation, takeA(code), reversed.map(takeA), 0, context);
    const dice = computeSoftDiceLoss(probabilities, inputs.masks, inputs.labelledWeights, inputs.pool);
    terms.segmentation = tf.mul(dice, weights.segmentation);
  }
  return terms;
}

export function predictBaseline(networks: BaselineNetworks, images: Tensor4D): Tensor4D {
  const context = { training: false };
  const { code, skips } = runEncoder(networks.encoder, images, context);
  return runDecoder(networks.decoderSegmentation, code, [...skips].reverse(), 0, context);
}
