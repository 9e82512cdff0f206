/**
 * The one import of TensorFlow.js for training code.
 *
 * tfjs-core's Node (CommonJS) bundle registers no gradient functions, and its ES-module build cannot be loaded by
 * plain Node (extensionless imports) and would be a second copy of core anyway. The umbrella `@tensorflow/tfjs` Node
 * bundle registers all gradients against the same CommonJS core, so it is loaded for that side effect; its other
 * parts (layers, converter) are not used here.
 */
import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';

export { tf };
export type { Tensor, Tensor1D, Tensor2D, Tensor3D, Tensor4D, Variable, Scalar } from '@tensorflow/tfjs-core';
