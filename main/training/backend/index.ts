export { selectBackend, activateBackend, defaultBackendOrder } from './selectBackend';
export type { BackendCandidate, BackendChoice } from './selectBackend';
export { registerConv2dBackpropFilterKernel } from './conv2dBackpropFilterKernel';
