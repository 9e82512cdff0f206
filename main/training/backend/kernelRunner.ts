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
  /** Frees every intermediate except `result`, and returns it. */
  finish(result: TensorInfo): TensorInfo;
}

export function createKernelRunner(backend: KernelBackend, backendName: string): KernelRunner {
  const temporaries: TensorInfo[] = [];
  return {
    run(name, inputs, attrs = {}) {
      const kernel = getKernel(name, backendName);
      if (!kernel) throw new Error(`kernel ${name} is not registered for ${backendName}`);
      const out = kernel.kernelFunc({ inputs, backend, attrs }) as TensorInfo;
      temporaries.push(out);
      return out;
    },
    make(shape, values) {
      const info: TensorInfo = { dataId: backend.write(values, shape, 'float32'), shape, dtype: 'float32' };
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
