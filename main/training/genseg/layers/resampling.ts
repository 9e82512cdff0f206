/**
 * Resolution changes: nearest ×2 upsampling, the authors' centre crop / zero pad to a skip's size (`adjust_to_size`),
 * and 3×3 stride-2 average pooling with padding 1 that excludes the padding from the average
 * (torch AvgPool2d(count_include_pad=False)), built from zero padding and a count so it means the same on every backend.
 */
import type { GradSaveFunc } from '@tensorflow/tfjs-core';
import { tf, type Tensor, type Tensor4D } from '../../tf';

/**
 * Nearest ×2 upsampling: tf.image.resizeNearestNeighbor's forward (one kernel) with the exact adjoint, a 2×2 sum
 * pool (average pool × 4). The registered ResizeNearestNeighborGrad disagrees with finite differences (found by the
 * layer test), and a concat-based upsampling was exact but slow on wasm (10 ms per call in a profile).
 */
export function upsampleNearest(x: Tensor4D): Tensor4D {
  const upsample = tf.customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const input = args[0] as Tensor4D;
    return {
      value: tf.image.resizeNearestNeighbor(input, [input.shape[1] * 2, input.shape[2] * 2], false, false),
      gradFunc: (dy: Tensor) => tf.mul(tf.avgPool(dy as Tensor4D, 2, 2, 'valid'), 4)
    };
  });
  return upsample(x) as Tensor4D;
}

/** Pads (zeros, centred) if any side is too small, else crops (centred) any side that is too large, as fcn_maker does. */
export function adjustToSize(x: Tensor4D, height: number, width: number): Tensor4D {
  const diffs = [height - x.shape[1], width - x.shape[2]];
  if (diffs.every((d) => d === 0)) return x;
  if (diffs.some((d) => d > 0)) {
    const padOf = (d: number): [number, number] => (d > 0 ? [Math.floor(d / 2), Math.floor(d / 2) + (d % 2)] : [0, 0]);
    return tf.pad(x, [[0, 0], padOf(diffs[0]!), padOf(diffs[1]!), [0, 0]]);
  }
  // torch slice(-d//2, size-(-d//2+d%2)) with Python's floor division and modulo on a negative d.
  const begin = diffs.map((d) => (d < 0 ? Math.floor(-d / 2) : 0));
  const size = [height, width];
  return tf.slice(x, [0, begin[0]!, begin[1]!, 0], [-1, size[0]!, size[1]!, -1]);
}

/** Centre-crops both tensors to their common (smallest) spatial size, as fcn_maker's crop_stack does. */
export function cropToCommonSize(a: Tensor4D, b: Tensor4D): [Tensor4D, Tensor4D] {
  const height = Math.min(a.shape[1], b.shape[1]);
  const width = Math.min(a.shape[2], b.shape[2]);
  const crop = (t: Tensor4D): Tensor4D => {
    if (t.shape[1] === height && t.shape[2] === width) return t;
    const top = Math.floor((t.shape[1] - height) / 2);
    const left = Math.floor((t.shape[2] - width) / 2);
    return tf.slice(t, [0, top, left, 0], [-1, height, width, -1]);
  };
  return [crop(a), crop(b)];
}

export function averagePoolExcludingPadding(x: Tensor4D): Tensor4D {
  const paddings: [number, number][] = [[0, 0], [1, 1], [1, 1], [0, 0]];
  const summed = tf.avgPool(tf.pad(x, paddings), 3, 2, 'valid');
  const ones = tf.ones([1, x.shape[1], x.shape[2], 1]);
  const fraction = tf.avgPool(tf.pad(ones, paddings) as Tensor4D, 3, 2, 'valid');
  return tf.div(summed, fraction) as Tensor4D;
}

/**
 * Every `stride`-th pixel from the top-left one (`x[:, ::s, ::s, :]`): zero-pads to whole multiples of the stride
 * (the padding is never sampled), then one reshape and a slice. Same values as tf.stridedSlice, about ten times faster
 * on wasm, whose StridedSlice walks element by element (2-16 ms per call in a GenSeg step); the gradient is a pad.
 */
export function subsample(x: Tensor4D, stride: number): Tensor4D {
  return tf.tidy(() => {
    const [batch, height, width, channels] = x.shape;
    const rows = Math.ceil(height / stride);
    const columns = Math.ceil(width / stride);
    const whole =
      rows * stride === height && columns * stride === width
        ? x
        : tf.pad(x, [[0, 0], [0, rows * stride - height], [0, columns * stride - width], [0, 0]]);
    const tiles = tf.reshape(whole, [batch * rows, stride, columns, stride * channels]);
    return tf.reshape(tf.slice(tiles, [0, 0, 0, 0], [batch * rows, 1, columns, channels]), [batch, rows, columns, channels]);
  });
}
