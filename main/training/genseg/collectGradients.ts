import type { Tensor, Variable } from '../tf';

/** Gradients by variable; variables the loss did not reach are absent, so the optimizer leaves them alone. */
export function collectGradients(grads: Record<string, Tensor>, variables: Variable[]): Map<Variable, Tensor> {
  const gradients = new Map<Variable, Tensor>();
  for (const variable of variables) {
    const gradient = grads[variable.name];
    if (gradient) gradients.set(variable, gradient);
  }
  return gradients;
}
