import { describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { activateBackend } from '../backend/selectBackend';
import { createGenSegNetworks } from './networks';
import { createPaperConfig, createGenSegConfig } from './presets';
import { runEncoder } from './encoder';
import { runDecoder } from './decoder';
import { runDiscriminator } from './discriminator';

describe('paper presets', () => {
  it('build the brain configuration with the paper parameter counts', async () => {
    await activateBackend('wasm');
    const networks = createGenSegNetworks(createPaperConfig('brain'), 1);
    const { registry } = networks;
    expect(registry.countParameters('encoder')).toBe(1_748_496);
    expect(registry.countParameters('decoderCommon')).toBe(1_334_935);
    expect(registry.countParameters('decoderResidual')).toBe(4_387_788);
    expect(registry.countParameters('discriminatorA')).toBe(8_279_619);
    expect(registry.countParameters('discriminatorB')).toBe(8_279_619);
    registry.dispose();
  });

  it('build cluttered MNIST 48 and 128 with the paper parameter counts', async () => {
    await activateBackend('wasm');
    const mnist48 = createGenSegNetworks(createPaperConfig('mnist48'), 1);
    expect(mnist48.registry.countParameters('encoder')).toBe(1_743_040);
    expect(mnist48.registry.countParameters('decoderCommon')).toBe(1_333_382);
    expect(mnist48.registry.countParameters('decoderResidual')).toBe(4_391_128);
    const generator48 = ['encoder', 'decoderCommon', 'decoderResidual'].reduce(
      (sum, scope) => sum + mnist48.registry.countParameters(scope),
      0
    );
    expect(generator48).toBe(7_467_550);
    expect(mnist48.registry.countParameters('discriminatorA')).toBe(7_879_299);
    mnist48.registry.dispose();
    const mnist128 = createGenSegNetworks(createPaperConfig('mnist128'), 1);
    const generator128 = ['encoder', 'decoderCommon', 'decoderResidual'].reduce(
      (sum, scope) => sum + mnist128.registry.countParameters(scope),
      0
    );
    expect(generator128).toBe(7_460_776);
    expect(mnist128.registry.countParameters('discriminatorB')).toBe(7_879_299);
    mnist128.registry.dispose();
  });

  it('gives the paper shapes: code, skips and discriminator patches (scaled brain preset)', async () => {
    await activateBackend('wasm');
    // Shapes do not depend on the width, so the cpu preset checks the paper's 240×120 geometry cheaply.
    const config = createGenSegConfig({ preset: 'cpu', family: 'brain', height: 240, width: 120, channels: 4 });
    const networks = createGenSegNetworks(config, 3);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const x = tf.randomNormal([1, 240, 120, 4]) as tf.Tensor4D;
      const context = { training: false };
      const { code, skips } = runEncoder(networks.encoder, x, context);
      expect(code.shape).toEqual([1, 8, 4, 128]);
      expect(skips.map((s) => s.shape.slice(1, 3))).toEqual([[240, 120], [120, 60], [60, 30], [30, 15], [15, 8]]);
      const image = runDecoder(networks.decoderResidual, code, [...skips].reverse(), 0, context);
      expect(image.shape).toEqual([1, 240, 120, 4]);
      const segmentation = runDecoder(networks.decoderResidual, code, [...skips].reverse(), 1, context);
      expect(segmentation.shape).toEqual([1, 240, 120, 1]);
      const patches = runDiscriminator(networks.discriminatorA, x, context);
      expect(patches.map((p) => p.shape.slice(1))).toEqual([[15, 7, 1], [7, 3, 1], [4, 1, 1]]);
    });
    expect(tf.memory().numTensors).toBe(before);
    networks.registry.dispose();
  });

  it('gives the MNIST 48 patch sizes 6×6, 3×3 and 2×2', async () => {
    await activateBackend('wasm');
    const config = createGenSegConfig({ preset: 'tiny', family: 'mnist48', height: 48, width: 48, channels: 1 });
    const networks = createGenSegNetworks(config, 3);
    tf.tidy(() => {
      const patches = runDiscriminator(networks.discriminatorB, tf.zeros([2, 48, 48, 1]) as tf.Tensor4D, { training: false });
      expect(patches.map((p) => p.shape.slice(1, 3))).toEqual([[6, 6], [3, 3], [2, 2]]);
    });
    networks.registry.dispose();
  });
});
