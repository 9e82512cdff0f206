/**
 * Padding as the authors' convolution wrapper applies it (fcn_maker / genseg `convolution`): reflect padding that falls
 * back to zero padding when any pad is at least as large as a spatial side, and the discriminator's "autopad" for
 * inputs smaller than the kernel, which pads height by the width deficit and width by the height deficit (torch's F.pad
 * takes the last dimension first and the original code lists height first).
 * docs/genseg.md#details-that-decide-exactness, 1-2.
 */
import type { GradSaveFunc } from '@tensorflow/tfjs-core';
import { tf, type Tensor, type Tensor4D } from '../../tf';

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
  return reflectPad(x, paddings);
}

/**
 * Reflect padding: tf.mirrorPad's forward (one kernel) with a correct gradient. tf.mirrorPad's registered gradient
 * only slices the centre out of dy and drops what flowed into the reflected borders (found by the finite-difference
 * test), so the adjoint is written here: the centre of dy plus each border band, reversed, added back onto the rows
 * it was copied from.
 */
function reflectPad(x: Tensor4D, paddings: [number, number][]): Tensor4D {
  const padWithGradient = tf.customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const input = args[0] as Tensor4D;
    return {
      value: tf.mirrorPad(input, paddings, 'reflect'),
      gradFunc: (dy: Tensor) => {
        const alongHeight = foldReflectedBorders(dy as Tensor4D, 1, paddings[1]!, x.shape[1]);
        return foldReflectedBorders(alongHeight, 2, paddings[2]!, x.shape[2]);
      }
    };
  });
  return padWithGradient(x) as Tensor4D;
}

/** The adjoint of reflect padding along one axis: [before + length + after] -> [length]. */
function foldReflectedBorders(dy: Tensor4D, axis: 1 | 2, [before, after]: [number, number], length: number): Tensor4D {
  if (before === 0 && after === 0) return dy;
  const band = (start: number, size: number, reversed: boolean): Tensor4D => {
    const begin = [0, 0, 0, 0];
    const sizes = [-1, -1, -1, -1];
    begin[axis] = start;
    sizes[axis] = size;
    const slice = tf.slice(dy, begin, sizes);
    return (reversed && size > 1 ? tf.reverse(slice, axis) : slice) as Tensor4D;
  };
  const placed = (values: Tensor4D, first: number, last: number): Tensor4D => {
    const paddings: [number, number][] = [[0, 0], [0, 0], [0, 0], [0, 0]];
    paddings[axis] = [first, last];
    return tf.pad(values, paddings);
  };
  const parts: Tensor4D[] = [band(before, length, false)];
  // Padded row i < before copied input row before - i; the reversed band lands on rows 1..before.
  if (before > 0) parts.push(placed(band(0, before, true), 1, length - 1 - before));
  // Padded row before + length + j copied input row length - 2 - j; reversed, rows length-1-after..length-2.
  if (after > 0) parts.push(placed(band(before + length, after, true), length - 1 - after, 1));
  return tf.addN(parts);
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
