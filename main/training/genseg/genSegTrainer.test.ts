import { beforeAll, describe, expect, it } from 'vitest';
import { activateBackend } from '../backend/selectBackend';
import { tf } from '../tf';
import { createSyntheticBatch } from '../testing/syntheticBatch';
import { createGenSegTrainer } from './genSegTrainer';
import { createGenSegConfig } from './presets';

const geometry = { height: 32, width: 32, channels: 1 };

function tinyConfig(losses = {}) {
  return createGenSegConfig({ preset: 'tiny', family: 'mnist48', ...geometry, losses });
}

function readVariables(
  trainer: ReturnType<typeof createGenSegTrainer>,
  filter: (path: string) => boolean
): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const entry of trainer.networks.registry.entries) {
    if (filter(entry.path)) out.set(entry.path, entry.variable.dataSync() as Float32Array);
  }
  return out;
}

function expectSame(a: Map<string, Float32Array>, b: Map<string, Float32Array>): void {
  expect([...a.keys()]).toEqual([...b.keys()]);
  for (const [path, values] of a) expect(Array.from(b.get(path)!), path).toEqual(Array.from(values));
}

const isSegmentationOnly = (path: string): boolean =>
  path.startsWith('decoderResidual/') &&
  (/\/mode1\//.test(path) || /outConv1\//.test(path) || /classifier\//.test(path));

describe('GenSeg trainer', () => {
  beforeAll(async () => {
    await activateBackend('wasm');
  });

  it('keeps tf.memory().numTensors unchanged across a training step and a prediction', async () => {
    const trainer = createGenSegTrainer({ config: tinyConfig(), seed: 1 });
    const batch = createSyntheticBatch({ count: 2, ...geometry, labelled: [true, false], seed: 2 });
    await trainer.trainStep(batch); // creates the optimizer slots
    const before = tf.memory().numTensors;
    const report = await trainer.trainStep(batch);
    expect(tf.memory().numTensors).toBe(before);
    for (const value of Object.values(report.losses)) expect(Number.isFinite(value)).toBe(true);
    expect(Object.keys(report.losses).sort()).toEqual(
      [
        'adversarial',
        'cycle',
        'discriminator',
        'discriminatorA',
        'discriminatorB',
        'generator',
        'imageIdentity',
        'latentIdentity',
        'segmentation'
      ].sort()
    );
    const probabilities = await trainer.predict(batch.imagesA);
    expect(probabilities.length).toBe(2 * 32 * 32);
    expect(tf.memory().numTensors).toBe(before);
    trainer.dispose();
  });

  it('leaves every mode-1 parameter untouched on an unlabelled batch, and moves them on a labelled one', async () => {
    const trainer = createGenSegTrainer({ config: tinyConfig(), seed: 3 });
    const before = readVariables(trainer, isSegmentationOnly);
    expect(before.size).toBeGreaterThan(0);
    await trainer.trainStep(createSyntheticBatch({ count: 2, ...geometry, labelled: [false, false], seed: 4 }));
    expectSame(before, readVariables(trainer, isSegmentationOnly));
    await trainer.trainStep(createSyntheticBatch({ count: 2, ...geometry, labelled: [true, false], seed: 5 }));
    const after = readVariables(trainer, isSegmentationOnly);
    for (const [path, values] of before) expect(Array.from(after.get(path)!), path).not.toEqual(Array.from(values));
    trainer.dispose();
  });

  it('never lets the segmentation loss change a discriminator', async () => {
    const batch = createSyntheticBatch({ count: 2, ...geometry, labelled: [true, true], seed: 6 });
    const isDiscriminator = (path: string): boolean => path.startsWith('discriminator');
    const results: Map<string, Float32Array>[] = [];
    for (const segmentation of [0.01, 1000]) {
      const trainer = createGenSegTrainer({ config: tinyConfig({ segmentation }), seed: 7 });
      await trainer.trainStep(batch);
      results.push(readVariables(trainer, isDiscriminator));
      trainer.dispose();
    }
    expectSame(results[0]!, results[1]!);
  });

  it('trains only the encoder and the residual decoder on a segmentation step, without leaking tensors', async () => {
    const trainer = createGenSegTrainer({ config: tinyConfig(), seed: 8 });
    const batch = createSyntheticBatch({ count: 2, ...geometry, labelled: [true, false], seed: 9 });
    const learns = (path: string): boolean => path.startsWith('encoder/') || path.startsWith('decoderResidual/');
    const isStill = (path: string): boolean => !learns(path);
    await trainer.trainStep(batch, { kind: 'segmentation' }); // creates the optimizer slots
    const stillBefore = readVariables(trainer, isStill);
    const segmentationBefore = readVariables(trainer, isSegmentationOnly);
    const numTensors = tf.memory().numTensors;
    const report = await trainer.trainStep(batch, { kind: 'segmentation' });
    expect(tf.memory().numTensors).toBe(numTensors);
    expect(Object.keys(report.losses)).toEqual(['segmentationOnly']);
    expect(report.losses.segmentationOnly).toBeLessThan(0);
    expect(trainer.stepCount).toBe(2);
    expectSame(stillBefore, readVariables(trainer, isStill));
    const segmentationAfter = readVariables(trainer, isSegmentationOnly);
    for (const [path, values] of segmentationBefore)
      expect(Array.from(segmentationAfter.get(path)!), path).not.toEqual(Array.from(values));
    trainer.dispose();
  });

  it('does nothing but count the step when a segmentation batch has no label', async () => {
    const trainer = createGenSegTrainer({ config: tinyConfig(), seed: 10 });
    const before = readVariables(trainer, () => true);
    const report = await trainer.trainStep(
      createSyntheticBatch({ count: 2, ...geometry, labelled: [false, false], seed: 11 }),
      { kind: 'segmentation' }
    );
    expect(report.losses).toEqual({});
    expectSame(
      before,
      readVariables(trainer, () => true)
    );
    trainer.dispose();
  });

  it("uses a joint plan's segmentation weight for that step", async () => {
    const batch = createSyntheticBatch({ count: 2, ...geometry, labelled: [true, false], seed: 12 });
    const fromPlan = createGenSegTrainer({ config: tinyConfig(), seed: 13 });
    const fromConfig = createGenSegTrainer({ config: tinyConfig({ segmentation: 0.5 }), seed: 13 });
    const planned = await fromPlan.trainStep(batch, { kind: 'joint', segmentationWeight: 0.5 });
    const configured = await fromConfig.trainStep(batch);
    expect(planned.losses.segmentation).toBeCloseTo(configured.losses.segmentation!, 6);
    expectSame(
      readVariables(fromPlan, () => true),
      readVariables(fromConfig, () => true)
    );
    fromPlan.dispose();
    fromConfig.dispose();
  });
});
