import { describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { activateBackend } from './selectBackend';

/** Slices, splits and concatenations of every rank up to 5, computed by the active backend, flattened in order. */
function copies(): number[][] {
  let seed = 11;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const results: number[][] = [];
  for (let trial = 0; trial < 60; trial++) {
    const rank = 1 + (trial % 5);
    const shape = Array.from({ length: rank }, () => 1 + next(6));
    const size = shape.reduce((a, b) => a * b, 1);
    const dtype = trial % 7 === 3 ? 'int32' : 'float32';
    const values = Array.from({ length: size }, (_, i) => (dtype === 'int32' ? i * 3 - 7 : Math.sin(i + trial)));
    tf.tidy(() => {
      const x = tf.tensor(values, shape, dtype);
      const begin = shape.map((extent) => next(extent));
      const extent = shape.map((whole, axis) => (next(3) === 0 ? -1 : 1 + next(whole - begin[axis]!)));
      results.push(Array.from(tf.slice(x, begin, extent).dataSync()));
      const axis = next(rank);
      if (shape[axis]! >= 2) {
        const first = 1 + next(shape[axis]! - 1);
        for (const part of tf.split(x, [first, shape[axis]! - first], axis)) results.push(Array.from(part.dataSync()));
      }
      const otherShape = [...shape];
      otherShape[axis] = 1 + next(4);
      const other = tf.tensor(
        Array.from({ length: otherShape.reduce((a, b) => a * b, 1) }, (_, i) => i + 0.5),
        otherShape,
        dtype
      );
      results.push(Array.from(tf.concat([x, other, x], axis).dataSync()));
      // Gradients run the same kernels backwards (concat's gradient slices, slice's gradient pads).
      const [dx] = tf.grads((input: tf.Tensor) =>
        tf.add(
          tf.sum(tf.square(tf.slice(input, begin, extent))),
          tf.sum(tf.square(tf.concat([input, other.toFloat()], axis)))
        )
      )([x.toFloat()]);
      results.push(Array.from(dx!.dataSync()));
    });
  }
  // The shapes of the GenSeg step: a reflect pad's gradient and the one-channel skip concatenated to eight channels.
  tf.tidy(() => {
    const big = tf.tensor4d(
      Array.from({ length: 2 * 50 * 50 * 8 }, (_, i) => i % 97),
      [2, 50, 50, 8]
    );
    results.push(Array.from(tf.slice(big, [0, 1, 0, 0], [2, 48, 50, 8]).dataSync()));
    results.push(Array.from(tf.slice(big, [0, 1, 1, 0], [2, 48, 48, 8]).dataSync()));
    results.push(Array.from(tf.concat([big, tf.slice(big, [0, 0, 0, 0], [2, 50, 50, 1])], 3).dataSync()));
  });
  return results;
}

describe('wasm copy kernels (Slice, SplitV, Concat)', () => {
  it('give exactly what the cpu backend gives, for every rank, dtype and axis, without leaking', async () => {
    await activateBackend('cpu');
    const expected = copies();
    await activateBackend('wasm');
    const buffers = tf.engine().backend.numDataIds();
    const actual = copies();
    expect(actual.length).toBe(expected.length);
    actual.forEach((values, index) => expect(values, `case ${index}`).toEqual(expected[index]));
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
  });
});
