/**
 * GenSeg's layers as single kernels on the CPU backends (wasm, cpu), each with a registered gradient, so one layer
 * call is one engine call and saves a handful of tensors for the backward pass, instead of a chain of small ops each
 * with its tape node and saved copies (about 33,000 calls per cpu-preset GenSeg step before):
 * - GenSegConv (GenSegConvPlain without spectral norm): explicit padding steps (reflect or zero), a 'valid' Conv2D,
 *   then ÷σ and + bias. Its gradient: GenSegConvInputGrad (the backend's Conv2DBackpropInput, then the padding's
 *   adjoint), GenSegConvParamGrad (Conv2DBackpropFilter plus σ's own term dσ·v·uᵀ) and a Sum for the bias.
 * - GenSegPowerIteration: one power iteration of spectral norm ([u, v] from W and u); it carries no gradient.
 * - GenSegInstanceNormAct, GenSegLayerNormAct: instance norm (biased variance, eps on the variance) or Liu's layer norm (unbiased std, eps on the
 *   std, per-channel affine), then none / ReLU / leaky ReLU; gradient: GenSegNormActGrad.
 * - GenSegAmsGrad: one AMSGrad update of one parameter ([p, m, v, vMax] from p, g, m, v, vMax).
 * Convolutions run on the backend's own kernels, called directly (they are not engine calls); the element-wise parts
 * are JavaScript loops over the backend's memory. The webgpu backend has the same kernels as WebGPU programs
 * (webgpuFusedKernels.ts). The math is the same as the layer code's composed-op path, which
 * backends without these kernels use (see genseg/layers and their tests).
 */
import {
  getKernel,
  registerGradient,
  registerKernel,
  util,
  type GradConfig,
  type KernelBackend,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type Tensor,
  type TensorInfo
} from '@tensorflow/tfjs-core';
import { tf } from '../tf';
import { accessFloats, type FloatAccess } from './floatAccess';
import { createKernelRunner, requireKernels, type KernelRunner } from './kernelRunner';

export const fusedKernelNames = {
  conv: 'GenSegConv',
  convPlain: 'GenSegConvPlain',
  convInputGrad: 'GenSegConvInputGrad',
  convParamGrad: 'GenSegConvParamGrad',
  powerIteration: 'GenSegPowerIteration',
  instanceNormAct: 'GenSegInstanceNormAct',
  layerNormAct: 'GenSegLayerNormAct',
  normActGrad: 'GenSegNormActGrad',
  amsGrad: 'GenSegAmsGrad'
} as const;

/** `GENSEG_FUSED_KERNELS=0` runs the composed ops instead (to compare whole training runs, e.g. the demo). */
let fusedEnabled = process.env.GENSEG_FUSED_KERNELS !== '0';

/** Turns the fused path off (tests and benches compare it with the composed ops); returns the previous setting. */
export function enableFusedKernels(enabled: boolean): boolean {
  const previous = fusedEnabled;
  fusedEnabled = enabled;
  return previous;
}

export type FusedKernelName = (typeof fusedKernelNames)[keyof typeof fusedKernelNames];

/** Whether the layers use the fused kernels: enabled, and the conv kernel registered on the active backend. */
export function hasFusedKernels(): boolean {
  return hasFusedKernel(fusedKernelNames.conv);
}

/**
 * Whether one group of layers uses its fused kernel (conv, a norm, AMSGrad): enabled, and `name` registered on the
 * active backend. Each group's kernels, gradients included, are registered together.
 */
export function hasFusedKernel(name: FusedKernelName): boolean {
  return fusedEnabled && getKernel(name, tf.getBackend()) != null;
}

/** One padding of the input: [top, bottom, left, right] and reflect (1) or zero (0), flattened in fives. */
export type PadSteps = number[];

export interface ConvAttrs {
  stride: number;
  pads: PadSteps;
  /** Set by the kernel: GenSegConv divides by σ (inputs u, v), GenSegConvPlain does not. */
  spectral?: boolean;
}

export type Activation = 'none' | 'relu' | 'leakyRelu';

export interface NormActAttrs {
  /** Set by the kernel: GenSegInstanceNormAct (input x) or GenSegLayerNormAct (x, gamma, beta). */
  kind?: 'instance' | 'layer';
  activation: Activation;
  alpha: number;
}

/** Spectral norm's floor on a vector's length, and the normalisations' epsilon (the layer code's values). */
export const normEpsilon = 1e-12;
export const normalisationEpsilon = 1e-5;

// ---------------------------------------------------------------------------------------------------------------
// Padding and its adjoint.

/** Runs the padding steps with the backend's MirrorPad / PadV2 (wasm, cpu and webgpu). */
export function applyPads(kernels: KernelRunner, x: TensorInfo, pads: PadSteps): TensorInfo {
  let out = x;
  for (let i = 0; i < pads.length; i += 5) {
    const [top, bottom, left, right, reflect] = pads.slice(i, i + 5) as [number, number, number, number, number];
    const paddings = [[0, 0], [top, bottom], [left, right], [0, 0]];
    out = reflect
      ? kernels.run('MirrorPad', { x: out }, { paddings, mode: 'reflect' })
      : kernels.run('PadV2', { x: out }, { paddings, constantValue: 0 });
  }
  return out;
}

/** Where padded row `p` of a side of `length` (padded by `before`) came from, or -1 for a zero pad. */
function sourceIndex(p: number, before: number, length: number, reflect: boolean): number {
  const i = p - before;
  if (i >= 0 && i < length) return i;
  if (!reflect) return -1;
  return i < 0 ? -i : 2 * (length - 1) - i;
}

/**
 * The adjoint of the padding steps: sums each padded pixel's gradient back onto the pixel it was copied from, times
 * `scale` (applied in the first fold).
 */
function foldPads(floats: FloatAccess, backend: KernelBackend, dy: TensorInfo, inputShape: number[], pads: PadSteps, scale: number): TensorInfo {
  // Shapes before each step, so the steps can be undone last first.
  const shapes = paddedShapes(inputShape, pads);
  let gradient = dy;
  for (let step = pads.length / 5 - 1; step >= 0; step--) {
    const [top, , left, , reflect] = pads.slice(step * 5, step * 5 + 5) as [number, number, number, number, number];
    const [batch, height, width, channels] = shapes[step] as [number, number, number, number];
    const [, paddedHeight, paddedWidth] = shapes[step + 1] as [number, number, number, number];
    const out = floats.allocate([batch, height, width, channels]);
    const target = floats.view(out);
    target.fill(0);
    const source = floats.view(gradient);
    const factor = gradient === dy ? scale : 1;
    const rows = Array.from({ length: paddedHeight }, (_, p) => sourceIndex(p, top, height, reflect === 1));
    const columns = Array.from({ length: paddedWidth }, (_, p) => sourceIndex(p, left, width, reflect === 1));
    for (let n = 0; n < batch; n++) {
      for (let py = 0; py < paddedHeight; py++) {
        const y = rows[py]!;
        if (y < 0) continue;
        for (let px = 0; px < paddedWidth; px++) {
          const x = columns[px]!;
          if (x < 0) continue;
          const from = ((n * paddedHeight + py) * paddedWidth + px) * channels;
          const to = ((n * height + y) * width + x) * channels;
          if (factor === 1) for (let c = 0; c < channels; c++) target[to + c]! += source[from + c]!;
          else for (let c = 0; c < channels; c++) target[to + c]! += source[from + c]! * factor;
        }
      }
    }
    if (gradient !== dy) backend.disposeData(gradient.dataId);
    gradient = out;
  }
  return gradient;
}

// ---------------------------------------------------------------------------------------------------------------
// Spectral norm.

function normaliseInPlace(values: Float64Array): void {
  let sum = 0;
  for (const value of values) sum += value * value;
  const norm = Math.max(Math.sqrt(sum), normEpsilon);
  for (let i = 0; i < values.length; i++) values[i]! /= norm;
}

/** v = normalise(W₂ u), u' = normalise(W₂ᵀ v), W₂ = W as [kh·kw·in, out]; outputs [u' (out×1), v (rows×1)]. */
function runPowerIteration(floats: FloatAccess, weight: TensorInfo, uInfo: TensorInfo): TensorInfo[] {
  const columns = weight.shape[3]!;
  const rows = util.sizeFromShape(weight.shape) / columns;
  const outU = floats.allocate([columns, 1]);
  const outV = floats.allocate([rows, 1]);
  const w = floats.view(weight);
  const u = floats.view(uInfo);
  const v = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let o = 0; o < columns; o++) sum += w[r * columns + o]! * u[o]!;
    v[r] = sum;
  }
  normaliseInPlace(v);
  const next = new Float64Array(columns);
  for (let r = 0; r < rows; r++) {
    const vr = v[r]!;
    for (let o = 0; o < columns; o++) next[o]! += w[r * columns + o]! * vr;
  }
  normaliseInPlace(next);
  floats.view(outU).set(next);
  floats.view(outV).set(v);
  return [outU, outV];
}

/** σ = uᵀ W₂ᵀ v. */
function computeSigma(w: Float32Array, u: Float32Array, v: Float32Array, columns: number): number {
  const rows = w.length / columns;
  let sigma = 0;
  for (let r = 0; r < rows; r++) {
    const vr = v[r]!;
    let row = 0;
    for (let o = 0; o < columns; o++) row += w[r * columns + o]! * u[o]!;
    sigma += row * vr;
  }
  return Math.fround(sigma);
}

// ---------------------------------------------------------------------------------------------------------------
// Convolution layer.

export function readConvAttrs(attrs: NamedAttrMap): ConvAttrs {
  return attrs as unknown as ConvAttrs;
}

/** The backend Conv2D's attributes for a 'valid' convolution of this stride (the padding steps are explicit). */
export function convKernelAttrs(stride: number): NamedAttrMap {
  return { strides: [stride, stride], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1] };
}

function readSigma(floats: FloatAccess, inputs: NamedTensorInfoMap, attrs: ConvAttrs): number {
  if (!attrs.spectral) return 1;
  const weight = inputs.W!;
  return computeSigma(floats.view(weight), floats.view(inputs.u!), floats.view(inputs.v!), weight.shape[3]!);
}

function runConv(backend: KernelBackend, backendName: string, inputs: NamedTensorInfoMap, attrs: ConvAttrs): TensorInfo {
  const floats = accessFloats(backend);
  const kernels = createKernelRunner(backend, backendName);
  const padded = applyPads(kernels, inputs.x!, attrs.pads);
  const convolved = kernels.run('Conv2D', { x: padded, filter: inputs.W! }, convKernelAttrs(attrs.stride));
  const out = floats.allocate(convolved.shape);
  const target = floats.view(out);
  const source = floats.view(convolved);
  const bias = floats.view(inputs.b!);
  const sigma = readSigma(floats, inputs, attrs);
  const channels = bias.length;
  for (let i = 0; i < target.length; i += channels) {
    for (let c = 0; c < channels; c++) target[i + c] = source[i + c]! / sigma + bias[c]!;
  }
  kernels.finish(out);
  return out;
}

/** The input's shape before the first padding step and after each one (NHWC). */
export function paddedShapes(shape: number[], pads: PadSteps): number[][] {
  const shapes = [shape];
  for (let i = 0; i < pads.length; i += 5) {
    const [n, h, w, c] = shapes[shapes.length - 1]!;
    shapes.push([n!, h! + pads[i]! + pads[i + 1]!, w! + pads[i + 2]! + pads[i + 3]!, c!]);
  }
  return shapes;
}

/** dx = the padding's adjoint of Conv2DBackpropInput(dy, W) / σ (÷σ applied to the result, not to dy). */
function runConvInputGrad(backend: KernelBackend, backendName: string, inputs: NamedTensorInfoMap, attrs: ConvAttrs): TensorInfo {
  const floats = accessFloats(backend);
  const kernels = createKernelRunner(backend, backendName);
  const inverseSigma = 1 / readSigma(floats, inputs, attrs);
  const inputShape = paddedShapes(inputs.x!.shape, attrs.pads).at(-1)!;
  const dPadded = kernels.run('Conv2DBackpropInput', { dy: inputs.dy!, filter: inputs.W! }, { ...convKernelAttrs(attrs.stride), inputShape });
  if (attrs.pads.length > 0) {
    const dx = foldPads(floats, backend, dPadded, inputs.x!.shape, attrs.pads, inverseSigma);
    kernels.finish(dx);
    return dx;
  }
  if (inverseSigma !== 1) {
    const values = floats.view(dPadded);
    for (let i = 0; i < values.length; i++) values[i]! *= inverseSigma;
  }
  return kernels.finish(dPadded);
}

/** dW = Conv2DBackpropFilter(x, dy) / σ, plus σ's own term −(Σ dy·c / σ²)·v·uᵀ. */
function runConvParamGrad(backend: KernelBackend, backendName: string, inputs: NamedTensorInfoMap, attrs: ConvAttrs): TensorInfo {
  const floats = accessFloats(backend);
  const kernels = createKernelRunner(backend, backendName);
  const dy = inputs.dy!;
  const weight = inputs.W!;
  const padded = applyPads(kernels, inputs.x!, attrs.pads);
  const dW = kernels.run('Conv2DBackpropFilter', { x: padded, dy }, { ...convKernelAttrs(attrs.stride), filterShape: weight.shape });
  if (attrs.spectral) {
    const sigma = readSigma(floats, inputs, attrs);
    const channels = weight.shape[3]!;
    const dyValues = floats.view(dy);
    const bias = floats.view(inputs.b!);
    const output = floats.view(inputs.y!);
    // Σ dy·c with c = σ·(y − b), the convolution's output before ÷σ.
    let dotWithConv = 0;
    for (let i = 0; i < dyValues.length; i += channels) {
      for (let c = 0; c < channels; c++) dotWithConv += dyValues[i + c]! * (output[i + c]! - bias[c]!) * sigma;
    }
    const dSigma = -dotWithConv / (sigma * sigma);
    const target = floats.view(dW);
    const u = floats.view(inputs.u!);
    const v = floats.view(inputs.v!);
    const rows = target.length / channels;
    for (let r = 0; r < rows; r++) {
      const scale = dSigma * v[r]!;
      for (let o = 0; o < channels; o++) target[r * channels + o] = target[r * channels + o]! / sigma + scale * u[o]!;
    }
  }
  return kernels.finish(dW);
}

// ---------------------------------------------------------------------------------------------------------------
// Normalisation and activation.

/**
 * Statistics of one sample: per channel for instance norm (over H×W), shared by every channel for layer norm (over
 * C×H×W). x̂ = (x − mean)/scale, with scale = sqrt(var + eps) (instance, biased variance) or std + eps (layer,
 * unbiased std, kept in `std` for the gradient).
 */
interface SampleStatistics {
  mean: Float64Array;
  scale: Float64Array;
  std: Float64Array;
  /** Values per normalisation group. */
  count: number;
}

function computeSampleStatistics(x: Float32Array, start: number, length: number, channels: number, layer: boolean): SampleStatistics {
  const sums = new Float64Array(channels);
  for (let i = 0, c = 0; i < length; i++) {
    sums[c]! += x[start + i]!;
    if (++c === channels) c = 0;
  }
  const count = layer ? length : length / channels;
  const mean = new Float64Array(channels);
  if (layer) mean.fill(sums.reduce((a, b) => a + b, 0) / count);
  else for (let c = 0; c < channels; c++) mean[c] = sums[c]! / count;
  const squares = new Float64Array(channels);
  for (let i = 0, c = 0; i < length; i++) {
    const d = x[start + i]! - mean[c]!;
    squares[c]! += d * d;
    if (++c === channels) c = 0;
  }
  const scale = new Float64Array(channels);
  const std = new Float64Array(channels);
  if (layer) {
    const unbiased = Math.sqrt(squares.reduce((a, b) => a + b, 0) / (count - 1));
    std.fill(unbiased);
    scale.fill(unbiased + normalisationEpsilon);
  } else {
    for (let c = 0; c < channels; c++) scale[c] = Math.sqrt(squares[c]! / count + normalisationEpsilon);
  }
  return { mean, scale, std, count };
}

/** The slope of the activation for z ≤ 0: 1 (none), 0 (ReLU) or alpha (leaky ReLU); 1 for z > 0. */
export function negativeSlope(activation: Activation, alpha: number): number {
  if (activation === 'relu') return 0;
  return activation === 'leakyRelu' ? alpha : 1;
}

function runNormAct(backend: KernelBackend, inputs: NamedTensorInfoMap, attrs: NormActAttrs): TensorInfo {
  const floats = accessFloats(backend);
  const xInfo = inputs.x!;
  const out = floats.allocate(xInfo.shape);
  const x = floats.view(xInfo);
  const y = floats.view(out);
  const gamma = inputs.gamma ? floats.view(inputs.gamma) : null;
  const beta = inputs.beta ? floats.view(inputs.beta) : null;
  const [batch, , , channels] = xInfo.shape as [number, number, number, number];
  const length = x.length / batch;
  const f = Math.fround;
  const slope = negativeSlope(attrs.activation, attrs.alpha);
  for (let n = 0; n < batch; n++) {
    const start = n * length;
    const { mean, scale } = computeSampleStatistics(x, start, length, channels, gamma != null);
    for (let i = start, c = 0; i < start + length; i++) {
      const normalised = f((x[i]! - mean[c]!) / scale[c]!);
      const z = gamma ? f(f(normalised * gamma[c]!) + beta![c]!) : normalised;
      y[i] = z > 0 || slope === 1 ? z : slope * z;
      if (++c === channels) c = 0;
    }
  }
  return out;
}

/** [dx, dγ, dβ] (the last two only with an affine set). */
function runNormActGrad(backend: KernelBackend, inputs: NamedTensorInfoMap, attrs: NormActAttrs): TensorInfo[] {
  const floats = accessFloats(backend);
  const xInfo = inputs.x!;
  const [batch, , , channels] = xInfo.shape as [number, number, number, number];
  const affine = inputs.gamma != null;
  const dxInfo = floats.allocate(xInfo.shape);
  const dGammaInfo = affine ? floats.allocate([channels]) : null;
  const dBetaInfo = affine ? floats.allocate([channels]) : null;
  const x = floats.view(xInfo);
  const dy = floats.view(inputs.dy!);
  const dx = floats.view(dxInfo);
  const gamma = affine ? floats.view(inputs.gamma!) : null;
  const beta = affine ? floats.view(inputs.beta!) : null;
  const dGamma = new Float64Array(channels);
  const dBeta = new Float64Array(channels);
  const length = x.length / batch;
  const gradNormalised = new Float64Array(length);
  const f = Math.fround;
  const slope = negativeSlope(attrs.activation, attrs.alpha);
  for (let n = 0; n < batch; n++) {
    const start = n * length;
    const { mean, scale, std, count } = computeSampleStatistics(x, start, length, channels, affine);
    const sumG = new Float64Array(channels);
    const sumGx = new Float64Array(channels);
    for (let j = 0, c = 0; j < length; j++) {
      const normalised = (x[start + j]! - mean[c]!) / scale[c]!;
      const z = gamma ? f(f(f(normalised) * gamma[c]!) + beta![c]!) : f(normalised);
      const g = z > 0 ? dy[start + j]! : dy[start + j]! * slope;
      dGamma[c]! += g * normalised;
      dBeta[c]! += g;
      const gx = gamma ? g * gamma[c]! : g;
      gradNormalised[j] = gx;
      sumG[c]! += gx;
      sumGx[c]! += gx * normalised;
      if (++c === channels) c = 0;
    }
    if (affine) {
      // Layer norm: one group per sample; x̂ = d/(s + eps) with the unbiased std s, ∂s/∂x_i = d_i/((M−1)s).
      const meanG = sumG.reduce((a, b) => a + b, 0) / count;
      const dotG = sumGx.reduce((a, b) => a + b, 0) / scale[0]!;
      const stdFactor = std[0]! > 0 ? dotG / ((count - 1) * std[0]!) : 0;
      for (let j = 0; j < length; j++) {
        const d = x[start + j]! - mean[0]!;
        dx[start + j] = (gradNormalised[j]! - meanG) / scale[0]! - stdFactor * d;
      }
    } else {
      for (let j = 0, c = 0; j < length; j++) {
        const normalised = (x[start + j]! - mean[c]!) / scale[c]!;
        dx[start + j] = (gradNormalised[j]! - sumG[c]! / count - (normalised * sumGx[c]!) / count) / scale[c]!;
        if (++c === channels) c = 0;
      }
    }
  }
  if (!affine) return [dxInfo];
  floats.view(dGammaInfo!).set(dGamma);
  floats.view(dBetaInfo!).set(dBeta);
  return [dxInfo, dGammaInfo!, dBetaInfo!];
}

// ---------------------------------------------------------------------------------------------------------------
// AMSGrad.

export interface AmsGradAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
  /** This parameter's step count, after incrementing. */
  step: number;
}

function runAmsGrad(backend: KernelBackend, inputs: NamedTensorInfoMap, attrs: AmsGradAttrs): TensorInfo[] {
  const floats = accessFloats(backend);
  const shape = inputs.p!.shape;
  const outs = [0, 1, 2, 3].map(() => floats.allocate(shape));
  const [p, g, m, v, vMax] = ['p', 'g', 'm', 'v', 'vMax'].map((name) => floats.view(inputs[name]!)) as Float32Array[];
  const [pOut, mOut, vOut, vMaxOut] = outs.map((info) => floats.view(info)) as Float32Array[];
  const { learningRate, beta1, beta2, epsilon, weightDecay, step } = attrs;
  const stepSize = learningRate / (1 - beta1 ** step);
  const correction2Sqrt = Math.sqrt(1 - beta2 ** step);
  const f = Math.fround;
  for (let i = 0; i < p!.length; i++) {
    const decayed = weightDecay === 0 ? g![i]! : f(g![i]! + f(p![i]! * weightDecay));
    const first = f(f(m![i]! * beta1) + f(decayed * (1 - beta1)));
    const second = f(f(v![i]! * beta2) + f(f(decayed * decayed) * (1 - beta2)));
    const largest = Math.max(vMax![i]!, second);
    const denominator = f(f(f(Math.sqrt(largest)) / correction2Sqrt) + epsilon);
    pOut![i] = p![i]! - f(f(first / denominator) * stepSize);
    mOut![i] = first;
    vOut![i] = second;
    vMaxOut![i] = largest;
  }
  return outs;
}

// ---------------------------------------------------------------------------------------------------------------
// Registration.

function convGradient(spectral: boolean): GradConfig['gradFunc'] {
  return (dy, saved, attrs) => {
    const [x, W, b, ...rest] = saved as Tensor[];
    const y = rest[rest.length - 1]!;
    const [u, v] = spectral ? rest : [];
    const inputs = { dy: dy as Tensor, x: x!, W: W!, b: b!, y, ...(spectral ? { u: u!, v: v! } : {}) };
    const gradAttrs = { ...attrs, spectral };
    return {
      x: () => tf.engine().runKernel(fusedKernelNames.convInputGrad, inputs, gradAttrs) as Tensor,
      W: () => tf.engine().runKernel(fusedKernelNames.convParamGrad, inputs, gradAttrs) as Tensor,
      // A separate call: the engine asks for each input's gradient in its own tidy, so one kernel cannot hand two
      // gradients over without keeping one past its scope (and leaking it when the engine sums gradients).
      b: () => tf.sum(dy as Tensor, [0, 1, 2]),
      // u and v are spectral norm's stored vectors, never differentiated.
      u: () => tf.zerosLike(u!),
      v: () => tf.zerosLike(v!)
    };
  };
}

const gradients: GradConfig[] = [
  { kernelName: fusedKernelNames.conv, inputsToSave: ['x', 'W', 'b', 'u', 'v'], outputsToSave: [true], gradFunc: convGradient(true) },
  { kernelName: fusedKernelNames.convPlain, inputsToSave: ['x', 'W', 'b'], outputsToSave: [true], gradFunc: convGradient(false) },
  {
    kernelName: fusedKernelNames.instanceNormAct,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as Tensor[];
      const dx = tf.engine().runKernel(fusedKernelNames.normActGrad, { dy: dy as Tensor, x: x! }, attrs) as Tensor[];
      return { x: () => dx[0]! };
    }
  },
  {
    kernelName: fusedKernelNames.layerNormAct,
    inputsToSave: ['x', 'gamma', 'beta'],
    gradFunc: (dy, saved, attrs) => {
      const [x, gamma, beta] = saved as Tensor[];
      const [dx, dGamma, dBeta] = tf.engine().runKernel(fusedKernelNames.normActGrad, { dy: dy as Tensor, x: x!, gamma: gamma!, beta: beta! }, attrs) as Tensor[];
      return { x: () => dx!, gamma: () => dGamma!, beta: () => dBeta! };
    }
  }
];

let gradientsRegistered = false;

/** Registers the fused kernels' gradients (backend-independent), once. */
export function registerFusedGradients(): void {
  if (!gradientsRegistered) for (const config of gradients) registerGradient(config);
  gradientsRegistered = true;
}

/** Registers the fused kernels on a CPU backend (wasm or cpu), and their gradients once. */
export function registerFusedLayerKernels(backendName: string): void {
  if (getKernel(fusedKernelNames.conv, backendName) != null) return;
  requireKernels(backendName, ['Conv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter', 'MirrorPad', 'PadV2']);
  const register = (kernelName: string, run: (backend: KernelBackend, inputs: NamedTensorInfoMap, attrs: NamedAttrMap) => TensorInfo | TensorInfo[]): void => {
    registerKernel({ kernelName, backendName, kernelFunc: ({ inputs, backend, attrs }) => run(backend as KernelBackend, inputs, attrs ?? {}) });
  };
  register(fusedKernelNames.conv, (backend, inputs, attrs) => runConv(backend, backendName, inputs, { ...readConvAttrs(attrs), spectral: true }));
  register(fusedKernelNames.convPlain, (backend, inputs, attrs) => runConv(backend, backendName, inputs, { ...readConvAttrs(attrs), spectral: false }));
  register(fusedKernelNames.convInputGrad, (backend, inputs, attrs) => runConvInputGrad(backend, backendName, inputs, readConvAttrs(attrs)));
  register(fusedKernelNames.convParamGrad, (backend, inputs, attrs) => runConvParamGrad(backend, backendName, inputs, readConvAttrs(attrs)));
  register(fusedKernelNames.powerIteration, (backend, inputs) => runPowerIteration(accessFloats(backend), inputs.W!, inputs.u!));
  register(fusedKernelNames.instanceNormAct, (backend, inputs, attrs) => runNormAct(backend, inputs, attrs as unknown as NormActAttrs));
  register(fusedKernelNames.layerNormAct, (backend, inputs, attrs) => runNormAct(backend, inputs, attrs as unknown as NormActAttrs));
  register(fusedKernelNames.normActGrad, (backend, inputs, attrs) => runNormActGrad(backend, inputs, attrs as unknown as NormActAttrs));
  register(fusedKernelNames.amsGrad, (backend, inputs, attrs) => runAmsGrad(backend, inputs, attrs as unknown as AmsGradAttrs));
  registerFusedGradients();
}
