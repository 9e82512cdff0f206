/**
 * A fixed AMSGrad scenario for kernel tests: three updates of two parameters on the active backend, the second
 * parameter without a gradient in the middle step. Returns p, q and p's first, second and maximum second moments.
 */
import { AmsGrad } from '../optim/amsGrad';
import { tf, type Tensor, type Variable } from '../tf';

export async function runAmsGradSteps(): Promise<{ values: Float32Array[]; stepsOfSkipped: number }> {
  const p = tf.variable(tf.tensor([0.5, -1.0, 2.0, 0.25]));
  const q = tf.variable(tf.tensor([1.0, -2.0]));
  const optimizer = new AmsGrad({ learningRate: 1e-2, beta1: 0.5, beta2: 0.999, epsilon: 1e-8, weightDecay: 1e-4 });
  const gradientsP = [[0.1, -0.2, 0.3, 1e-3], [-0.3, 0.1, 0.0, -2], [0.2, 0.2, -0.5, 0.7]];
  const gradientsQ = [[0.5, -0.5], null, [-1.0, 0.25]];
  for (let step = 0; step < 3; step++) {
    const gradients = new Map<Variable, Tensor>([[p, tf.tensor(gradientsP[step]!)]]);
    if (gradientsQ[step]) gradients.set(q, tf.tensor(gradientsQ[step]!));
    optimizer.applyGradients(gradients);
    tf.dispose([...gradients.values()]);
  }
  const slot = optimizer.slots.get(p)!;
  const values = await Promise.all([p, q, slot.firstMoment, slot.secondMoment, slot.maxSecondMoment].map(async (v) => Float32Array.from(await v.data())));
  const stepsOfSkipped = optimizer.slots.get(q)!.step;
  optimizer.dispose();
  tf.dispose([p, q]);
  return { values, stepsOfSkipped };
}
