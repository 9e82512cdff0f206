/**
 * The one import of TensorFlow.js for training code. tfjs-core alone ships no gradient functions: the umbrella
 * `@tensorflow/tfjs` package registers them, and this project depends on core only, so they are registered here.
 */
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';

export { tf };
export type { Tensor, Tensor1D, Tensor2D, Tensor3D, Tensor4D, Variable, Scalar } from '@tensorflow/tfjs-core';
