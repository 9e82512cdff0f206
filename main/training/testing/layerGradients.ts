import { tf, type Scalar, type Tensor, type Tensor4D, type Variable } from '../tf';

/**
 * For kernel tests: the value of sum(layer(x) · r) and its gradients with respect to x and each of `variables`, as
 * tensors the caller disposes.
 */
export function layerValueAndGradients(layer: (x: Tensor4D) => Tensor4D, x: Tensor, r: Tensor, variables: Variable[]): Tensor[] {
  const loss = (input: Tensor): Scalar => tf.sum(tf.mul(layer(input as Tensor4D), r));
  return tf.tidy(() => {
    const value = loss(x);
    const dx = tf.grad(loss)(x);
    if (variables.length === 0) return [value, dx];
    const { grads } = tf.variableGrads(() => loss(x), variables);
    return [value, dx, ...variables.map((v) => grads[v.name]!)];
  });
}
