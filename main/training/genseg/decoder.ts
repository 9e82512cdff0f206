/**
 * The decoders (g_com, g_res in GenSeg; the reconstruction and segmentation decoders of the AE baseline).
 * Block 0: upsample ×2 → conv. Later blocks: norm → ReLU → upsample ×2 → conv, with an optional short residual
 * shortcut (upsample + 1×1 conv, computed as 1×1 conv then upsample, which is equal). After each block the output is
 * centre-cropped or padded to the matching skip's size, then (skinny cat) the skip goes through IN → 1×1 conv to one
 * channel and is concatenated. Then pre_conv (norm → ReLU → conv k) and out_conv[mode] (LN → ReLU → conv7), then tanh
 * (images) or a 1×1 classifier and sigmoid (segmentation).
 */
import { tf, type Tensor4D } from '../tf';
import { applyConv, createConv, type ConvLayer, type ConvOptions } from './layers/conv';
import type { ForwardContext } from './layers/forwardContext';
import { applyInstanceNorm, applyLayerNorm, createLayerNorm, type LayerNorm } from './layers/normalization';
import { computeBlockPadding } from './layers/padding';
import { adjustToSize, cropToCommonSize, upsampleNearest } from './layers/resampling';
import type { VariableScope } from './layers/variableRegistry';

export interface DecoderConfig {
  inChannels: number;
  /** Output width of each block, coarsest first. */
  channels: number[];
  kernelSize: number;
  shortSkips: boolean;
  /** Concatenate a one-channel projection of each encoder skip (skinny cat). */
  longSkips: boolean;
  /** 2 = switching layer norm with one affine set and one out_conv per mode (GenSeg); 1 = plain. */
  modeCount: 1 | 2;
  outChannels: number;
  /** A 1×1 conv to one channel and a sigmoid after the last out_conv (the segmentation head). */
  classifier: boolean;
  spectralNorm: boolean;
}

interface DecoderBlock {
  norm: LayerNorm | null;
  conv: ConvLayer;
  shortcut: ConvLayer | null;
}

interface NormConv {
  norm: LayerNorm;
  conv: ConvLayer;
}

export interface Decoder {
  config: DecoderConfig;
  blocks: DecoderBlock[];
  skinnySkips: ConvLayer[];
  preConv: NormConv;
  outConvs: NormConv[];
  classifier: ConvLayer | null;
}

export function createDecoder(scope: VariableScope, config: DecoderConfig): Decoder {
  const { kernelSize, modeCount, spectralNorm } = config;
  const convBase = { spectralNorm, init: 'kaimingNormal' as const, paddingMode: 'reflect' as const };
  const blocks: DecoderBlock[] = [];
  const skinnySkips: ConvLayer[] = [];
  let channels = config.inChannels;
  config.channels.forEach((outChannels, n) => {
    const blockScope = scope.child(`block${n}`);
    const norm = n > 0 ? createLayerNorm(blockScope.child('norm'), channels, modeCount) : null;
    const conv = createConv(blockScope.child('conv'), {
      ...convBase,
      inChannels: channels,
      outChannels,
      kernelSize,
      padding: computeBlockPadding(kernelSize, false)
    });
    const needsShortcut = config.shortSkips && n > 0 && channels !== outChannels;
    const shortcut = needsShortcut
      ? createConv(blockScope.child('shortcut'), { ...convBase, inChannels: channels, outChannels, kernelSize: 1 })
      : null;
    blocks.push({ norm, conv, shortcut });
    channels = outChannels;
    if (config.longSkips) {
      skinnySkips.push(
        createConv(scope.child(`skinnySkip${n}`), { ...convBase, inChannels: outChannels, outChannels: 1, kernelSize: 1 })
      );
      channels += 1;
    }
  });
  const preConv = createNormConv(scope.child('preConv'), channels, channels, kernelSize, modeCount, convBase);
  const outConvs: NormConv[] = [];
  for (let mode = 0; mode < modeCount; mode++) {
    // The segmentation head (mode 1's out_conv and the classifier) has no spectral norm in the authors' model.
    const isHead = config.classifier && (modeCount === 1 || mode === 1);
    const options = { ...convBase, spectralNorm: spectralNorm && !isHead };
    outConvs.push(createNormConv(scope.child(`outConv${mode}`), channels, config.outChannels, 7, 1, options));
  }
  const classifier = config.classifier
    ? createConv(scope.child('classifier'), {
        inChannels: config.outChannels,
        outChannels: 1,
        kernelSize: 1,
        spectralNorm: false,
        init: 'torchDefault'
      })
    : null;
  return { config, blocks, skinnySkips, preConv, outConvs, classifier };
}

function createNormConv(
  scope: VariableScope,
  inChannels: number,
  outChannels: number,
  kernelSize: number,
  modeCount: 1 | 2,
  base: Pick<ConvOptions, 'spectralNorm' | 'init' | 'paddingMode'>
): NormConv {
  const norm = createLayerNorm(scope.child('norm'), inChannels, modeCount);
  const padding = computeBlockPadding(kernelSize, false);
  const conv = createConv(scope.child('conv'), { ...base, inChannels, outChannels, kernelSize, padding });
  return { norm, conv };
}

/**
 * Decodes `code`. `skips` are in decoder order (coarsest first), one per block. Mode 0 returns tanh images (or, for a
 * decoder with only a segmentation head, probabilities); mode 1 returns segmentation probabilities.
 */
export function runDecoder(
  decoder: Decoder,
  code: Tensor4D,
  skips: Tensor4D[],
  mode: 0 | 1,
  context: ForwardContext
): Tensor4D {
  const normMode = decoder.config.modeCount === 2 ? mode : 0;
  let out = code;
  decoder.blocks.forEach((block, n) => {
    out = runDecoderBlock(block, out, normMode, context);
    const skip = skips[n]!;
    out = adjustToSize(out, skip.shape[1], skip.shape[2]);
    const skinny = decoder.skinnySkips[n];
    if (skinny) out = tf.concat([out, applyConv(skinny, applyInstanceNorm(skip), context)], 3);
  });
  out = applyNormConv(decoder.preConv, out, normMode, context);
  const outConv = decoder.outConvs[decoder.config.modeCount === 2 ? mode : 0]!;
  out = applyNormConv(outConv, out, 0, context);
  const segmenting = decoder.classifier !== null && (mode === 1 || decoder.config.modeCount === 1);
  if (!segmenting) return tf.tanh(out);
  return tf.sigmoid(applyConv(decoder.classifier!, out, context));
}

function runDecoderBlock(block: DecoderBlock, input: Tensor4D, mode: 0 | 1, context: ForwardContext): Tensor4D {
  let out = input;
  if (block.norm) out = applyLayerNorm(block.norm, out, mode, 'relu');
  out = applyConv(block.conv, upsampleNearest(out), context);
  if (!block.shortcut) return out;
  const shortcut = upsampleNearest(applyConv(block.shortcut, input, context));
  const [croppedShortcut, croppedResidual] = cropToCommonSize(shortcut, out);
  return tf.add(croppedResidual, croppedShortcut);
}

function applyNormConv(layer: NormConv, x: Tensor4D, mode: 0 | 1, context: ForwardContext): Tensor4D {
  return applyConv(layer.conv, applyLayerNorm(layer.norm, x, mode, 'relu'), context);
}
