/**
 * Finite-difference checks of the custom layers' gradients: the analytic gradient of sum(layer(x) · r) must match
 * central differences at sampled coordinates.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { activateBackend } from '../../backend/selectBackend';
import { tf, type Scalar, type Tensor, type Tensor4D } from '../../tf';
import { Random } from '../../../common';
import { applyInstanceNorm, applyLayerNorm, createLayerNorm } from './normalization';
import { padSpatially } from './padding';
import { adjustToSize, averagePoolExcludingPadding, subsample, upsampleNearest } from './resampling';
import { createSpectralState, normaliseSpectrally } from './spectralNorm';
import { VariableRegistry } from './variableRegistry';

const random = new Random(5);

function randomTensor(shape: number[], scale = 1): Tensor {
  return tf.tensor(random.normalArray(shape.reduce((a, b) => a * b, 1), 0, scale), shape);
}

/** Compares the gradient of `f` at `x` with central differences at `samples` coordinates. */
function expectGradientMatches(f: (x: Tensor) => Scalar, x: Tensor, samples = 12): void {
  const analytic = tf.tidy(() => tf.grad(f)(x).dataSync());
  const base = Float32Array.from(x.dataSync());
  const epsilon = 1e-2;
  const evaluate = (values: Float32Array): number => tf.tidy(() => f(tf.tensor(values, x.shape)).dataSync()[0]!);
  for (let s = 0; s < samples; s++) {
    const index = Math.floor(random.next() * base.length);
    const plus = base.slice();
    plus[index] += epsilon;
    const minus = base.slice();
    minus[index] -= epsilon;
    const numeric = (evaluate(plus) - evaluate(minus)) / (2 * epsilon);
    const tolerance = 3e-3 + 2e-2 * Math.abs(numeric);
    expect(Math.abs(analytic[index]! - numeric), `coordinate ${index}: ${analytic[index]} vs ${numeric}`).toBeLessThan(tolerance);
  }
}

/** sum(out · r) with a fixed random r, so every output element weighs differently. */
function projectOnto(shape: number[]): (out: Tensor) => Scalar {
  const r = randomTensor(shape);
  return (out) => tf.sum(tf.mul(out, r));
}

describe('gradients of the custom layers match finite differences', () => {
  beforeAll(async () => {
    await activateBackend('cpu');
  });

  it('instance norm', () => {
    const x = randomTensor([2, 5, 4, 3]);
    const project = projectOnto([2, 5, 4, 3]);
    expectGradientMatches((input) => project(applyInstanceNorm(input as Tensor4D)), x);
  });

  it('switching layer norm, in each mode, for input and affine parameters', () => {
    const registry = new VariableRegistry(random);
    const norm = createLayerNorm(registry.scope('norm'), 3, 2);
    const x = randomTensor([2, 4, 5, 3]);
    const project = projectOnto([2, 4, 5, 3]);
    for (const mode of [0, 1] as const) {
      expectGradientMatches((input) => project(applyLayerNorm(norm, input as Tensor4D, mode)), x);
      const affine = norm.modes[mode]!;
      const gamma = affine.gamma.clone();
      expectGradientMatches((g) => {
        const saved = affine.gamma;
        affine.gamma = g as typeof saved;
        const out = project(applyLayerNorm(norm, x as Tensor4D, mode));
        affine.gamma = saved;
        return out;
      }, gamma);
      // The other mode's affine set gets no gradient at all.
      const other = norm.modes[1 - mode]!;
      const { grads } = tf.variableGrads(() => project(applyLayerNorm(norm, x as Tensor4D, mode)), [affine.beta, other.gamma, other.beta]);
      expect(Object.keys(grads)).toEqual([affine.beta.name]);
      tf.dispose(grads);
    }
    registry.dispose();
  });

  it('spectral norm (gradient through sigma with the stored vectors)', () => {
    const registry = new VariableRegistry(random);
    const weightShape = [3, 3, 2, 4];
    const state = createSpectralState(registry.scope('conv'), 4, 18);
    // A few power iterations so u and v are meaningful, as after some training.
    const seed = tf.variable(randomTensor(weightShape));
    for (let i = 0; i < 5; i++) tf.tidy(() => normaliseSpectrally(seed, state, { training: true }));
    const project = projectOnto(weightShape);
    expectGradientMatches((w) => {
      const asVariable = w as unknown as tf.Variable;
      return project(normaliseSpectrally(asVariable, state, { training: false }));
    }, seed);
    seed.dispose();
    registry.dispose();
  });

  it('reflect padding, and its zero fallback for small inputs', () => {
    const x = randomTensor([1, 5, 6, 2]);
    const project = projectOnto([1, 8, 8, 2]);
    expectGradientMatches((input) => project(padSpatially(input as Tensor4D, [2, 1, 1, 1], 'reflect')), x);
    const small = randomTensor([1, 2, 3, 1]);
    const projectSmall = projectOnto([1, 6, 7, 1]);
    expectGradientMatches((input) => projectSmall(padSpatially(input as Tensor4D, [2, 2, 2, 2], 'reflect')), small);
  });

  it('centre crop and pad to a skip size, and the padding-excluding average pool', () => {
    const x = randomTensor([2, 7, 6, 2]);
    const projectCrop = projectOnto([2, 5, 6, 2]);
    expectGradientMatches((input) => projectCrop(adjustToSize(input as Tensor4D, 5, 6)), x);
    const projectPad = projectOnto([2, 9, 8, 2]);
    expectGradientMatches((input) => projectPad(adjustToSize(input as Tensor4D, 9, 8)), x);
    const projectPool = projectOnto([2, 4, 3, 2]);
    expectGradientMatches((input) => projectPool(averagePoolExcludingPadding(input as Tensor4D)), x);
    const projectUp = projectOnto([2, 14, 12, 2]);
    expectGradientMatches((input) => projectUp(upsampleNearest(input as Tensor4D)), x);
    const projectSub = projectOnto([2, 4, 3, 2]);
    expectGradientMatches((input) => projectSub(subsample(input as Tensor4D, 2)), x);
  });
});

describe('layer values', () => {
  beforeAll(async () => {
    await activateBackend('cpu');
  });

  it('reflect-pads like torch and zero-pads when the pad reaches the input size', () => {
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6], [1, 2, 3, 1]);
    expect(Array.from(padSpatially(x, [1, 1, 1, 1], 'reflect').dataSync())).toEqual([
      5, 4, 5, 6, 5, 2, 1, 2, 3, 2, 5, 4, 5, 6, 5, 2, 1, 2, 3, 2
    ]);
    // A pad of 2 on a side of 2 cannot reflect: torch's wrapper falls back to zeros on every side.
    expect(Array.from(padSpatially(x, [2, 2, 0, 0], 'reflect').dataSync()).filter((v) => v !== 0)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('crops 16×8 to 15×8 by dropping the last row, like adjust_to_size', () => {
    const x = tf.reshape(tf.range(0, 16 * 8), [1, 16, 8, 1]) as Tensor4D;
    const cropped = adjustToSize(x, 15, 8);
    expect(cropped.shape).toEqual([1, 15, 8, 1]);
    expect(cropped.dataSync()[0]).toBe(0);
    expect(cropped.dataSync()[15 * 8 - 1]).toBe(15 * 8 - 1);
  });

  it('subsamples every stride-th pixel exactly as a strided slice, for even and odd sizes', () => {
    const cases: [[number, number, number, number], number][] = [[[2, 6, 8, 3], 2], [[1, 7, 5, 2], 2], [[2, 7, 9, 1], 3], [[1, 1, 4, 2], 2]];
    for (const [shape, stride] of cases) {
      const x = tf.reshape(tf.range(0, shape.reduce((a, b) => a * b, 1)), shape) as Tensor4D;
      const expected = tf.stridedSlice(x, [0, 0, 0, 0], x.shape, [1, stride, stride, 1]);
      const actual = subsample(x, stride);
      expect(actual.shape).toEqual(expected.shape);
      expect(Array.from(actual.dataSync())).toEqual(Array.from(expected.dataSync()));
    }
  });

  it('averages only real pixels at the border', () => {
    const x = tf.ones([1, 4, 4, 1]) as Tensor4D;
    expect(Array.from(averagePoolExcludingPadding(x).dataSync())).toEqual([1, 1, 1, 1]);
  });
});
