/**
 * End-to-end finite-difference check: the gradient of a tiny GenSeg generator loss with respect to sampled weights of
 * each network matches central differences (prediction mode, so spectral norm's vectors stay fixed between calls).
 * Runs on wasm, so the composed Conv2DBackpropFilter kernel is checked inside a whole network too.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { activateBackend } from '../backend/selectBackend';
import { tf, type Scalar, type Variable } from '../tf';
import { createSyntheticBatch } from '../testing/syntheticBatch';
import { runGenerator } from './forward';
import { createGenSegNetworks } from './networks';
import { computeGeneratorTerms, sumTerms } from './objectives';
import { createGenSegConfig } from './presets';
import { Random } from '../../common';

// Unit weights keep the loss near 1, where float32 differences resolve small gradients.
const unitWeights = { adversarial: 1, imageIdentity: 1, cycle: 1, latentIdentity: 1, segmentation: 1 };

describe('GenSeg generator loss gradient', () => {
  beforeAll(async () => {
    await activateBackend('wasm');
  });

  it('matches finite differences for weights of every generator network', () => {
    const geometry = { height: 32, width: 32, channels: 1 };
    const config = createGenSegConfig({ preset: 'tiny', family: 'mnist48', widthFactor: 1 / 16, ...geometry, losses: unitWeights });
    const networks = createGenSegNetworks(config, 21);
    const batch = createSyntheticBatch({ count: 2, ...geometry, seed: 3 });
    const imagesA = tf.tensor4d(batch.imagesA, [2, 32, 32, 1]);
    const imagesB = tf.tensor4d(batch.imagesB, [2, 32, 32, 1]);
    const masks = tf.tensor4d(batch.masksA, [2, 32, 32, 1]);
    const weights = tf.ones([2, 1, 1, 1]) as tf.Tensor4D;
    const randomState = networks.random.getState();
    const loss = (): Scalar => {
      networks.random.setState(randomState); // the same sampled unique code in every evaluation
      const context = { training: false };
      const outputs = runGenerator(networks, imagesA, imagesB, context);
      const labels = { count: 2, masks, weights };
      return sumTerms(computeGeneratorTerms(networks, imagesA, imagesB, outputs, labels, context));
    };
    const picks = ['encoder/block2/conv/weight', 'decoderCommon/block1/conv/weight', 'decoderResidual/outConv1/conv/weight', 'decoderResidual/block1/norm/mode1/gamma'];
    const random = new Random(8);
    const analyticValues: number[] = [];
    const numericValues: number[] = [];
    for (const path of picks) {
      const variable = networks.registry.entries.find((entry) => entry.path === path)!.variable;
      const { grads } = tf.variableGrads(loss, [variable]);
      const analytic = grads[variable.name]!.dataSync();
      tf.dispose(grads);
      for (let s = 0; s < 3; s++) {
        const index = Math.floor(random.next() * variable.size);
        const numeric = centralDifference(variable, index, loss);
        // ReLU and |x| kinks make single differences of a deep network noisy by a few percent: bound each loosely...
        expect(Math.abs(analytic[index]! - numeric), `${path}[${index}] ${analytic[index]} vs ${numeric}`).toBeLessThan(
          5e-3 + 0.2 * Math.abs(numeric)
        );
        analyticValues.push(analytic[index]!);
        numericValues.push(numeric);
      }
    }
    // ...and all of them together tightly.
    expect(computeCosine(analyticValues, numericValues)).toBeGreaterThan(0.995);
    tf.dispose([imagesA, imagesB, masks, weights]);
    networks.registry.dispose();
  });
});

function centralDifference(variable: Variable, index: number, loss: () => Scalar): number {
  const original = variable.dataSync().slice();
  // Small enough not to cross many ReLU / |x| kinks, large enough for float32 round-off on a loss of order 100.
  const epsilon = 5e-4;
  const evaluateWith = (delta: number): number => {
    const values = original.slice();
    values[index] += delta;
    tf.tidy(() => variable.assign(tf.tensor(values, variable.shape)));
    return tf.tidy(() => loss().dataSync()[0]!);
  };
  const result = (evaluateWith(epsilon) - evaluateWith(-epsilon)) / (2 * epsilon);
  tf.tidy(() => variable.assign(tf.tensor(original, variable.shape)));
  return result;
}

function computeCosine(a: number[], b: number[]): number {
  const dot = a.reduce((sum, value, i) => sum + value * b[i]!, 0);
  const norm = (v: number[]): number => Math.sqrt(v.reduce((sum, value) => sum + value * value, 0));
  return dot / (norm(a) * norm(b));
}
