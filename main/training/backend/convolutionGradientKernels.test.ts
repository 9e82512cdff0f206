import { tf } from '../tf';
import { describe, expect, it } from 'vitest';
import { clearDerivedFilters } from './derivedFilterCache';
import { activateBackend } from './selectBackend';

interface Case {
  batch: number;
  height: number;
  width: number;
  inChannels: number;
  outChannels: number;
  kernel: number;
  stride: 1 | 2;
  pad: 'same' | 'valid';
}

function makeCases(): Case[] {
  let seed = 7;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const cases: Case[] = [];
  for (let kernel = 1; kernel <= 7; kernel++) {
    for (const stride of [1, 2] as const) {
      const height = kernel + next(9);
      cases.push({
        batch: 1 + next(3),
        height,
        width: kernel + next(9),
        inChannels: 1 + next(5),
        outChannels: 1 + next(6),
        kernel,
        stride,
        pad: next(2) === 0 ? 'same' : 'valid'
      });
    }
  }
  return cases;
}

function randomArray(length: number, salt: number): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = Math.sin(i * 12.9898 + salt * 78.233) * 0.5;
  return out;
}

/** Filter and input gradients of sum(conv2d(x, w) * r), computed by whichever backend is active, concatenated. */
function filterGradient(c: Case): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor4d(randomArray(c.batch * c.height * c.width * c.inChannels, 1), [c.batch, c.height, c.width, c.inChannels]);
    const w = tf.tensor4d(randomArray(c.kernel * c.kernel * c.inChannels * c.outChannels, 2), [c.kernel, c.kernel, c.inChannels, c.outChannels]);
    const y = tf.conv2d(x, w, c.stride, c.pad);
    const r = tf.tensor(randomArray(y.size, 3), y.shape);
    const [dx, dw] = tf.grads((input: tf.Tensor, filter: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(input as tf.Tensor4D, filter as tf.Tensor4D, c.stride, c.pad), r))
    )([x, w]);
    return Float32Array.from([...dw!.dataSync(), ...dx!.dataSync()]);
  });
}

describe('composed convolution gradient kernels for wasm', () => {
  it('match the cpu backend (filter and input gradients) on random shapes, strides 1 and 2, kernels 1x1 to 7x7', async () => {
    const cases = makeCases();
    await activateBackend('cpu');
    const expected = cases.map(filterGradient);
    await activateBackend('wasm');
    const before = tf.memory().numTensors;
    const buffersBefore = tf.engine().backend.numDataIds();
    cases.forEach((c, index) => {
      const actual = filterGradient(c);
      const reference = expected[index]!;
      expect(actual.length).toBe(reference.length);
      let maxDiff = 0;
      let maxAbs = 0;
      for (let i = 0; i < actual.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(actual[i]! - reference[i]!));
        maxAbs = Math.max(maxAbs, Math.abs(reference[i]!));
      }
      expect(maxDiff, JSON.stringify(c)).toBeLessThan(1e-4 * Math.max(1, maxAbs));
    });
    expect(tf.memory().numTensors).toBe(before);
    // Derived filters are cached while their source lives; clearing them must leave nothing behind.
    clearDerivedFilters();
    expect(tf.engine().backend.numDataIds()).toBe(buffersBefore);
  });
});
