/**
 * Identity that shares its input's buffer (one more reference) instead of copying it, as the cpu backend's does.
 * The engine clones every tensor it saves for backprop, so wasm's copying Identity ran about 15,000 copies per GenSeg
 * training step. tfjs buffers are never written in place (variables change by taking a new buffer), so sharing is
 * safe; wasm kernels that copy-then-write call their own identity function directly, not this registered kernel.
 */
import { getKernel, Identity, registerKernel, unregisterKernel, type KernelBackend, type TensorInfo } from '@tensorflow/tfjs-core';

export function registerAliasingIdentityKernel(backendName: string): void {
  if (getKernel(Identity, backendName) != null) unregisterKernel(Identity, backendName);
  registerKernel({
    kernelName: Identity,
    backendName,
    kernelFunc: ({ inputs, backend }) => {
      const x = inputs.x as TensorInfo;
      (backend as KernelBackend).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    }
  });
}
