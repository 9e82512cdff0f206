import { beforeAll, describe, expect, it } from 'vitest';
import { activateBackend } from '../backend/selectBackend';
import { createGenSegConfig, createPaperConfig } from '../genseg/presets';
import { tf } from '../tf';
import { createSyntheticBatch } from '../testing/syntheticBatch';
import { BaselineTrainer } from './baselineTrainer';

const geometry = { height: 32, width: 32, channels: 1 };
const config = createGenSegConfig({ preset: 'tiny', family: 'mnist48', ...geometry });

describe('baselines', () => {
  beforeAll(async () => {
    await activateBackend('wasm');
  });

  it('build the brain baselines with the sizes of the authors’ ae_004_sc decoders (about 1.62M and 1.63M)', () => {
    const trainer = new BaselineTrainer({ config: createPaperConfig('brain'), withReconstruction: true });
    const counts = trainer.countParameters();
    expect(counts.encoder).toBe(1_748_496);
    expect(Math.round(counts.decoderReconstruction! / 1e4) / 100).toBe(1.62);
    expect(Math.round(counts.decoderSegmentation! / 1e4) / 100).toBe(1.63);
    trainer.dispose();
  });

  it('train both baselines without leaking tensors; segmentation-only skips batches without labels', async () => {
    const labelled = createSyntheticBatch({ count: 2, ...geometry, labelled: [true, false], seed: 1 });
    const unlabelled = createSyntheticBatch({ count: 2, ...geometry, labelled: [false, false], seed: 2 });
    for (const withReconstruction of [true, false]) {
      const trainer = new BaselineTrainer({ config, withReconstruction, seed: 3 });
      await trainer.trainStep(labelled);
      const before = tf.memory().numTensors;
      const report = await trainer.trainStep(labelled);
      expect(Object.keys(report.losses).sort()).toEqual(withReconstruction ? ['reconstruction', 'segmentation', 'total'] : ['segmentation', 'total']);
      const skipped = await trainer.trainStep(unlabelled);
      expect(Object.keys(skipped.losses)).toEqual(withReconstruction ? ['reconstruction', 'total'] : []);
      expect((await trainer.predict(labelled.imagesA)).length).toBe(2 * 32 * 32);
      expect(tf.memory().numTensors).toBe(before);
      trainer.dispose();
    }
  });
});
