/**
 * 2D convolution as the authors build it: explicit padding (reflect with zero fallback, optional autopad), then a
 * 'valid' convolution, optional spectral norm, Kaiming-normal or torch-default initialisation, and a bias.
 * Layout is NHWC with kernels [kh, kw, in, out].
 */
import { tf, type Tensor, type Tensor4D, type Variable } from '../../tf';
import { fusedKernelNames, hasFusedKernel, type PadSteps } from '../../backend/fusedLayerKernels';
import type { ForwardContext } from './forwardContext';
import { computeAutopad, padSpatially, type Padding, type PaddingMode } from './padding';
import { createSpectralState, estimateSpectralNorm, type SpectralState } from './spectralNorm';
import type { VariableScope } from './variableRegistry';

export interface ConvOptions {
  inChannels: number;
  outChannels: number;
  kernelSize: number;
  stride?: 1 | 2;
  padding?: Padding;
  paddingMode?: PaddingMode;
  /** Pad inputs smaller than the kernel, with the authors' swapped axes (discriminator convs after the first). */
  autopad?: boolean;
  spectralNorm: boolean;
  /** 'kaimingNormal' = torch kaiming_normal_ (fan_in, gain sqrt 2); 'torchDefault' = Conv2d's own U(±1/sqrt(fan_in)). */
  init: 'kaimingNormal' | 'torchDefault';
}

export interface ConvLayer {
  options: Required<ConvOptions>;
  weight: Variable;
  bias: Variable;
  spectral: SpectralState | null;
}

export function createConv(scope: VariableScope, options: ConvOptions): ConvLayer {
  const full: Required<ConvOptions> = {
    stride: 1,
    padding: [0, 0, 0, 0],
    paddingMode: 'reflect',
    autopad: false,
    ...options
  };
  const { inChannels, outChannels, kernelSize } = full;
  const fanIn = inChannels * kernelSize * kernelSize;
  const bound = 1 / Math.sqrt(fanIn);
  const weightValues =
    full.init === 'kaimingNormal'
      ? scope.random.normalArray(fanIn * outChannels, 0, Math.sqrt(2 / fanIn))
      : scope.random.uniformArray(fanIn * outChannels, -bound, bound);
  const weight = scope.add('weight', weightValues, [kernelSize, kernelSize, inChannels, outChannels]);
  const bias = scope.add('bias', scope.random.uniformArray(outChannels, -bound, bound), [outChannels]);
  const spectral = full.spectralNorm ? createSpectralState(scope, outChannels, fanIn) : null;
  return { options: full, weight, bias, spectral };
}

let countedMacs = 0;

/** Multiply-accumulates of every conv call so far (forward only); benches read it to estimate FLOPs per step. */
export function readConvMacCount(): number {
  return countedMacs;
}

export function applyConv(layer: ConvLayer, x: Tensor4D, context: ForwardContext): Tensor4D {
  if (hasFusedKernel(fusedKernelNames.conv)) return applyFusedConv(layer, x, context);
  const { kernelSize, stride, padding, paddingMode, autopad } = layer.options;
  let input = padSpatially(x, padding, paddingMode);
  if (autopad) input = padSpatially(input, computeAutopad(x.shape[1], x.shape[2], kernelSize), 'reflect');
  let convolved = tf.conv2d(input, layer.weight as Tensor4D, stride, 'valid');
  // conv(x, W/σ) = conv(x, W)/σ: dividing the output keeps the kernel tensor the same across calls, so wasm reuses
  // its packed convolution operator instead of repacking a fresh normalised kernel at every call.
  if (layer.spectral) convolved = tf.div(convolved, estimateSpectralNorm(layer.weight, layer.spectral, context));
  const output = tf.add(convolved, layer.bias) as Tensor4D;
  countedMacs += output.size * layer.options.inChannels * kernelSize * kernelSize;
  return output;
}

/**
 * The same layer as one GenSegConv kernel (padding, convolution, ÷σ, + bias) on backends that have it, after this
 * call's power iteration (GenSegPowerIteration) in training.
 */
function applyFusedConv(layer: ConvLayer, x: Tensor4D, context: ForwardContext): Tensor4D {
  const { kernelSize, stride, inChannels } = layer.options;
  const engine = tf.engine();
  const attrs = { stride, pads: planPads(x.shape, layer.options) };
  let output: Tensor4D;
  if (layer.spectral) {
    const { u, v } = layer.spectral;
    if (context.training) {
      const next = engine.runKernel(fusedKernelNames.powerIteration, { W: layer.weight, u }) as Tensor[];
      u.assign(next[0]!);
      v.assign(next[1]!);
      tf.dispose(next);
    }
    output = engine.runKernel(fusedKernelNames.conv, { x, W: layer.weight, b: layer.bias, u, v }, attrs) as Tensor4D;
  } else {
    output = engine.runKernel(fusedKernelNames.convPlain, { x, W: layer.weight, b: layer.bias }, attrs) as Tensor4D;
  }
  countedMacs += output.size * inChannels * kernelSize * kernelSize;
  return output;
}

/** The padding steps applyConv's composed path takes: block padding, then the discriminator's autopad. */
function planPads(shape: number[], options: Required<ConvOptions>): PadSteps {
  const steps: PadSteps = [];
  let [, height, width] = shape as [number, number, number, number];
  const add = (padding: Padding, mode: PaddingMode): void => {
    if (padding.every((pad) => pad === 0)) return;
    const tooLarge = padding.some((pad) => pad >= height || pad >= width);
    steps.push(...padding, mode === 'zero' || tooLarge ? 0 : 1);
    height += padding[0] + padding[1];
    width += padding[2] + padding[3];
  };
  add(options.padding, options.paddingMode);
  if (options.autopad) add(computeAutopad(shape[1]!, shape[2]!, options.kernelSize), 'reflect');
  return steps;
}
