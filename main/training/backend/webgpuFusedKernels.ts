/**
 * GenSeg's fused layer kernels (fusedLayerKernels.ts: same names, same math) for the webgpu backend, written as WebGPU
 * compute programs (WGSL) on tfjs-backend-webgpu's program interface, so that a layer call is one engine call and a
 * handful of dispatches instead of a chain of small ops (about 33,000 calls per cpu-preset GenSeg step on the composed
 * ops; on a GPU every call is a dispatch costing microseconds to tens of microseconds).
 *
 * Dispatches per kernel call (a tfjs program has one output, so kernels with several outputs run one program per
 * output, chosen by a uniform):
 * - GenSegAmsGrad: 4 (p, m, v, v̂ from one shader) instead of about 15 engine calls.
 * - GenSegInstanceNormAct, GenSegLayerNormAct: 1 (one workgroup per normalisation group: statistics by workgroup
 *   reduction, then the normalised, affine, activated values). GenSegNormActGrad: 1 (instance) or 4 (layer: the
 *   per-sample statistics, dx, dγ and dβ).
 * - GenSegConv/GenSegConvPlain: the padding steps (the backend's MirrorPad/PadV2), its Conv2D, σ (one workgroup) and one
 *   epilogue (÷σ, + bias). GenSegConvInputGrad: its Conv2DBackpropInput, σ, one fold per padding step (the padding's
 *   adjoint, ÷σ in the first). GenSegConvParamGrad: the padding steps, its Conv2DBackpropFilter, then σ, Σ dy·(y − b)
 *   and one epilogue for spectral norm's own term. GenSegPowerIteration: 2 (v, then u'), one workgroup each.
 * Reductions run in float32 (the CPU kernels sum in float64): the differences are rounding, tested against the cpu
 * backend's kernels in webgpuFusedKernels.test.ts.
 */
import {
  getKernel,
  registerKernel,
  util,
  type KernelBackend,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo
} from '@tensorflow/tfjs-core';
import {
  applyPads,
  convKernelAttrs,
  fusedKernelNames,
  negativeSlope,
  normalisationEpsilon,
  normEpsilon,
  paddedShapes,
  readConvAttrs,
  registerFusedGradients,
  type AmsGradAttrs,
  type ConvAttrs,
  type NormActAttrs
} from './fusedLayerKernels';
import { createKernelRunner, requireKernels, type KernelRunner } from './kernelRunner';

/** The part of tfjs-backend-webgpu's WebGPUProgram these programs set (see its webgpu_program.ts). */
interface Program {
  variableNames: string[];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  uniforms?: string;
  size?: boolean;
  getUserCode(): string;
}

type ProgramUniform = { type: 'int32' | 'float32'; data: number[] };

interface WebGpuBackendLike extends KernelBackend {
  runWebGPUProgram(program: Program, inputs: TensorInfo[], outputDtype: 'float32', uniforms?: ProgramUniform[]): TensorInfo;
}

/** Threads per workgroup; the reductions below are written for this size. */
const workgroupSize = 64;

/** One thread per output value. */
function elementwiseProgram(key: string, variableNames: string[], outputShape: number[], uniforms: string, body: string, functions = ''): Program {
  return {
    variableNames,
    outputShape,
    shaderKey: key,
    dispatchLayout: { x: outputShape.map((_, i) => i) },
    dispatch: [Math.ceil(util.sizeFromShape(outputShape) / workgroupSize), 1, 1],
    workgroupSize: [workgroupSize, 1, 1],
    uniforms,
    size: true,
    getUserCode: () => `${functions}
      fn main(index : i32) {
        if (index < uniforms.size) {
          ${body}
        }
      }`
  };
}

/**
 * One workgroup per group (`groups` of them): `body` sees `group` (clamped to a valid one, `valid` says whether it
 * is), `lid` (the thread in the workgroup) and `reduceSum(value)`, which every thread must reach.
 */
function groupProgram(key: string, variableNames: string[], outputShape: number[], groups: number, uniforms: string, body: string): Program {
  return {
    variableNames,
    outputShape,
    shaderKey: key,
    dispatchLayout: { x: outputShape.map((_, i) => i) },
    dispatch: [groups, 1, 1],
    workgroupSize: [workgroupSize, 1, 1],
    uniforms: `groupCount : i32, ${uniforms}`,
    getUserCode: () => `
      var<workgroup> partial : array<f32, ${workgroupSize}>;
      fn reduceSum(value : f32) -> f32 {
        let lid = localIndex;
        partial[lid] = value;
        workgroupBarrier();
        for (var s = ${workgroupSize / 2}u; s > 0u; s = s >> 1u) {
          if (lid < s) {
            partial[lid] = partial[lid] + partial[lid + s];
          }
          workgroupBarrier();
        }
        let total = partial[0];
        workgroupBarrier();
        return total;
      }
      fn main(index : i32) {
        let valid = index / ${workgroupSize} < uniforms.groupCount;
        let group = min(index / ${workgroupSize}, uniforms.groupCount - 1);
        let lid = i32(localIndex);
        ${body}
      }`
  };
}

function run(backend: WebGpuBackendLike, program: Program, inputs: TensorInfo[], uniforms: ProgramUniform[][]): TensorInfo {
  return backend.runWebGPUProgram(program, inputs, 'float32', uniforms.flat());
}

// One entry per scalar: the backend aligns an entry of n values as a vector of n (makeUniforms in backend_webgpu.ts),
// while the programs declare scalars.
const ints = (...data: number[]): ProgramUniform[] => data.map((value) => ({ type: 'int32', data: [value] }));
const floats = (...data: number[]): ProgramUniform[] => data.map((value) => ({ type: 'float32', data: [value] }));

// ---------------------------------------------------------------------------------------------------------------
// AMSGrad: [p, m, v, v̂], one output per dispatch of the same shader.

function runAmsGrad(backend: WebGpuBackendLike, inputs: NamedTensorInfoMap, attrs: AmsGradAttrs): TensorInfo[] {
  const { learningRate, beta1, beta2, epsilon, weightDecay, step } = attrs;
  const stepSize = learningRate / (1 - beta1 ** step);
  const correction2Sqrt = Math.sqrt(1 - beta2 ** step);
  const names = ['p', 'g', 'm', 'v', 'vMax'];
  const program = (): Program =>
    elementwiseProgram(
      'gensegAmsGrad',
      names,
      inputs.p!.shape,
      'stepSize : f32, correction2Sqrt : f32, beta1 : f32, oneMinusBeta1 : f32, beta2 : f32, oneMinusBeta2 : f32, epsilon : f32, weightDecay : f32, which : i32,',
      `
          let decayed = g[index] + p[index] * uniforms.weightDecay;
          let first = m[index] * uniforms.beta1 + decayed * uniforms.oneMinusBeta1;
          let second = v[index] * uniforms.beta2 + (decayed * decayed) * uniforms.oneMinusBeta2;
          let largest = max(vMax[index], second);
          var updated = p[index] - (first / (sqrt(largest) / uniforms.correction2Sqrt + uniforms.epsilon)) * uniforms.stepSize;
          if (uniforms.which == 1) { updated = first; }
          if (uniforms.which == 2) { updated = second; }
          if (uniforms.which == 3) { updated = largest; }
          result[index] = updated;`
    );
  const settings = [stepSize, correction2Sqrt, beta1, 1 - beta1, beta2, 1 - beta2, epsilon, weightDecay];
  const operands = names.map((name) => inputs[name]!);
  return [0, 1, 2, 3].map((which) => run(backend, program(), operands, [floats(...settings), ints(which)]));
}

// ---------------------------------------------------------------------------------------------------------------
// Normalisation and activation.


/**
 * A group's layout: instance norm groups are (sample, channel) over H×W at stride C; layer norm groups are samples
 * over C×H×W at stride 1.
 */
interface GroupLayout {
  groups: number;
  groupsPerSample: number;
  sampleLength: number;
  count: number;
  stride: number;
  channels: number;
}

function layoutOf(shape: number[], layer: boolean): GroupLayout {
  const [batch, height, width, channels] = shape as [number, number, number, number];
  const sampleLength = height * width * channels;
  return layer
    ? { groups: batch, groupsPerSample: 1, sampleLength, count: sampleLength, stride: 1, channels }
    : { groups: batch * channels, groupsPerSample: channels, sampleLength, count: height * width, stride: channels, channels };
}

const layoutUniforms = 'groupsPerSample : i32, sampleLength : i32, count : i32, stride : i32, channels : i32, slope : f32,';

function layoutValues(layout: GroupLayout, slope: number): ProgramUniform[][] {
  const { groups, groupsPerSample, sampleLength, count, stride, channels } = layout;
  return [ints(groups, groupsPerSample, sampleLength, count, stride, channels), floats(slope)];
}

/** WGSL: `base`, `mean`, `scale` (and `deviation` for layer norm) of this workgroup's group. */
function statisticsSnippet(layer: boolean): string {
  return `
        let base = (group / uniforms.groupsPerSample) * uniforms.sampleLength + group % uniforms.groupsPerSample;
        var sum = 0.0;
        for (var i = lid; i < uniforms.count; i = i + ${workgroupSize}) {
          sum = sum + x[base + i * uniforms.stride];
        }
        let mean = reduceSum(sum) / f32(uniforms.count);
        var squares = 0.0;
        for (var i = lid; i < uniforms.count; i = i + ${workgroupSize}) {
          let d = x[base + i * uniforms.stride] - mean;
          squares = squares + d * d;
        }
        let totalSquares = reduceSum(squares);
        ${
          layer
            ? `let deviation = sqrt(totalSquares / f32(uniforms.count - 1));
        let scale = deviation + ${normalisationEpsilon};`
            : `let scale = sqrt(totalSquares / f32(uniforms.count) + ${normalisationEpsilon});`
        }`;
}

/** WGSL: the activation's input z from `normalised` at flat index `at`. */
function affineSnippet(layer: boolean): string {
  return layer ? 'let c = at % uniforms.channels; let z = normalised * gamma[c] + beta[c];' : 'let z = normalised;';
}

function runNormAct(backend: WebGpuBackendLike, inputs: NamedTensorInfoMap, attrs: NormActAttrs): TensorInfo {
  const layer = inputs.gamma != null;
  const x = inputs.x!;
  const layout = layoutOf(x.shape, layer);
  const program = groupProgram(
    `gensegNormAct_${layer ? 'layer' : 'instance'}`,
    layer ? ['x', 'gamma', 'beta'] : ['x'],
    x.shape,
    layout.groups,
    layoutUniforms,
    `${statisticsSnippet(layer)}
        if (valid) {
          for (var i = lid; i < uniforms.count; i = i + ${workgroupSize}) {
            let at = base + i * uniforms.stride;
            let normalised = (x[at] - mean) / scale;
            ${affineSnippet(layer)}
            result[at] = select(uniforms.slope * z, z, z > 0.0);
          }
        }`
  );
  const operands = layer ? [x, inputs.gamma!, inputs.beta!] : [x];
  return run(backend, program, operands, layoutValues(layout, negativeSlope(attrs.activation, attrs.alpha)));
}

/** [dx, dγ, dβ] (the last two only with an affine set); the math of fusedLayerKernels.ts's runNormActGrad. */
function runNormActGrad(backend: WebGpuBackendLike, inputs: NamedTensorInfoMap, attrs: NormActAttrs): TensorInfo[] {
  const layer = inputs.gamma != null;
  const x = inputs.x!;
  const layout = layoutOf(x.shape, layer);
  const slope = negativeSlope(attrs.activation, attrs.alpha);
  const names = layer ? ['x', 'dy', 'gamma', 'beta'] : ['x', 'dy'];
  const operands = layer ? [x, inputs.dy!, inputs.gamma!, inputs.beta!] : [x, inputs.dy!];
  const gradientSnippet = `
            let normalised = (x[at] - mean) / scale;
            ${affineSnippet(layer)}
            let g = select(dy[at] * uniforms.slope, dy[at], z > 0.0);
            let gx = ${layer ? 'g * gamma[c]' : 'g'};`;
  const dxProgram = groupProgram(
    `gensegNormActGrad_${layer ? 'layer' : 'instance'}`,
    names,
    x.shape,
    layout.groups,
    layoutUniforms,
    `${statisticsSnippet(layer)}
        var sumG = 0.0;
        var sumGx = 0.0;
        for (var i = lid; i < uniforms.count; i = i + ${workgroupSize}) {
          let at = base + i * uniforms.stride;
          ${gradientSnippet}
          sumG = sumG + gx;
          sumGx = sumGx + gx * normalised;
        }
        let totalG = reduceSum(sumG);
        let totalGx = reduceSum(sumGx);
        let count = f32(uniforms.count);
        ${
          layer
            ? `let stdFactor = select(0.0, (totalGx / scale) / ((count - 1.0) * deviation), deviation > 0.0);`
            : ''
        }
        if (valid) {
          for (var i = lid; i < uniforms.count; i = i + ${workgroupSize}) {
            let at = base + i * uniforms.stride;
            ${gradientSnippet}
            ${
              layer
                ? 'result[at] = (gx - totalG / count) / scale - stdFactor * (x[at] - mean);'
                : 'result[at] = (gx - totalG / count - normalised * totalGx / count) / scale;'
            }
          }
        }`
  );
  const dx = run(backend, dxProgram, operands, layoutValues(layout, slope));
  if (!layer) return [dx];

  // Layer norm's affine gradients: per-sample statistics [mean, scale] first, then one workgroup per channel summing
  // g·x̂ (dγ) or g (dβ) over every sample and position.
  const [batch, , , channels] = x.shape as [number, number, number, number];
  const statistics = run(
    backend,
    groupProgram('gensegLayerNormStatistics', ['x'], [batch, 2], batch, layoutUniforms, `${statisticsSnippet(true)}
        if (valid && lid == 0) {
          result[group * 2] = mean;
          result[group * 2 + 1] = scale;
        }`),
    [x],
    layoutValues(layout, slope)
  );
  const affineProgram = (): Program =>
    groupProgram(
      'gensegLayerNormAffineGrad',
      ['x', 'dy', 'gamma', 'beta', 'statistics'],
      [channels],
      channels,
      `${layoutUniforms} which : i32, samples : i32,`,
      `
        var sum = 0.0;
        let perSample = uniforms.sampleLength / uniforms.channels;
        for (var i = lid; i < perSample * uniforms.samples; i = i + ${workgroupSize}) {
          let at = i * uniforms.channels + group;
          let owner = i / perSample;
          let mean = statistics[owner * 2];
          let scale = statistics[owner * 2 + 1];
          ${gradientSnippet}
          sum = sum + select(g, g * normalised, uniforms.which == 0);
        }
        let totalSum = reduceSum(sum);
        if (valid && lid == 0) {
          result[group] = totalSum;
        }`
    );
  const channelLayout: GroupLayout = { ...layout, groups: channels };
  const affineOperands = [x, inputs.dy!, inputs.gamma!, inputs.beta!, statistics];
  const [dGamma, dBeta] = [0, 1].map((which) => run(backend, affineProgram(), affineOperands, [...layoutValues(channelLayout, slope), ints(which, batch)]));
  backend.disposeData(statistics.dataId);
  return [dx, dGamma!, dBeta!];
}

// ---------------------------------------------------------------------------------------------------------------
// Spectral norm.

/**
 * One workgroup, one half of a power iteration with W₂ = W as [rows, columns]: v = normalise(W₂ u) (rows values) or
 * u' = normalise(W₂ᵀ v) (columns values). The two differ only in which index runs over the output.
 */
function powerProgram(output: 'v' | 'u', length: number): Program {
  const [outer, inner, input, outerCount, innerCount] =
    output === 'v' ? ['r', 'o', 'u', 'rows', 'columns'] : ['o', 'r', 'v', 'columns', 'rows'];
  return groupProgram(output === 'v' ? 'gensegPowerV' : 'gensegPowerU', ['W', input], [length, 1], 1, 'rows : i32, columns : i32,', `
        var squares = 0.0;
        for (var ${outer} = lid; ${outer} < uniforms.${outerCount}; ${outer} = ${outer} + ${workgroupSize}) {
          var sum = 0.0;
          for (var ${inner} = 0; ${inner} < uniforms.${innerCount}; ${inner} = ${inner} + 1) {
            sum = sum + W[r * uniforms.columns + o] * ${input}[${inner}];
          }
          result[${outer}] = sum;
          squares = squares + sum * sum;
        }
        let norm = max(sqrt(reduceSum(squares)), ${normEpsilon});
        for (var ${outer} = lid; ${outer} < uniforms.${outerCount}; ${outer} = ${outer} + ${workgroupSize}) {
          if (valid) { result[${outer}] = result[${outer}] / norm; }
        }`);
}

function matrixUniforms(weight: TensorInfo): ProgramUniform[][] {
  const columns = weight.shape[3]!;
  return [ints(1, util.sizeFromShape(weight.shape) / columns, columns)];
}

function runPowerIteration(backend: WebGpuBackendLike, inputs: NamedTensorInfoMap): TensorInfo[] {
  const weight = inputs.W!;
  const columns = weight.shape[3]!;
  const rows = util.sizeFromShape(weight.shape) / columns;
  const v = run(backend, powerProgram('v', rows), [weight, inputs.u!], matrixUniforms(weight));
  const u = run(backend, powerProgram('u', columns), [weight, v], matrixUniforms(weight));
  return [u, v];
}

/** σ = uᵀ W₂ᵀ v, a [1] tensor, in one workgroup. */
function runSigma(backend: WebGpuBackendLike, inputs: NamedTensorInfoMap): TensorInfo {
  const program = groupProgram('gensegSigma', ['W', 'u', 'v'], [1], 1, 'rows : i32, columns : i32,', `
        var sum = 0.0;
        for (var r = lid; r < uniforms.rows; r = r + ${workgroupSize}) {
          var row = 0.0;
          for (var o = 0; o < uniforms.columns; o = o + 1) {
            row = row + W[r * uniforms.columns + o] * u[o];
          }
          sum = sum + row * v[r];
        }
        let sigma = reduceSum(sum);
        if (valid && lid == 0) { result[0] = sigma; }`);
  return run(backend, program, [inputs.W!, inputs.u!, inputs.v!], matrixUniforms(inputs.W!));
}

// ---------------------------------------------------------------------------------------------------------------
// Convolution layer.

/** σ, or a [1] tensor of 1 without spectral norm, freed with the runner's other intermediates. */
function sigmaOf(backend: WebGpuBackendLike, kernels: KernelRunner, inputs: NamedTensorInfoMap, attrs: ConvAttrs): TensorInfo {
  if (!attrs.spectral) return kernels.make([1], Float32Array.of(1));
  const sigma = runSigma(backend, inputs);
  kernels.adopt(sigma);
  return sigma;
}

function runConv(backend: WebGpuBackendLike, inputs: NamedTensorInfoMap, attrs: ConvAttrs): TensorInfo {
  const kernels = createKernelRunner(backend, 'webgpu');
  const padded = applyPads(kernels, inputs.x!, attrs.pads);
  const convolved = kernels.run('Conv2D', { x: padded, filter: inputs.W! }, convKernelAttrs(attrs.stride));
  const sigma = sigmaOf(backend, kernels, inputs, attrs);
  const program = elementwiseProgram('gensegConvEpilogue', ['c', 'b', 's'], convolved.shape, 'channels : i32,', `
          result[index] = c[index] / s[0] + b[index % uniforms.channels];`);
  const out = run(backend, program, [convolved, inputs.b!, sigma], [ints(convolved.shape[3]!)]);
  kernels.finish(out);
  return out;
}

/**
 * The adjoint of one padding step, ÷ s[0]: each input pixel sums the padded pixels copied from it (itself, and with
 * reflection its mirror images before and after, at most 3 per axis).
 */
function foldProgram(outputShape: number[]): Program {
  return elementwiseProgram('gensegFoldPad', ['g', 's'], outputShape, 'top : i32, left : i32, paddedHeight : i32, paddedWidth : i32, reflect : i32,', `
          let coords = getCoordsFromIndex(index);
          let height = uniforms.outShape[1];
          let width = uniforms.outShape[2];
          let channels = uniforms.outShape[3];
          var total = 0.0;
          for (var a = 0; a < 3; a = a + 1) {
            let py = paddedSource(a, coords[1], uniforms.top, height, uniforms.paddedHeight);
            if (py < 0) { continue; }
            for (var b = 0; b < 3; b = b + 1) {
              let px = paddedSource(b, coords[2], uniforms.left, width, uniforms.paddedWidth);
              if (px < 0) { continue; }
              total = total + g[((coords[0] * uniforms.paddedHeight + py) * uniforms.paddedWidth + px) * channels + coords[3]];
            }
          }
          result[index] = total / s[0];`, `
      fn paddedSource(k : i32, i : i32, before : i32, length : i32, paddedLength : i32) -> i32 {
        if (k == 0) { return i + before; }
        if (uniforms.reflect == 0) { return -1; }
        if (k == 1) { return select(-1, before - i, i >= 1 && i <= before); }
        let p = before + 2 * (length - 1) - i;
        if (i <= length - 2 && p < paddedLength) { return p; }
        return -1;
      }`);
}

function runConvInputGrad(backend: WebGpuBackendLike, inputs: NamedTensorInfoMap, attrs: ConvAttrs): TensorInfo {
  const kernels = createKernelRunner(backend, 'webgpu');
  const shapes = paddedShapes(inputs.x!.shape, attrs.pads);
  const sigma = sigmaOf(backend, kernels, inputs, attrs);
  const convAttrs = { ...convKernelAttrs(attrs.stride), inputShape: shapes[shapes.length - 1]! };
  let gradient = kernels.run('Conv2DBackpropInput', { dy: inputs.dy!, filter: inputs.W! }, convAttrs);
  const steps = Math.max(attrs.pads.length / 5, attrs.spectral ? 1 : 0);
  let scale = sigma;
  for (let step = steps - 1; step >= 0; step--) {
    const [top, , left, , reflect] = attrs.pads.length > 0 ? (attrs.pads.slice(step * 5, step * 5 + 5) as number[]) : [0, 0, 0, 0, 0];
    const [, paddedHeight, paddedWidth] = shapes[step + 1] ?? shapes[0]!;
    gradient = run(backend, foldProgram(shapes[step]!), [gradient, scale], [ints(top!, left!, paddedHeight!, paddedWidth!, reflect!)]);
    kernels.adopt(gradient);
    if (step > 0 && scale === sigma) scale = kernels.make([1], Float32Array.of(1));
  }
  return kernels.finish(gradient);
}

/** dW = Conv2DBackpropFilter(x, dy) / σ − (Σ dy·(y − b) / σ)·v·uᵀ (the cpu kernel's σ term, rearranged). */
function runConvParamGrad(backend: WebGpuBackendLike, inputs: NamedTensorInfoMap, attrs: ConvAttrs): TensorInfo {
  const kernels = createKernelRunner(backend, 'webgpu');
  const weight = inputs.W!;
  const padded = applyPads(kernels, inputs.x!, attrs.pads);
  const dW = kernels.run('Conv2DBackpropFilter', { x: padded, dy: inputs.dy! }, { ...convKernelAttrs(attrs.stride), filterShape: weight.shape });
  if (!attrs.spectral) return kernels.finish(dW);
  const sigma = sigmaOf(backend, kernels, inputs, attrs);
  const dy = inputs.dy!;
  const channels = weight.shape[3]!;
  const dotProgram = groupProgram('gensegOutputDot', ['dy', 'y', 'b'], [1], 1, 'total : i32, channels : i32,', `
        var sum = 0.0;
        for (var i = lid; i < uniforms.total; i = i + ${workgroupSize}) {
          sum = sum + dy[i] * (y[i] - b[i % uniforms.channels]);
        }
        let product = reduceSum(sum);
        if (valid && lid == 0) { result[0] = product; }`);
  const dot = run(backend, dotProgram, [dy, inputs.y!, inputs.b!], [ints(1, util.sizeFromShape(dy.shape), channels)]);
  kernels.adopt(dot);
  const epilogue = elementwiseProgram('gensegSpectralFilterGrad', ['d', 's', 'product', 'u', 'v'], weight.shape, 'channels : i32,', `
          let o = index % uniforms.channels;
          let r = index / uniforms.channels;
          result[index] = d[index] / s[0] - (product[0] / s[0]) * v[r] * u[o];`);
  const out = run(backend, epilogue, [dW, sigma, dot, inputs.u!, inputs.v!], [ints(channels)]);
  return kernels.finish(out);
}

// ---------------------------------------------------------------------------------------------------------------
// Registration.

/** Registers the fused kernels on the webgpu backend (once), and their gradients. */
export function registerWebGpuFusedKernels(): void {
  const backendName = 'webgpu';
  if (getKernel(fusedKernelNames.conv, backendName) != null) return;
  requireKernels(backendName, ['Conv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter', 'MirrorPad', 'PadV2']);
  const register = (kernelName: string, body: (backend: WebGpuBackendLike, inputs: NamedTensorInfoMap, attrs: NamedAttrMap) => TensorInfo | TensorInfo[]): void => {
    registerKernel({ kernelName, backendName, kernelFunc: ({ inputs, backend, attrs }) => body(backend as WebGpuBackendLike, inputs, attrs ?? {}) });
  };
  register(fusedKernelNames.amsGrad, (backend, inputs, attrs) => runAmsGrad(backend, inputs, attrs as unknown as AmsGradAttrs));
  register(fusedKernelNames.instanceNormAct, (backend, inputs, attrs) => runNormAct(backend, inputs, attrs as unknown as NormActAttrs));
  register(fusedKernelNames.layerNormAct, (backend, inputs, attrs) => runNormAct(backend, inputs, attrs as unknown as NormActAttrs));
  register(fusedKernelNames.normActGrad, (backend, inputs, attrs) => runNormActGrad(backend, inputs, attrs as unknown as NormActAttrs));
  register(fusedKernelNames.powerIteration, (backend, inputs) => runPowerIteration(backend, inputs));
  register(fusedKernelNames.convInputGrad, (backend, inputs, attrs) => runConvInputGrad(backend, inputs, readConvAttrs(attrs)));
  register(fusedKernelNames.convParamGrad, (backend, inputs, attrs) => runConvParamGrad(backend, inputs, readConvAttrs(attrs)));
  register(fusedKernelNames.convPlain, (backend, inputs, attrs) => runConv(backend, inputs, { ...readConvAttrs(attrs), spectral: false }));
  // Last: the layers take the fused conv path once GenSegConv is registered.
  register(fusedKernelNames.conv, (backend, inputs, attrs) => runConv(backend, inputs, { ...readConvAttrs(attrs), spectral: true }));
  registerFusedGradients();
}
