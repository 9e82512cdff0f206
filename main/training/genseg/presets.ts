/**
 * GenSeg configurations. One builder takes the preset (a width factor), the architecture family and the input size;
 * `paper` at width 1 reproduces the authors' configs exactly (docs/genseg.md#layer-sizes-and-parameter-counts), the
 * others scale every channel count by the width (docs/genseg.md#details-that-decide-exactness, 6): round half up, at
 * least 1, the unique code round(N/4) of the code's N channels; one-channel skip projections and image channels are not
 * scaled.
 */
import type { PresetName } from '../../contract';

export type { PresetName };
export type ArchitectureFamily = 'brain' | 'mnist48' | 'mnist128';

export const presetWidths: Record<PresetName, number> = { paper: 1, cpu: 0.25, tiny: 0.125 };

const families: Record<ArchitectureFamily, { encoder: number[]; discriminator: number[] }> = {
  // bds3_106_sc (BraTS 4×240×120): 5 downsampling blocks from 16 channels, discriminator [64..512].
  brain: { encoder: [16, 32, 64, 128, 256, 512], discriminator: [64, 128, 256, 512] },
  // bds3_102 (cluttered MNIST 48×48): 4 blocks from 32 channels, discriminator [128, 256, 512].
  mnist48: { encoder: [32, 64, 128, 256, 512], discriminator: [128, 256, 512] },
  // bds3_105_res128 (cluttered MNIST 128×128): the brain layout on one channel, discriminator [128, 256, 512].
  mnist128: { encoder: [16, 32, 64, 128, 256, 512], discriminator: [128, 256, 512] }
};

export interface LossWeights {
  /** λ_disc: adversarial terms of L_G. */
  adversarial: number;
  /** λ_x_id: |x_AA − x_A| + |x_BB − x_B|. */
  imageIdentity: number;
  /** λ_cyc: |x_BAB − x_B|. */
  cycle: number;
  /** λ_z_id: the four latent reconstruction terms. */
  latentIdentity: number;
  /** λ_seg: soft Dice on the labelled samples. */
  segmentation: number;
}

export interface OptimizerSettings {
  learningRateGenerator: number;
  learningRateDiscriminator: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
}

export interface GenSegConfig {
  preset: PresetName;
  family: ArchitectureFamily;
  width: number;
  height: number;
  imageWidth: number;
  imageChannels: number;
  encoderChannels: number[];
  uniqueChannels: number;
  decoderChannels: number[];
  discriminatorChannels: number[];
  discriminatorScales: number;
  commonKernelSize: number;
  residualKernelSize: number;
  /** [height, width] of the code s. */
  codeSize: [number, number];
  losses: LossWeights;
  optimizer: OptimizerSettings;
}

export interface GenSegConfigOptions {
  preset: PresetName;
  family?: ArchitectureFamily;
  height: number;
  width: number;
  channels: number;
  /** Overrides the preset's width factor. */
  widthFactor?: number;
  losses?: Partial<LossWeights>;
  optimizer?: Partial<OptimizerSettings>;
}

export const paperLossWeights: LossWeights = {
  adversarial: 3,
  imageIdentity: 50,
  cycle: 50,
  latentIdentity: 1,
  segmentation: 0.01
};

// lr_D: the authors' README command passes 1e-2 while its experiment name says 1e-3
// (docs/genseg.md#losses-and-optimisation); the value passed wins.
export const paperOptimizer: OptimizerSettings = {
  learningRateGenerator: 1e-3,
  learningRateDiscriminator: 1e-2,
  beta1: 0.5,
  beta2: 0.999,
  epsilon: 1e-8,
  weightDecay: 1e-4
};

export function scaleChannels(channels: number, widthFactor: number): number {
  return Math.max(1, Math.floor(channels * widthFactor + 0.5));
}

export function createGenSegConfig(options: GenSegConfigOptions): GenSegConfig {
  const family = options.family ?? (Math.min(options.height, options.width) >= 96 ? 'brain' : 'mnist48');
  const widthFactor = options.widthFactor ?? presetWidths[options.preset];
  const base = families[family];
  const encoderChannels = base.encoder.map((c) => scaleChannels(c, widthFactor));
  const codeChannels = encoderChannels[encoderChannels.length - 1]!;
  const codeSize = computeCodeSize(options.height, options.width, encoderChannels.length - 1);
  if (codeSize[0] < 2 || codeSize[1] < 2) {
    // Instance norm over a 1×1 map is undefined (docs/genseg.md#details-that-decide-exactness, 5).
    throw new Error(`input ${options.height}×${options.width} is too small for ${family}: code would be ${codeSize.join('×')}`);
  }
  return {
    preset: options.preset,
    family,
    width: widthFactor,
    height: options.height,
    imageWidth: options.width,
    imageChannels: options.channels,
    encoderChannels,
    uniqueChannels: Math.max(1, Math.floor(codeChannels / 4 + 0.5)),
    decoderChannels: encoderChannels.slice(0, -1).reverse(),
    discriminatorChannels: base.discriminator.map((c) => scaleChannels(c, widthFactor)),
    discriminatorScales: 3,
    commonKernelSize: 3,
    residualKernelSize: 5,
    codeSize,
    losses: { ...paperLossWeights, ...options.losses },
    optimizer: { ...paperOptimizer, ...options.optimizer }
  };
}

/** The three configurations of the paper. */
export function createPaperConfig(name: ArchitectureFamily): GenSegConfig {
  if (name === 'brain') return createGenSegConfig({ preset: 'paper', family: 'brain', height: 240, width: 120, channels: 4 });
  if (name === 'mnist48') return createGenSegConfig({ preset: 'paper', family: 'mnist48', height: 48, width: 48, channels: 1 });
  return createGenSegConfig({ preset: 'paper', family: 'mnist128', height: 128, width: 128, channels: 1 });
}

/** Each stride-2 conv with padding 1 and kernel 3 maps n to ceil(n / 2). */
function computeCodeSize(height: number, width: number, blocks: number): [number, number] {
  let h = height;
  let w = width;
  for (let i = 0; i < blocks; i++) {
    h = Math.ceil(h / 2);
    w = Math.ceil(w / 2);
  }
  return [h, w];
}
