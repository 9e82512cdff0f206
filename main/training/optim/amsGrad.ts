/**
 * Adam with AMSGrad and coupled (L2) weight decay, step for step as torch.optim.Adam(amsgrad=True, weight_decay=wd):
 * g += wd·p; m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²; v̂ = max(v̂, v);
 * p −= lr/(1−β1^t) · m / (sqrt(v̂)/sqrt(1−β2^t) + ε).
 * A parameter that received no gradient in a step is left alone entirely (no decay, no moment update, its own step
 * count unchanged), as torch does for parameters whose .grad is None.
 */
import { tf, type Tensor, type Variable } from '../tf';
import { fusedKernelNames, hasFusedKernel } from '../backend/fusedLayerKernels';

export interface AmsGradSettings {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
}

export interface AmsGradSlot {
  firstMoment: Variable;
  secondMoment: Variable;
  maxSecondMoment: Variable;
  step: number;
}

export class AmsGrad {
  /** Per-parameter state, created on the parameter's first gradient. */
  readonly slots = new Map<Variable, AmsGradSlot>();

  constructor(readonly settings: AmsGradSettings) {}

  /** Applies one update to each variable present in `gradients`; variables absent from it are untouched. */
  applyGradients(gradients: Map<Variable, Tensor>): void {
    const { learningRate, beta1, beta2, epsilon, weightDecay } = this.settings;
    const fused = hasFusedKernel(fusedKernelNames.amsGrad);
    for (const [variable, gradient] of gradients) {
      const slot = this.slots.get(variable) ?? this.createSlot(variable);
      slot.step += 1;
      if (fused) {
        // One GenSegAmsGrad kernel: the same arithmetic in float32, one engine call instead of fifteen.
        const inputs = { p: variable, g: gradient, m: slot.firstMoment, v: slot.secondMoment, vMax: slot.maxSecondMoment };
        const next = tf.engine().runKernel(fusedKernelNames.amsGrad, inputs, { ...this.settings, step: slot.step }) as Tensor[];
        [variable, slot.firstMoment, slot.secondMoment, slot.maxSecondMoment].forEach((target, i) => target.assign(next[i]!));
        tf.dispose(next);
        continue;
      }
      const stepSize = learningRate / (1 - beta1 ** slot.step);
      const correction2Sqrt = Math.sqrt(1 - beta2 ** slot.step);
      tf.tidy(() => {
        const decayed = weightDecay === 0 ? gradient : tf.add(gradient, tf.mul(variable, weightDecay));
        const m = tf.add(tf.mul(slot.firstMoment, beta1), tf.mul(decayed, 1 - beta1));
        const v = tf.add(tf.mul(slot.secondMoment, beta2), tf.mul(tf.square(decayed), 1 - beta2));
        const vMax = tf.maximum(slot.maxSecondMoment, v);
        const denominator = tf.add(tf.div(tf.sqrt(vMax), correction2Sqrt), epsilon);
        slot.firstMoment.assign(m);
        slot.secondMoment.assign(v);
        slot.maxSecondMoment.assign(vMax);
        variable.assign(tf.sub(variable, tf.mul(tf.div(m, denominator), stepSize)));
      });
    }
  }

  /** Restores or creates a slot (checkpoint loading). */
  setSlot(variable: Variable, values: { first: Float32Array; second: Float32Array; max: Float32Array; step: number }): void {
    const slot = this.slots.get(variable) ?? this.createSlot(variable);
    tf.tidy(() => {
      slot.firstMoment.assign(tf.tensor(values.first, variable.shape));
      slot.secondMoment.assign(tf.tensor(values.second, variable.shape));
      slot.maxSecondMoment.assign(tf.tensor(values.max, variable.shape));
    });
    slot.step = values.step;
  }

  dispose(): void {
    for (const slot of this.slots.values()) {
      slot.firstMoment.dispose();
      slot.secondMoment.dispose();
      slot.maxSecondMoment.dispose();
    }
    this.slots.clear();
  }

  private createSlot(variable: Variable): AmsGradSlot {
    const zeros = (): Variable => {
      const initial = tf.zerosLike(variable);
      const state = tf.variable(initial, false);
      initial.dispose();
      return state;
    };
    const slot = { firstMoment: zeros(), secondMoment: zeros(), maxSecondMoment: zeros(), step: 0 };
    this.slots.set(variable, slot);
    return slot;
  }
}
