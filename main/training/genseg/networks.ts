/**
 * Builds GenSeg's five networks from a config: the shared encoder, the common decoder g_com (input c), the residual
 * decoder g_res (input s = [c, u], reused in mode 1 as the segmentation head) and the two discriminators.
 */
import { createDecoder, type Decoder } from './decoder';
import { createDiscriminator, type Discriminator } from './discriminator';
import { createEncoder, type Encoder } from './encoder';
import { VariableRegistry } from './layers/variableRegistry';
import type { GenSegConfig } from './presets';
import { Random } from '../../common';

export interface GenSegNetworks {
  config: GenSegConfig;
  registry: VariableRegistry;
  random: Random;
  encoder: Encoder;
  decoderCommon: Decoder;
  decoderResidual: Decoder;
  discriminatorA: Discriminator;
  discriminatorB: Discriminator;
}

export const generatorScopes = ['encoder', 'decoderCommon', 'decoderResidual'] as const;
export const discriminatorScopes = ['discriminatorA', 'discriminatorB'] as const;

export function createGenSegNetworks(config: GenSegConfig, seed: number): GenSegNetworks {
  const random = new Random(seed);
  const registry = new VariableRegistry(random);
  const codeChannels = config.encoderChannels[config.encoderChannels.length - 1]!;
  const decoderBase = {
    channels: config.decoderChannels,
    longSkips: true,
    modeCount: 2 as const,
    outChannels: config.imageChannels,
    spectralNorm: true
  };
  const discriminatorConfig = {
    inChannels: config.imageChannels,
    channels: config.discriminatorChannels,
    scales: config.discriminatorScales,
    spectralNorm: true
  };
  return {
    config,
    registry,
    random,
    encoder: createEncoder(registry.scope('encoder'), {
      inChannels: config.imageChannels,
      channels: config.encoderChannels,
      spectralNorm: true
    }),
    // g_com carries a mode-1 affine set and out_conv that are never used, as the authors' does
    // (docs/genseg.md#details-that-decide-exactness, 3).
    decoderCommon: createDecoder(registry.scope('decoderCommon'), {
      ...decoderBase,
      inChannels: codeChannels - config.uniqueChannels,
      kernelSize: config.commonKernelSize,
      shortSkips: true,
      classifier: false
    }),
    decoderResidual: createDecoder(registry.scope('decoderResidual'), {
      ...decoderBase,
      inChannels: codeChannels,
      kernelSize: config.residualKernelSize,
      shortSkips: false,
      classifier: true
    }),
    discriminatorA: createDiscriminator(registry.scope('discriminatorA'), discriminatorConfig),
    discriminatorB: createDiscriminator(registry.scope('discriminatorB'), discriminatorConfig)
  };
}
