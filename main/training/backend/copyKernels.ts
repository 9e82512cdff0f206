/**
 * Slice, SplitV and Concat for the wasm backend, with copies in runs as long as the layout allows.
 *
 * wasm's own versions copy one innermost row at a time with `subarray` + `set`, even when the slice keeps whole trailing
 * axes or the row is a handful of values: slicing [8,50,50,8] to [8,48,50,8] (a reflect pad's gradient) made 19,200
 * calls of 8 values each, and concatenating a 1-channel skip onto 8 channels 36,864 calls. Profiled on a GenSeg step
 * (cpu preset, 48x48, batch 8) these three kernels took about a tenth of the step. Here the trailing axes a slice keeps
 * whole are merged into one run, and short runs are copied by a plain loop. Strings go to the backend's own kernels.
 */
import {
  backend_util,
  Concat,
  getKernel,
  registerKernel,
  Slice,
  slice_util,
  SplitV,
  unregisterKernel,
  util,
  type ConcatAttrs,
  type KernelConfig,
  type KernelFunc,
  type SliceAttrs,
  type SplitVAttrs,
  type TensorInfo
} from '@tensorflow/tfjs-core';

type Values = Float32Array | Int32Array | Uint8Array;

/** What these kernels use of the wasm backend: outputs allocated on its heap and views of a tensor's values. */
interface HeapBackend {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Values;
}

/** Runs shorter than this are copied by a loop: `subarray` + `set` costs more than a few values' copy (not tuned). */
const shortRun = 24;

function copyRun(source: Values, from: number, target: Values, to: number, length: number): void {
  if (length >= shortRun) {
    target.set(source.subarray(from, from + length), to);
    return;
  }
  for (let i = 0; i < length; i++) target[to + i] = source[from + i]!;
}

/**
 * Copies the box `begin`/`size` of a row-major array of `shape` into `target` from `offset` on, as consecutive values.
 * Trailing axes taken whole are merged with the last partial one, so each copy moves one run of that length.
 */
export function copyBox(
  source: Values,
  shape: number[],
  begin: number[],
  size: number[],
  target: Values,
  offset: number
): void {
  const rank = shape.length;
  if (rank === 0) {
    target[offset] = source[0]!;
    return;
  }
  const strides = new Array<number>(rank);
  strides[rank - 1] = 1;
  for (let axis = rank - 2; axis >= 0; axis--) strides[axis] = strides[axis + 1]! * shape[axis + 1]!;
  // The run: the last axis, extended outwards over axes the box covers whole.
  let runAxis = rank - 1;
  let run = size[runAxis]!;
  while (runAxis > 0 && size[runAxis] === shape[runAxis]) {
    runAxis -= 1;
    run *= size[runAxis]!;
  }
  if (run === 0) return;
  let start = 0;
  for (let axis = 0; axis < rank; axis++) start += begin[axis]! * strides[axis]!;
  // An odometer over the axes before the run.
  const index = new Array<number>(runAxis).fill(0);
  let from = start;
  let to = offset;
  for (;;) {
    copyRun(source, from, target, to, run);
    to += run;
    let axis = runAxis - 1;
    while (axis >= 0) {
      index[axis]! += 1;
      from += strides[axis]!;
      if (index[axis]! < size[axis]!) break;
      from -= size[axis]! * strides[axis]!;
      index[axis] = 0;
      axis -= 1;
    }
    if (axis < 0) return;
  }
}

function sliceOnHeap(x: TensorInfo, begin: number[], size: number[], backend: HeapBackend): TensorInfo {
  const out = backend.makeOutput(size, x.dtype);
  if (util.sizeFromShape(size) === 0) return out;
  copyBox(backend.typedArrayFromHeap(x), x.shape, begin, size, backend.typedArrayFromHeap(out), 0);
  return out;
}

function replaceKernel(
  kernelName: string,
  backendName: string,
  kernelFunc: (fallback: KernelFunc) => KernelFunc
): void {
  const own = getKernel(kernelName, backendName);
  if (!own) throw new Error(`backend ${backendName} lacks ${kernelName}`);
  unregisterKernel(kernelName, backendName);
  const config: KernelConfig = { kernelName, backendName, kernelFunc: kernelFunc(own.kernelFunc) };
  registerKernel(config);
}

/** Replaces the backend's Slice, SplitV and Concat (call once per backend). */
export function registerCopyKernels(backendName: string): void {
  replaceKernel(Slice, backendName, (fallback) => (args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype === 'string') return fallback(args);
    const attrs = args.attrs as unknown as SliceAttrs;
    const [begin, size] = slice_util.parseSliceParams(x, attrs.begin, attrs.size);
    return sliceOnHeap(x, begin, size, args.backend as unknown as HeapBackend);
  });
  replaceKernel(SplitV, backendName, (fallback) => (args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype === 'string') return fallback(args);
    const { numOrSizeSplits, axis } = args.attrs as unknown as SplitVAttrs;
    const splitAxis = util.parseAxisParam(axis, x.shape)[0]!;
    const sizes = backend_util.prepareSplitSize(x, numOrSizeSplits, splitAxis);
    const begin = new Array<number>(x.shape.length).fill(0);
    return sizes.map((part) => {
      const size = [...x.shape];
      size[splitAxis] = part;
      const out = sliceOnHeap(x, [...begin], size, args.backend as unknown as HeapBackend);
      begin[splitAxis]! += part;
      return out;
    });
  });
  replaceKernel(Concat, backendName, (fallback) => (args) => {
    const inputs = args.inputs as unknown as TensorInfo[];
    const present = inputs.filter((input) => util.sizeFromShape(input.shape) > 0);
    if (present.length < 2 || present[0]!.dtype === 'string') return fallback(args);
    const { axis: axisAttr } = args.attrs as unknown as ConcatAttrs;
    const axis = util.parseAxisParam(axisAttr, present[0]!.shape)[0]!;
    backend_util.assertParamsConsistent(
      present.map((input) => input.shape),
      axis
    );
    const backend = args.backend as unknown as HeapBackend;
    const out = backend.makeOutput(
      backend_util.computeOutShape(
        present.map((input) => input.shape),
        axis
      ),
      present[0]!.dtype
    );
    const target = backend.typedArrayFromHeap(out);
    // Each input is [outer, inner_i]; the output interleaves their rows.
    const outer = util.sizeFromShape(present[0]!.shape.slice(0, axis));
    const inners = present.map((input) => util.sizeFromShape(input.shape.slice(axis)));
    const rowLength = inners.reduce((sum, inner) => sum + inner, 0);
    let column = 0;
    present.forEach((input, which) => {
      const inner = inners[which]!;
      const source = backend.typedArrayFromHeap(input);
      for (let row = 0; row < outer; row++) copyRun(source, row * inner, target, row * rowLength + column, inner);
      column += inner;
    });
    return out;
  });
}
