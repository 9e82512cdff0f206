/**
 * Runs a backend's own kernels on TensorInfos from inside another kernel, and frees the intermediates afterwards.
 * Each kernel output holds one reference (reshapes alias their input with an extra reference), so every intermediate
 * is released exactly once, except the one returned.
 */
import { getKernel, type KernelBackend, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs-core';

export interface KernelRunner {
  run(name: string, inputs: NamedTensorInfoMap, attrs?: NamedAttrMap): TensorInfo;
  /** Makes a tensor from values, freed with the other intermediates. */
  make(shape: number[], values: Float32Array): TensorInfo;
  /** Frees `info` with the other intermediates (an output the kernel made itself, e.g. a WebGPU program's). */
  adopt(info: TensorInfo): TensorInfo;
  /** Frees every intermediate except `result`, and returns it. */
  finish(result: TensorInfo): TensorInfo;
}

/** Time and calls of the kernels run inside other kernels, by name (tf.profile sees only the outer kernel). */
export type InnerKernelProfile = Map<string, { calls: number; ms: number }>;

let innerProfile: InnerKernelProfile | null = null;

/** Starts recording inner kernels into a new profile (the bench's breakdown), or stops with `false`; returns it. */
export function recordInnerKernels(enabled: boolean): InnerKernelProfile | null {
  innerProfile = enabled ? new Map() : null;
  return innerProfile;
}

export function createKernelRunner(backend: KernelBackend, backendName: string): KernelRunner {
  const temporaries: TensorInfo[] = [];
  return {
    run(name, inputs, attrs = {}) {
      const kernel = getKernel(name, backendName);
      if (!kernel) throw new Error(`kernel ${name} is not registered for ${backendName}`);
      const start = innerProfile ? performance.now() : 0;
      const out = kernel.kernelFunc({ inputs, backend, attrs }) as TensorInfo;
      if (innerProfile) {
        const entry = innerProfile.get(name) ?? { calls: 0, ms: 0 };
        entry.calls += 1;
        entry.ms += performance.now() - start;
        innerProfile.set(name, entry);
      }
      temporaries.push(out);
      return out;
    },
    make(shape, values) {
      const info: TensorInfo = { dataId: backend.write(values, shape, 'float32'), shape, dtype: 'float32' };
      temporaries.push(info);
      return info;
    },
    adopt(info) {
      temporaries.push(info);
      return info;
    },
    finish(result) {
      for (const info of temporaries) if (info !== result) backend.disposeData(info.dataId);
      return result;
    }
  };
}

export function requireKernels(backendName: string, names: string[]): void {
  const missing = names.filter((name) => getKernel(name, backendName) == null);
  if (missing.length > 0) throw new Error(`backend ${backendName} lacks ${missing.join(', ')}`);
}
