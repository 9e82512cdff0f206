/**
 * The shared encoder f: conv3×3, then pre-activation residual blocks (IN → ReLU → conv3×3 stride 2, plus a shortcut
 * that decimates [::2, ::2] and applies a 1×1 conv), then IN → ReLU. The tensor entering each block is a long skip.
 * The shortcut's decimation followed by a 1×1 conv is computed as one 1×1 conv with stride 2, which is the same thing.
 */
import { tf, type Tensor4D } from '../tf';
import { applyConv, createConv, type ConvLayer } from './layers/conv';
import type { ForwardContext } from './layers/forwardContext';
import { applyInstanceNorm } from './layers/normalization';
import { computeBlockPadding } from './layers/padding';
import { cropToCommonSize, subsample } from './layers/resampling';
import type { VariableScope } from './layers/variableRegistry';

export interface EncoderConfig {
  inChannels: number;
  /** Stem width, then the width after each downsampling block. */
  channels: number[];
  spectralNorm: boolean;
}

export interface EncoderBlock {
  conv: ConvLayer;
  shortcut: ConvLayer | null;
}

export interface Encoder {
  config: EncoderConfig;
  stem: ConvLayer;
  blocks: EncoderBlock[];
}

export interface EncoderOutput {
  code: Tensor4D;
  /** Inputs of the downsampling blocks, full resolution first. */
  skips: Tensor4D[];
}

export function createEncoder(scope: VariableScope, config: EncoderConfig): Encoder {
  const { channels, spectralNorm } = config;
  const common = { spectralNorm, init: 'kaimingNormal' as const, paddingMode: 'reflect' as const };
  const stem = createConv(scope.child('stem'), {
    ...common,
    inChannels: config.inChannels,
    outChannels: channels[0]!,
    kernelSize: 3,
    padding: [1, 1, 1, 1]
  });
  const blocks: EncoderBlock[] = [];
  for (let i = 1; i < channels.length; i++) {
    const blockScope = scope.child(`block${i}`);
    const inChannels = channels[i - 1]!;
    const outChannels = channels[i]!;
    const conv = createConv(blockScope.child('conv'), {
      ...common,
      inChannels,
      outChannels,
      kernelSize: 3,
      stride: 2,
      padding: computeBlockPadding(3, true)
    });
    const shortcut =
      inChannels === outChannels
        ? null
        : createConv(blockScope.child('shortcut'), { ...common, inChannels, outChannels, kernelSize: 1, stride: 2 });
    blocks.push({ conv, shortcut });
  }
  return { config, stem, blocks };
}

export function runEncoder(encoder: Encoder, x: Tensor4D, context: ForwardContext): EncoderOutput {
  let out = applyConv(encoder.stem, x, context);
  const skips: Tensor4D[] = [];
  for (const block of encoder.blocks) {
    skips.push(out);
    const residual = applyConv(block.conv, applyInstanceNorm(out, 'relu'), context);
    const shortcut = block.shortcut
      ? applyConv(block.shortcut, out, context)
      : subsample(out, 2);
    const [croppedShortcut, croppedResidual] = cropToCommonSize(shortcut, residual);
    out = tf.add(croppedResidual, croppedShortcut);
  }
  return { code: applyInstanceNorm(out, 'relu'), skips };
}
