/**
 * A faster Conv2DBackpropInput for wasm, whose own kernel is a plain loop about five times slower than its Conv2D
 * (profile of a GenSeg step: 3.3 s of 7.3 s). The input gradient is a transposed convolution, run on the backend's
 * fast Conv2D: for stride 1, dy padded by k−1−pad correlated with the filter flipped in space, in/out channels
 * swapped; for larger strides, one such correlation per output phase with its sub-filter, then an interleave.
 */
import {
  backend_util,
  Conv2DBackpropInput,
  registerKernel,
  unregisterKernel,
  getKernel,
  type Conv2DBackpropInputAttrs,
  type KernelBackend,
  type NamedTensorInfoMap,
  type TensorInfo
} from '@tensorflow/tfjs-core';
import { getDerivedFilters } from './derivedFilterCache';
import { createKernelRunner, requireKernels, type KernelRunner } from './kernelRunner';

/** Replaces `backendName`'s Conv2DBackpropInput with the composed one. */
export function registerConv2dBackpropInputKernel(backendName: string): void {
  requireKernels(backendName, ['PadV2', 'Transpose', 'Conv2D', 'Slice', 'Reverse', 'Concat', 'Reshape', 'Fill']);
  const original = getKernel(Conv2DBackpropInput, backendName);
  if (original != null) unregisterKernel(Conv2DBackpropInput, backendName);
  registerKernel({
    kernelName: Conv2DBackpropInput,
    backendName,
    kernelFunc: (args) => {
      const attrs = args.attrs as unknown as Conv2DBackpropInputAttrs;
      const strides = typeof attrs.strides === 'number' ? [attrs.strides, attrs.strides] : attrs.strides;
      // Unequal strides cannot use DepthToSpace; the backend's own kernel handles them.
      if (strides[0] !== strides[1] && original) return original.kernelFunc(args);
      return computeInputGradient(args.inputs, args.backend as KernelBackend, attrs, backendName);
    }
  });
}

function computeInputGradient(
  inputs: NamedTensorInfoMap,
  backend: KernelBackend,
  attrs: Conv2DBackpropInputAttrs,
  backendName: string
): TensorInfo {
  const dy = inputs.dy!;
  const filter = inputs.filter!;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs;
  if (backend_util.convertConv2DDataFormat(dataFormat) !== 'channelsLast') throw new Error('Conv2DBackpropInput: only NHWC is supported');
  const filterShape = filter.shape as [number, number, number, number];
  const info = backend_util.computeConv2DInfo(inputShape, filterShape, strides, 1, pad, dimRoundingMode);
  const kernels = createKernelRunner(backend, backendName);
  if (info.strideHeight > 1) return kernels.finish(computeStridedInputGradient(kernels, backend, dy, filter, info));
  const [, dyHeight, dyWidth] = dy.shape as [number, number, number, number];
  const { filterHeight, filterWidth, inHeight, inWidth } = info;
  const before = [filterHeight - 1 - info.padInfo.top, filterWidth - 1 - info.padInfo.left];
  const after = [inHeight + filterHeight - 1 - dyHeight - before[0]!, inWidth + filterWidth - 1 - dyWidth - before[1]!];
  const padded = padOrCrop(kernels, dy, before as [number, number], after as [number, number]);
  const [swapped] = getDerivedFilters(backend, filter.dataId, 'flipped', () => {
    const builder = createKernelRunner(backend, backendName);
    const flipped = builder.run('Reverse', { x: filter }, { dims: [0, 1] });
    return [builder.finish(builder.run('Transpose', { x: flipped }, { perm: [0, 1, 3, 2] }))];
  });
  const dx = kernels.run('Conv2D', { x: padded, filter: swapped }, { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1] });
  return kernels.finish(dx);
}

/**
 * Strided case, by phases instead of zero insertion (which wastes (s²−1)/s² of the MACs): output rows a = t·s + q
 * only meet filter taps i ≡ q + padTop (mod s), so each of the s² output phases is a stride-1 correlation of dy with
 * its flipped sub-filter (built on the JS side; filters are small). The phases are stacked on the channel axis and
 * interleaved by one 4-D transpose (wasm's DepthToSpace and a 6-D transpose were 20-50× slower in a micro-benchmark).
 */
function computeStridedInputGradient(
  kernels: KernelRunner,
  backend: KernelBackend,
  dy: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo
): TensorInfo {
  const { strideHeight: stride, inHeight, inWidth, batchSize, inChannels } = info;
  const tilesHigh = Math.ceil(inHeight / stride);
  const tilesWide = Math.ceil(inWidth / stride);
  const layouts: [PhaseAxis, PhaseAxis][] = [];
  for (let qh = 0; qh < stride; qh++) {
    for (let qw = 0; qw < stride; qw++) {
      layouts.push([describePhase(qh, info.padInfo.top, stride, info.filterHeight), describePhase(qw, info.padInfo.left, stride, info.filterWidth)]);
    }
  }
  const tag = `phases ${stride} ${info.padInfo.top} ${info.padInfo.left}`;
  const subFilters = getDerivedFilters(backend, filter.dataId, tag, () => {
    const weights = backend.readSync(filter.dataId) as Float32Array;
    return layouts.map(([rows, columns]) => {
      // Phases without taps get a one-value placeholder (never convolved) so the list stays aligned.
      const empty = rows.taps * columns.taps === 0;
      const shape = empty ? [1, 1, 1, 1] : [rows.taps, columns.taps, info.outChannels, info.inChannels];
      const values = empty ? new Float32Array(1) : buildSubFilter(weights, info, rows, columns);
      return { dataId: backend.write(values, shape, 'float32'), shape, dtype: 'float32' as const };
    });
  });
  const phases = layouts.map(([rows, columns], index) => computePhase(kernels, dy, subFilters[index]!, info, rows, columns, [tilesHigh, tilesWide]));
  // Phases side by side on the channel axis, ordered (qh, qw, c); Concat takes its inputs as a list.
  const stacked = kernels.run('Concat', phases as unknown as NamedTensorInfoMap, { axis: 3 });
  // [N·Th, Tw, qh, (qw, c)] -> [N·Th, qh, Tw, (qw, c)] = [N, Th·s, Tw·s, C]: a 4-D transpose, fast on wasm.
  const split = kernels.run('Reshape', { x: stacked }, { shape: [batchSize * tilesHigh, tilesWide, stride, stride * inChannels] });
  const interleaved = kernels.run('Transpose', { x: split }, { perm: [0, 2, 1, 3] });
  const merged = kernels.run('Reshape', { x: interleaved }, { shape: [batchSize, tilesHigh * stride, tilesWide * stride, inChannels] });
  if (tilesHigh * stride === inHeight && tilesWide * stride === inWidth) return merged;
  return kernels.run('Slice', { x: merged }, { begin: [0, 0, 0, 0], size: [batchSize, inHeight, inWidth, inChannels] });
}

interface PhaseAxis {
  /** First filter tap of the phase, the spacing of its taps (the stride), and how many there are. */
  firstTap: number;
  stride: number;
  taps: number;
  /** dy index, relative to the output tile, where the correlation window starts (negative: zeros first). */
  start: number;
}

function describePhase(q: number, padBefore: number, stride: number, kernelSize: number): PhaseAxis {
  const firstTap = (q + padBefore) % stride;
  const taps = Math.max(0, Math.ceil((kernelSize - firstTap) / stride));
  return { firstTap, stride, taps, start: Math.floor((q + padBefore) / stride) - (taps - 1) };
}

function computePhase(
  kernels: KernelRunner,
  dy: TensorInfo,
  subFilter: TensorInfo,
  info: backend_util.Conv2DInfo,
  rows: PhaseAxis,
  columns: PhaseAxis,
  [tilesHigh, tilesWide]: [number, number]
): TensorInfo {
  const { batchSize, inChannels } = info;
  if (rows.taps === 0 || columns.taps === 0) {
    return kernels.run('Fill', {}, { shape: [batchSize, tilesHigh, tilesWide, inChannels], value: 0, dtype: 'float32' });
  }
  const [, dyHeight, dyWidth] = dy.shape as [number, number, number, number];
  const window = padOrCrop(
    kernels,
    dy,
    [-rows.start, -columns.start],
    [rows.start + tilesHigh + rows.taps - 1 - dyHeight, columns.start + tilesWide + columns.taps - 1 - dyWidth]
  );
  return kernels.run('Conv2D', { x: window, filter: subFilter }, { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1] });
}

/** sub[jh', jw', o, c] = w[firstTapH + (tapsH−1−jh')·s, firstTapW + (tapsW−1−jw')·s, c, o]: taps flipped, channels swapped. */
function buildSubFilter(weights: Float32Array, info: backend_util.Conv2DInfo, rows: PhaseAxis, columns: PhaseAxis): Float32Array {
  const { filterWidth, inChannels, outChannels } = info;
  const out = new Float32Array(rows.taps * columns.taps * outChannels * inChannels);
  for (let jh = 0; jh < rows.taps; jh++) {
    const tapH = rows.firstTap + (rows.taps - 1 - jh) * rows.stride;
    for (let jw = 0; jw < columns.taps; jw++) {
      const tapW = columns.firstTap + (columns.taps - 1 - jw) * columns.stride;
      for (let c = 0; c < inChannels; c++) {
        const source = ((tapH * filterWidth + tapW) * inChannels + c) * outChannels;
        const target = (jh * columns.taps + jw) * outChannels * inChannels + c;
        for (let o = 0; o < outChannels; o++) out[target + o * inChannels] = weights[source + o]!;
      }
    }
  }
  return out;
}

/** Pads (positive amounts) or crops (negative amounts) the two spatial axes. */
function padOrCrop(kernels: KernelRunner, x: TensorInfo, before: [number, number], after: [number, number]): TensorInfo {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  let out = x;
  if ([...before, ...after].some((amount) => amount < 0)) {
    const cropTop = Math.max(0, -before[0]);
    const cropLeft = Math.max(0, -before[1]);
    const height = h - cropTop - Math.max(0, -after[0]);
    const width = w - cropLeft - Math.max(0, -after[1]);
    out = kernels.run('Slice', { x: out }, { begin: [0, cropTop, cropLeft, 0], size: [n, height, width, c] });
  }
  const paddings = [[0, 0], [Math.max(0, before[0]), Math.max(0, after[0])], [Math.max(0, before[1]), Math.max(0, after[1])], [0, 0]];
  if (paddings.every(([a, b]) => a === 0 && b === 0)) return out;
  return kernels.run('PadV2', { x: out }, { paddings, constantValue: 0 });
}
