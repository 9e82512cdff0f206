/**
 * Each loss term's gradient must reach exactly the networks it should: computed term by term against every trainable
 * variable of the model, discriminators included.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { activateBackend } from '../backend/selectBackend';
import { tf, type Scalar } from '../tf';
import { createSyntheticBatch } from '../testing/syntheticBatch';
import { runGenerator } from './forward';
import { createGenSegNetworks, type GenSegNetworks } from './networks';
import { computeDiscriminatorTerms, computeGeneratorTerms } from './objectives';
import { createGenSegConfig } from './presets';

const geometry = { height: 32, width: 32, channels: 1 };

const isModeOneOnly = (path: string): boolean =>
  /\/mode1\//.test(path) || /\/outConv1\//.test(path) || /\/classifier\//.test(path);
const isModeZeroOnly = (path: string): boolean => /\/mode0\//.test(path) || /\/outConv0\//.test(path);
const networkOf = (path: string): string => path.split('/')[0]!;

/** Paths of the variables that term `name` sends a gradient to. */
function reach(networks: GenSegNetworks, name: string): string[] {
  const entries = networks.registry.entries.filter((entry) => entry.trainable);
  const batch = createSyntheticBatch({ count: 2, ...geometry, labelled: [true, false], seed: 9 });
  const { grads } = tf.variableGrads(() => {
    const context = { training: false };
    const imagesA = tf.tensor4d(batch.imagesA, [2, 32, 32, 1]);
    const imagesB = tf.tensor4d(batch.imagesB, [2, 32, 32, 1]);
    const outputs = runGenerator(networks, imagesA, imagesB, context);
    const labels = { count: 1, masks: tf.tensor4d(batch.masksA, [2, 32, 32, 1]), weights: tf.tensor4d([1, 0], [2, 1, 1, 1]) };
    const terms: Record<string, Scalar> = {
      ...computeGeneratorTerms(networks, imagesA, imagesB, outputs, labels, context),
      ...computeDiscriminatorTerms(networks, imagesA, imagesB, outputs, context)
    };
    return terms[name]!;
  }, entries.map((entry) => entry.variable));
  const reached = entries.filter((entry) => grads[entry.variable.name] !== undefined).map((entry) => entry.path);
  tf.dispose(grads);
  return reached;
}

describe('gradient routing of each loss term', () => {
  let networks: GenSegNetworks;
  beforeAll(async () => {
    await activateBackend('wasm');
    networks = createGenSegNetworks(createGenSegConfig({ preset: 'tiny', family: 'mnist48', ...geometry }), 4);
  });

  it('segmentation reaches the encoder and the residual decoder (shared and mode-1 parts) only', () => {
    const reached = reach(networks, 'segmentation');
    expect(new Set(reached.map(networkOf))).toEqual(new Set(['encoder', 'decoderResidual']));
    expect(reached.some(isModeZeroOnly)).toBe(false);
    expect(reached.filter(isModeOneOnly).length).toBeGreaterThan(0);
  });

  it('translation terms reach the generator networks in mode 0 only, never a discriminator', () => {
    for (const name of ['imageIdentity', 'cycle', 'latentIdentity']) {
      const reached = reach(networks, name);
      expect(new Set(reached.map(networkOf)), name).toEqual(new Set(['encoder', 'decoderCommon', 'decoderResidual']));
      expect(reached.some(isModeOneOnly), name).toBe(false);
    }
  });

  it('the adversarial term flows through both discriminators into the generator, not into mode 1', () => {
    const reached = reach(networks, 'adversarial');
    expect(new Set(reached.map(networkOf))).toEqual(
      new Set(['encoder', 'decoderCommon', 'decoderResidual', 'discriminatorA', 'discriminatorB'])
    );
    expect(reached.some(isModeOneOnly)).toBe(false);
  });

  it('each discriminator loss reaches its own discriminator only (fakes are detached)', () => {
    expect(new Set(reach(networks, 'discriminatorA').map(networkOf))).toEqual(new Set(['discriminatorA']));
    expect(new Set(reach(networks, 'discriminatorB').map(networkOf))).toEqual(new Set(['discriminatorB']));
  });
});
