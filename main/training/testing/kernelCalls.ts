/**
 * Records the kernels a piece of training code runs (name, input shapes and dtypes, attributes), and replays one such
 * call on the active backend with given inputs: how the backend tests check every kernel a model uses, at the shapes
 * and attributes the model uses them, without a hand-kept list.
 */
import { tf, type Tensor } from '../tf';

export interface KernelInputSpec {
  name: string;
  shape: number[];
  dtype: tf.DataType;
}

export interface KernelCall {
  name: string;
  inputs: KernelInputSpec[];
  attrs: Record<string, unknown>;
  /** The kernel takes a list of tensors (Concat, AddN), not named ones. */
  listInput: boolean;
  /** name + inputs + attributes: equal keys are the same computation on inputs of the same kind. */
  key: string;
}

type RunKernel = (name: string, inputs: Record<string, Tensor>, attrs?: Record<string, unknown>) => Tensor | Tensor[];

/** Runs `body` and returns every distinct kernel call it made through the engine, in first-seen order. */
export async function recordKernelCalls(body: () => Promise<void>): Promise<KernelCall[]> {
  const engine = tf.engine() as unknown as { runKernel: RunKernel };
  const original = engine.runKernel;
  const calls = new Map<string, KernelCall>();
  engine.runKernel = function (this: unknown, name, inputs, attrs = {}) {
    const specs = Object.entries(inputs)
      .filter(([, tensor]) => tensor !== null && tensor !== undefined)
      .map(([inputName, tensor]) => ({ name: inputName, shape: [...tensor.shape], dtype: tensor.dtype }));
    const plainAttrs = JSON.parse(JSON.stringify(attrs ?? {})) as Record<string, unknown>;
    const key = JSON.stringify([name, specs, plainAttrs]);
    const listInput = Array.isArray(inputs);
    if (!calls.has(key)) calls.set(key, { name, inputs: specs, attrs: plainAttrs, listInput, key });
    return original.call(this, name, inputs, attrs);
  } as RunKernel;
  try {
    await body();
  } finally {
    engine.runKernel = original;
  }
  return [...calls.values()];
}

/** Runs one recorded kernel call on the active backend with these inputs (tensors by input name). */
export function runKernelCall(call: KernelCall, inputs: Record<string, Tensor>): Tensor[] {
  const engine = tf.engine() as unknown as { runKernel: RunKernel };
  const given = call.listInput ? (call.inputs.map((spec) => inputs[spec.name]) as unknown as Record<string, Tensor>) : inputs;
  const result = engine.runKernel(call.name, given, structuredClone(call.attrs));
  return Array.isArray(result) ? result : [result];
}

/** Inputs that must be positive for the kernel to be well defined or well conditioned (a divisor, a square root). */
const positiveInputs: Record<string, string[]> = {
  Sqrt: ['x'],
  Rsqrt: ['x'],
  Log: ['x'],
  Reciprocal: ['x'],
  RealDiv: ['b'],
  Pow: ['a'],
  // Reductions of signed values can cancel to nearly nothing, which would turn rounding into a large relative error.
  Sum: ['x'],
  Mean: ['x']
};

/**
 * Deterministic input values for a recorded call, as plain arrays (so each backend builds its own tensors): uniform in
 * [-1, 1] (in [0.25, 1.25] where the kernel needs positive values), 0/1 for bool, small integers for int32.
 */
export function inputValuesFor(call: KernelCall, seed: number): Float32Array[] {
  return call.inputs.map((spec, index) => {
    const size = spec.shape.reduce((product, side) => product * side, 1);
    const values = new Float32Array(size);
    let state = (seed * 7919 + index * 104729 + 1) >>> 0;
    const positive = positiveInputs[call.name]?.includes(spec.name) ?? false;
    for (let i = 0; i < size; i++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      const uniform = state / 4294967296;
      if (spec.dtype === 'bool') values[i] = uniform < 0.5 ? 0 : 1;
      else if (spec.dtype === 'int32') values[i] = Math.floor(uniform * 7) - 3;
      else values[i] = positive ? 0.25 + uniform : uniform * 2 - 1;
    }
    return values;
  });
}

/** The inputs of a call as tensors on the active backend. */
export function tensorsFor(call: KernelCall, values: Float32Array[]): Record<string, Tensor> {
  return Object.fromEntries(
    call.inputs.map((spec, index) => [spec.name, tf.tensor(values[index]!, spec.shape, spec.dtype)])
  );
}

/**
 * How far `actual` is from `expected`, relative to the expected values' scale: max |a − e| / max |e| (the scale
 * floored at 1e-6). NaN where the lengths differ or a value is not finite in one and finite in the other.
 */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Number.NaN;
  let difference = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isFinite(a) !== Number.isFinite(e)) return Number.NaN;
    if (!Number.isFinite(e)) continue;
    difference = Math.max(difference, Math.abs(a - e));
    scale = Math.max(scale, Math.abs(e));
  }
  return difference / Math.max(scale, 1e-6);
}
