/**
 * Spectral normalisation as torch.nn.utils.spectral_norm does it: W / sigma, with sigma = u^T W v estimated by one
 * power iteration per forward call in training (u, v persist between calls and are saved in checkpoints), and the
 * stored u, v used unchanged at prediction. The iteration itself carries no gradient; sigma does, through W.
 */
import { tf, type Tensor, type Tensor2D, type Tensor4D, type Variable } from '../../tf';
import type { ForwardContext } from './forwardContext';
import type { VariableScope } from './variableRegistry';

export interface SpectralState {
  /** Left singular vector estimate, [outChannels, 1]. */
  u: Variable;
  /** Right singular vector estimate, [kernel*kernel*inChannels, 1]. */
  v: Variable;
}

const normEpsilon = 1e-12;

export function createSpectralState(scope: VariableScope, rows: number, columns: number): SpectralState {
  const u = normaliseArray(scope.random.normalArray(rows));
  const v = normaliseArray(scope.random.normalArray(columns));
  return { u: scope.add('spectralU', u, [rows, 1], false), v: scope.add('spectralV', v, [columns, 1], false) };
}

/** The normalised kernel ([kh, kw, in, out]) for this call. */
export function normaliseSpectrally(weight: Variable, state: SpectralState, context: ForwardContext): Tensor4D {
  return tf.div(weight, estimateSpectralNorm(weight, state, context)) as Tensor4D;
}

/** sigma = u^T W v for this call, after this call's power iteration in training; differentiable through W. */
export function estimateSpectralNorm(weight: Variable, state: SpectralState, context: ForwardContext): Tensor {
  const [kernelHeight, kernelWidth, inChannels, outChannels] = weight.shape as [number, number, number, number];
  // In tfjs layout the flattened kernel is W^T of torch's [out, in*kh*kw] matrix; sigma does not depend on the order.
  const transposed = tf.reshape(weight, [kernelHeight * kernelWidth * inChannels, outChannels]) as Tensor2D;
  if (context.training) {
    const frozen = detach(transposed);
    const v = l2Normalise(tf.matMul(frozen, state.u));
    const u = l2Normalise(tf.matMul(frozen, v, true, false));
    state.v.assign(v);
    state.u.assign(u);
  }
  return tf.sum(tf.mul(state.u, tf.matMul(transposed, state.v, true, false)));
}

/**
 * A tensor sharing `x`'s data under a new id, so the tape sees no path from it back to `x`: tfjs-core has no public
 * stop-gradient, and this one copies nothing.
 */
export function detach<T extends Tensor>(x: T): T {
  const engine = tf.engine();
  const copy = engine.makeTensorFromTensorInfo({ dataId: x.dataId, shape: x.shape, dtype: x.dtype }) as T;
  // makeTensorFromTensorInfo tracks the new tensor but leaves the backend's reference count to the caller.
  engine.backend.incRef(x.dataId);
  return copy;
}

function l2Normalise(x: Tensor): Tensor {
  return tf.div(x, tf.maximum(tf.sqrt(tf.sum(tf.square(x))), normEpsilon));
}

function normaliseArray(values: Float32Array): Float32Array {
  let sum = 0;
  for (const value of values) sum += value * value;
  const norm = Math.max(Math.sqrt(sum), normEpsilon);
  return values.map((value) => value / norm);
}
