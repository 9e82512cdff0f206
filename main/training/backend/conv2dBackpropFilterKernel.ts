/**
 * Conv2DBackpropFilter for backends that lack it (wasm), composed from kernels they do have.
 *
 * The filter gradient is a correlation of the padded input with the output gradient, where the output gradient plays
 * the role of the filter, dilated by the forward stride:
 *   dW[i, j, c, o] = sum over n, y, x of xPadded[n, y*s + i, x*s + j, c] * dy[n, y, x, o].
 * Putting input channels in the batch slot and the batch in the channel slot turns this into one ordinary Conv2D
 * (stride 1, dilation = forward stride), so the heavy work stays in the backend's fast convolution.
 */
import {
  backend_util,
  Conv2DBackpropFilter,
  getKernel,
  registerKernel,
  type Conv2DBackpropFilterAttrs,
  type KernelBackend,
  type NamedTensorInfoMap,
  type TensorInfo
} from '@tensorflow/tfjs-core';
import { createKernelRunner, requireKernels, type KernelRunner } from './kernelRunner';

/** Registers the composed kernel on `backendName` unless that backend already has one; returns whether it did. */
export function registerConv2dBackpropFilterKernel(backendName: string): boolean {
  if (getKernel(Conv2DBackpropFilter, backendName) != null) return false;
  requireKernels(backendName, ['PadV2', 'Transpose', 'Conv2D', 'Slice', 'Reshape', 'BatchMatMul']);
  registerKernel({
    kernelName: Conv2DBackpropFilter,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) =>
      computeFilterGradient(inputs, backend as KernelBackend, attrs as unknown as Conv2DBackpropFilterAttrs, backendName)
  });
  return true;
}

function computeFilterGradient(
  inputs: NamedTensorInfoMap,
  backend: KernelBackend,
  attrs: Conv2DBackpropFilterAttrs,
  backendName: string
): TensorInfo {
  const x = inputs.x!;
  const dy = inputs.dy!;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  if (backend_util.convertConv2DDataFormat(dataFormat) !== 'channelsLast') {
    throw new Error('Conv2DBackpropFilter: only NHWC is supported');
  }
  const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode);
  const kernels = createKernelRunner(backend, backendName);
  const { top, bottom, left, right } = info.padInfo;
  if (filterShape[0] === 1 && filterShape[1] === 1 && top + bottom + left + right === 0) {
    return kernels.finish(computePointwiseFilterGradient(kernels, x, dy, info));
  }
  const padded = kernels.run('PadV2', { x }, { paddings: [[0, 0], [top, bottom], [left, right], [0, 0]], constantValue: 0 });
  // [N, Hp, Wp, Cin] -> [Cin, Hp, Wp, N]: input channels become the batch.
  const input = kernels.run('Transpose', { x: padded }, { perm: [3, 1, 2, 0] });
  // [N, Ho, Wo, Cout] -> [Ho, Wo, N, Cout]: the output gradient becomes the filter.
  const filter = kernels.run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
  const correlated = kernels.run(
    'Conv2D',
    { x: input, filter },
    { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [info.strideHeight, info.strideWidth] }
  );
  const [filterHeight, filterWidth, inChannels, outChannels] = filterShape;
  // The correlation can be larger than the filter when the stride skipped trailing input rows; keep the filter's part.
  const cropped = kernels.run('Slice', { x: correlated }, { begin: [0, 0, 0, 0], size: [inChannels, filterHeight, filterWidth, outChannels] });
  return kernels.finish(kernels.run('Transpose', { x: cropped }, { perm: [1, 2, 0, 3] }));
}

/**
 * x[:, ::sh, ::sw, :] cut to the output's size, by a zero pad to whole strides, a reshape and a slice: wasm's
 * StridedSlice walks element by element, about ten times slower (see genseg/layers/resampling.ts `subsample`).
 */
function subsampleKernels(kernels: KernelRunner, x: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, strideHeight, strideWidth } = info;
  const height = outHeight * strideHeight;
  const width = outWidth * strideWidth;
  let whole = x;
  if (inHeight > height || inWidth > width) {
    whole = kernels.run('Slice', { x: whole }, { begin: [0, 0, 0, 0], size: [batchSize, Math.min(inHeight, height), Math.min(inWidth, width), inChannels] });
  }
  if (inHeight < height || inWidth < width) {
    const paddings = [[0, 0], [0, Math.max(0, height - inHeight)], [0, Math.max(0, width - inWidth)], [0, 0]];
    whole = kernels.run('PadV2', { x: whole }, { paddings, constantValue: 0 });
  }
  const rows = kernels.run('Reshape', { x: whole }, { shape: [batchSize * outHeight, strideHeight, width, inChannels] });
  const firstRows = kernels.run('Slice', { x: rows }, { begin: [0, 0, 0, 0], size: [batchSize * outHeight, 1, width, inChannels] });
  const columns = kernels.run('Reshape', { x: firstRows }, { shape: [batchSize * outHeight, outWidth, strideWidth * inChannels] });
  const firstColumns = kernels.run('Slice', { x: columns }, { begin: [0, 0, 0], size: [batchSize * outHeight, outWidth, inChannels] });
  return kernels.run('Reshape', { x: firstColumns }, { shape: [batchSize, outHeight, outWidth, inChannels] });
}

/**
 * 1×1 filters (shortcuts, skinny skips, classifiers): dW = x^T · dy over every pixel, one BatchMatMul, after taking
 * every stride-th pixel of x.
 */
function computePointwiseFilterGradient(kernels: KernelRunner, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { batchSize, outHeight, outWidth, inChannels, outChannels, strideHeight, strideWidth } = info;
  const sampled = strideHeight > 1 || strideWidth > 1 ? subsampleKernels(kernels, x, info) : x;
  const pixels = batchSize * outHeight * outWidth;
  const a = kernels.run('Reshape', { x: sampled }, { shape: [1, pixels, inChannels] });
  const b = kernels.run('Reshape', { x: dy }, { shape: [1, pixels, outChannels] });
  const product = kernels.run('BatchMatMul', { a, b }, { transposeA: true, transposeB: false });
  return kernels.run('Reshape', { x: product }, { shape: [1, 1, inChannels, outChannels] });
}
