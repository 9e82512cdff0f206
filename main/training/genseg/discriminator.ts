/**
 * MUNIT-style multi-scale patch discriminator with hinge outputs. Per scale: conv4 s2 (reflect pad 1), then [LReLU →
 * conv4 s2], then [LN → LReLU → conv4 s2]..., then LN → LReLU → conv1×1 to one channel. The strided convs after the
 * first self-pad inputs smaller than the kernel with the authors' swapped axes
 * (docs/genseg.md#details-that-decide-exactness, 1). Scales have independent weights; the input is reduced between
 * scales by 3×3/2 average pooling that excludes padding.
 */
import { tf, type Tensor4D } from '../tf';
import { applyConv, createConv, type ConvLayer } from './layers/conv';
import type { ForwardContext } from './layers/forwardContext';
import { applyLayerNorm, createLayerNorm, leakySlope, type LayerNorm } from './layers/normalization';
import { computeBlockPadding } from './layers/padding';
import { averagePoolExcludingPadding } from './layers/resampling';
import type { VariableScope } from './layers/variableRegistry';

export interface DiscriminatorConfig {
  inChannels: number;
  channels: number[];
  scales: number;
  spectralNorm: boolean;
}

interface DiscriminatorLayer {
  norm: LayerNorm | null;
  conv: ConvLayer;
}

interface ScaleNetwork {
  first: ConvLayer;
  layers: DiscriminatorLayer[];
}

export interface Discriminator {
  config: DiscriminatorConfig;
  scales: ScaleNetwork[];
}

export function createDiscriminator(scope: VariableScope, config: DiscriminatorConfig): Discriminator {
  const scales: ScaleNetwork[] = [];
  for (let s = 0; s < config.scales; s++) scales.push(createScaleNetwork(scope.child(`scale${s}`), config));
  return { config, scales };
}

function createScaleNetwork(scope: VariableScope, config: DiscriminatorConfig): ScaleNetwork {
  const { channels } = config;
  const base = { spectralNorm: config.spectralNorm, init: 'kaimingNormal' as const, paddingMode: 'reflect' as const };
  const first = createConv(scope.child('conv0'), {
    ...base,
    inChannels: config.inChannels,
    outChannels: channels[0]!,
    kernelSize: 4,
    stride: 2,
    padding: [1, 1, 1, 1]
  });
  const layers: DiscriminatorLayer[] = [];
  for (let i = 0; i + 1 < channels.length; i++) {
    const layerScope = scope.child(`conv${i + 1}`);
    const norm = i > 0 ? createLayerNorm(layerScope.child('norm'), channels[i]!, 1) : null;
    const conv = createConv(layerScope, {
      ...base,
      inChannels: channels[i]!,
      outChannels: channels[i + 1]!,
      kernelSize: 4,
      stride: 2,
      padding: computeBlockPadding(4, true),
      autopad: true
    });
    layers.push({ norm, conv });
  }
  const last = channels[channels.length - 1]!;
  const outScope = scope.child('out');
  layers.push({
    norm: createLayerNorm(outScope.child('norm'), last, 1),
    conv: createConv(outScope, { ...base, inChannels: last, outChannels: 1, kernelSize: 1 })
  });
  return { first, layers };
}

/** One patch map per scale, finest first. */
export function runDiscriminator(discriminator: Discriminator, x: Tensor4D, context: ForwardContext): Tensor4D[] {
  const outputs: Tensor4D[] = [];
  let input = x;
  discriminator.scales.forEach((scale, s) => {
    if (s > 0) input = averagePoolExcludingPadding(input);
    let out = applyConv(scale.first, input, context);
    for (const layer of scale.layers) {
      const activated = layer.norm ? applyLayerNorm(layer.norm, out, 0, 'leakyRelu') : tf.leakyRelu(out, leakySlope);
      out = applyConv(layer.conv, activated as Tensor4D, context);
    }
    outputs.push(out);
  });
  return outputs;
}
