export { selectBackend, activateBackend, backendOrderFor, defaultBackendOrder } from './selectBackend';
export type { BackendCandidate, BackendChoice, SelectBackendOptions } from './selectBackend';
export { activeWebGpuAdapter, describeWebGpu } from './webgpuBackend';
export type { WebGpuAdapterDescription } from './webgpuBackend';
export { registerConv2dBackpropFilterKernel } from './conv2dBackpropFilterKernel';
