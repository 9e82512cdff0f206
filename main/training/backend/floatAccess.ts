/**
 * Direct access to float32 tensor values for kernels written in JavaScript on the two CPU backends: wasm (views of its
 * heap) and cpu (its stored arrays). Allocate every output before taking views: a wasm heap that grows detaches
 * (unthreaded build) or outdates (threaded build) the views taken before.
 */
import { util, type KernelBackend, type TensorInfo } from '@tensorflow/tfjs-core';

interface WasmLike {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
}

interface CpuLike {
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
  readSync(dataId: object): Float32Array;
}

export interface FloatAccess {
  /** A new float32 tensor of `shape` (zeros on cpu, uninitialised on wasm: write every value). */
  allocate(shape: number[]): TensorInfo;
  /** The values of a float32 tensor, without a copy. */
  view(info: TensorInfo): Float32Array;
}

export function accessFloats(backend: KernelBackend): FloatAccess {
  const wasm = backend as unknown as Partial<WasmLike>;
  if (typeof wasm.makeOutput === 'function' && typeof wasm.typedArrayFromHeap === 'function') {
    return {
      allocate: (shape) => wasm.makeOutput!(shape, 'float32'),
      view: (info) => checkFloat(info) && wasm.typedArrayFromHeap!(info)
    };
  }
  const cpu = backend as unknown as CpuLike;
  return {
    allocate: (shape) => cpu.makeTensorInfo(shape, 'float32', new Float32Array(util.sizeFromShape(shape))),
    view: (info) => checkFloat(info) && cpu.readSync(info.dataId)
  };
}

function checkFloat(info: TensorInfo): true {
  if (info.dtype !== 'float32') throw new Error(`expected a float32 tensor, got ${info.dtype}`);
  return true;
}
