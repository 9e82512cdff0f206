/**
 * Padding as the authors' convolution wrapper applies it (fcn_maker / genseg `convolution`): reflect padding that
 * falls back to zero padding when any pad is at least as large as a spatial side, and the discriminator's "autopad"
 * for inputs smaller than the kernel, which pads height by the width deficit and width by the height deficit
 * (torch's F.pad takes the last dimension first and the original code lists height first). genseg.md 9.1-9.2.
 */
import { tf, type Tensor4D } from '../../tf';

/** [top, bottom, left, right] */
export type Padding = [number, number, number, number];
export type PaddingMode = 'reflect' | 'zero';

export function padSpatially(x: Tensor4D, padding: Padding, mode: PaddingMode): Tensor4D {
  const [top, bottom, left, right] = padding;
  if (top === 0 && bottom === 0 && left === 0 && right === 0) return x;
  const [, height, width] = x.shape;
  const tooLarge = padding.some((pad) => pad >= height || pad >= width);
  const paddings: [number, number][] = [[0, 0], [top, bottom], [left, right], [0, 0]];
  if (mode === 'zero' || tooLarge) return tf.pad(x, paddings);
  return reflectAlong(reflectAlong(x, 1, top, bottom), 2, left, right);
}

/**
 * Reflect padding from slices, reverses and a concat. tf.mirrorPad's forward is right, but its registered gradient
 * only slices the centre out of dy and drops what flowed into the reflected borders (found by the finite-difference
 * test); these ops all have exact gradients.
 */
function reflectAlong(x: Tensor4D, axis: 1 | 2, before: number, after: number): Tensor4D {
  if (before === 0 && after === 0) return x;
  const length = x.shape[axis];
  const band = (start: number, size: number): Tensor4D => {
    const begin = [0, 0, 0, 0];
    const sizes = [-1, -1, -1, -1];
    begin[axis] = start;
    sizes[axis] = size;
    return tf.reverse(tf.slice(x, begin, sizes), axis) as Tensor4D;
  };
  const parts: Tensor4D[] = [];
  if (before > 0) parts.push(band(1, before));
  parts.push(x);
  if (after > 0) parts.push(band(length - 1 - after, after));
  return tf.concat(parts, axis);
}

/** The swapped-axis self-padding of the discriminator's strided convs, computed from the unpadded input size. */
export function computeAutopad(inputHeight: number, inputWidth: number, kernelSize: number): Padding {
  const heightDeficit = Math.max(0, kernelSize - inputHeight);
  const widthDeficit = Math.max(0, kernelSize - inputWidth);
  const half = (deficit: number): [number, number] => [Math.floor(deficit / 2), Math.floor(deficit / 2) + (deficit % 2)];
  const [top, bottom] = half(widthDeficit);
  const [left, right] = half(heightDeficit);
  return [top, bottom, left, right];
}

/** The authors' block padding: (k-1)//2 before and (k - subsample)//2 after, on both axes. */
export function computeBlockPadding(kernelSize: number, subsample: boolean): Padding {
  const before = Math.floor((kernelSize - 1) / 2);
  const after = Math.floor((kernelSize - (subsample ? 1 : 0)) / 2);
  return [before, after, before, after];
}
