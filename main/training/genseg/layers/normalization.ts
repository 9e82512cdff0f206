/**
 * The two normalisations of the model, written with moments (tf.layers' LayerNormalization is slow on wasm).
 * - Instance norm: per sample and channel over H×W, biased variance, eps 1e-5 on the variance, no affine, no running
 *   statistics (torch InstanceNorm2d defaults), used in the encoder and the skinny long skips.
 * - Layer norm as Ming-Yu Liu wrote it: per sample over C×H×W, *unbiased* std, eps 1e-5 added to the std, then a
 *   per-channel affine with γ ~ U(0, 1), β = 0. "Switching" layer norm keeps one affine set per mode
 *   (0 = translation, 1 = segmentation) and shares the statistics.
 */
import { tf, type Tensor4D, type Variable } from '../../tf';
import { fusedKernelNames, hasFusedKernel, type Activation } from '../../backend/fusedLayerKernels';
import type { VariableScope } from './variableRegistry';

export type { Activation } from '../../backend/fusedLayerKernels';

const epsilon = 1e-5;
/** The discriminator's leaky ReLU slope. */
export const leakySlope = 0.2;

/** Instance norm, then `activation`; one GenSegInstanceNormAct kernel where the backend has it. */
export function applyInstanceNorm(x: Tensor4D, activation: Activation = 'none'): Tensor4D {
  if (hasFusedKernel(fusedKernelNames.instanceNormAct)) {
    return tf.engine().runKernel(fusedKernelNames.instanceNormAct, { x }, { activation, alpha: leakySlope }) as Tensor4D;
  }
  const { mean, variance } = tf.moments(x, [1, 2], true);
  return activate(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, epsilon))) as Tensor4D, activation);
}

export function activate(x: Tensor4D, activation: Activation): Tensor4D {
  if (activation === 'relu') return tf.relu(x);
  if (activation === 'leakyRelu') return tf.leakyRelu(x, leakySlope);
  return x;
}

export interface AffineSet {
  gamma: Variable;
  beta: Variable;
}

export interface LayerNorm {
  /** One affine set per mode; a plain layer norm has one. */
  modes: AffineSet[];
}

export function createLayerNorm(scope: VariableScope, channels: number, modeCount: 1 | 2): LayerNorm {
  const modes: AffineSet[] = [];
  for (let mode = 0; mode < modeCount; mode++) {
    const modeScope = modeCount === 1 ? scope : scope.child(`mode${mode}`);
    modes.push({
      gamma: modeScope.add('gamma', scope.random.uniformArray(channels), [channels]),
      beta: modeScope.add('beta', new Float32Array(channels), [channels])
    });
  }
  return { modes };
}

/** Layer norm with mode `mode`'s affine set, then `activation`; one GenSegLayerNormAct kernel where available. */
export function applyLayerNorm(norm: LayerNorm, x: Tensor4D, mode: 0 | 1 = 0, activation: Activation = 'none'): Tensor4D {
  const affine = norm.modes[mode];
  if (!affine) throw new Error(`layer norm has no affine set for mode ${mode}`);
  if (hasFusedKernel(fusedKernelNames.layerNormAct)) {
    const inputs = { x, gamma: affine.gamma, beta: affine.beta };
    return tf.engine().runKernel(fusedKernelNames.layerNormAct, inputs, { activation, alpha: leakySlope }) as Tensor4D;
  }
  const count = x.shape[1] * x.shape[2] * x.shape[3];
  const mean = tf.mean(x, [1, 2, 3], true);
  const centred = tf.sub(x, mean);
  const unbiasedVariance = tf.div(tf.sum(tf.square(centred), [1, 2, 3], true), count - 1);
  const normalised = tf.div(centred, tf.add(tf.sqrt(unbiasedVariance), epsilon));
  return activate(tf.add(tf.mul(normalised, affine.gamma), affine.beta) as Tensor4D, activation);
}
