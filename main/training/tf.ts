/**
 * The one import of TensorFlow.js for training code.
 *
 * tfjs-core ships no gradient functions in its Node (CommonJS) bundle; the umbrella `@tensorflow/tfjs` registers them
 * and this project depends on core only, so they come from core's ES-module build. Under plain Node that build is a
 * second copy of core (the registries and the engine are global and shared, tensors are duck-typed), and its gradient
 * functions call its own ops, so its index must be loaded too: otherwise its tensors have no op handler and
 * `dy.clone()` fails inside backprop. Bundlers resolve both imports to the same ES build, where this is a no-op.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/index.js';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';

export { tf };
export type { Tensor, Tensor1D, Tensor2D, Tensor3D, Tensor4D, Variable, Scalar } from '@tensorflow/tfjs-core';
