import { beforeAll, describe, expect, it } from 'vitest';
import { activateBackend } from '../backend/selectBackend';
import { tf, type Tensor, type Variable } from '../tf';
import { AmsGrad } from './amsGrad';

// Reference: torch 1.13 Adam(lr=1e-2, betas=(0.5, 0.999), eps=1e-8, weight_decay=1e-4, amsgrad=True), gradients
// set by hand and set to None for q in step 2 (values printed by torch, 9 significant digits).
const expectedP = [
  [0.49000001, -0.99000001, 1.99000001],
  [0.49745059, -0.989993751, 1.98528087],
  [0.495464623, -0.996587038, 1.99248803]
];
const expectedQ = [
  [0.99000001, -1.99000001],
  [0.99000001, -1.99000001],
  [0.996322632, -1.989995]
];

describe('AMSGrad', () => {
  beforeAll(async () => {
    await activateBackend('cpu');
  });

  it('matches torch Adam(amsgrad) with coupled weight decay, and skips parameters without a gradient', () => {
    const p = tf.variable(tf.tensor([0.5, -1.0, 2.0]));
    const q = tf.variable(tf.tensor([1.0, -2.0]));
    const optimizer = new AmsGrad({ learningRate: 1e-2, beta1: 0.5, beta2: 0.999, epsilon: 1e-8, weightDecay: 1e-4 });
    const gradientsP = [[0.1, -0.2, 0.3], [-0.3, 0.1, 0.0], [0.2, 0.2, -0.5]];
    const gradientsQ = [[0.5, -0.5], null, [-1.0, 0.25]];
    for (let step = 0; step < 3; step++) {
      const gradients = new Map<Variable, Tensor>([[p, tf.tensor(gradientsP[step]!)]]);
      const gq = gradientsQ[step];
      if (gq) gradients.set(q, tf.tensor(gq));
      optimizer.applyGradients(gradients);
      tf.dispose([...gradients.values()]);
      expectClose(p.dataSync(), expectedP[step]!);
      expectClose(q.dataSync(), expectedQ[step]!);
    }
    // q skipped step 2, so its own step count is 2, as torch's per-parameter state['step'].
    expect(optimizer.slots.get(q)!.step).toBe(2);
    optimizer.dispose();
    tf.dispose([p, q]);
  });
});

function expectClose(actual: ArrayLike<number>, expected: number[]): void {
  expected.forEach((value, i) => expect(Math.abs(actual[i]! - value)).toBeLessThan(2e-6));
}
