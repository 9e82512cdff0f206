import { beforeAll, describe, expect, it } from 'vitest';
import { activateBackend } from '../backend/selectBackend';
import { createGenSegTrainer } from '../genseg/genSegTrainer';
import { createGenSegConfig } from '../genseg/presets';
import { tf } from '../tf';
import { createSyntheticBatch } from '../testing/syntheticBatch';
import type { Checkpoint } from '../trainingTypes';

const geometry = { height: 32, width: 32, channels: 1 };
const config = createGenSegConfig({ preset: 'tiny', family: 'mnist48', ...geometry });

function snapshot(trainer: ReturnType<typeof createGenSegTrainer>): Map<string, number[]> {
  return new Map(trainer.networks.registry.entries.map((entry) => [entry.path, Array.from(entry.variable.dataSync())]));
}

/** What a caller storing the checkpoint in a file would do: JSON for the manifest, a copy of the bytes. */
function storeAndReload(checkpoint: Checkpoint): Checkpoint {
  return { manifest: JSON.parse(JSON.stringify(checkpoint.manifest)), data: checkpoint.data.slice(0) };
}

describe('checkpoint round trip', () => {
  beforeAll(async () => {
    await activateBackend('wasm');
  });

  it('makes the next step identical to an uninterrupted run', async () => {
    const batches = [1, 2, 3].map((seed) =>
      createSyntheticBatch({ count: 2, ...geometry, labelled: [true, seed === 2], seed })
    );
    const uninterrupted = createGenSegTrainer({ config, seed: 11 });
    // A segmentation step, as the laptop recipe interleaves them: its optimizer state must travel too.
    await uninterrupted.trainStep(batches[0]!, { kind: 'segmentation' });
    await uninterrupted.trainStep(batches[1]!);
    const checkpoint = storeAndReload(await uninterrupted.saveCheckpoint());
    const expectedReport = await uninterrupted.trainStep(batches[2]!);
    const expectedSegmentation = await uninterrupted.trainStep(batches[0]!, { kind: 'segmentation' });
    const expected = snapshot(uninterrupted);
    uninterrupted.dispose();

    // A different seed: everything the next step depends on must come from the checkpoint.
    const resumed = createGenSegTrainer({ config, seed: 99 });
    const before = tf.memory().numTensors;
    resumed.loadCheckpoint(checkpoint);
    expect(resumed.stepCount).toBe(2);
    const report = await resumed.trainStep(batches[2]!);
    expect(report).toEqual(expectedReport);
    expect(await resumed.trainStep(batches[0]!, { kind: 'segmentation' })).toEqual(expectedSegmentation);
    const actual = snapshot(resumed);
    for (const [path, values] of expected) expect(actual.get(path), path).toEqual(values);
    // Loading created the optimizer slots the saved run had; nothing else may remain.
    resumed.dispose();
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
  });

  it('refuses a checkpoint of another configuration', async () => {
    const small = createGenSegTrainer({ config, seed: 1 });
    const checkpoint = await small.saveCheckpoint();
    small.dispose();
    const other = createGenSegTrainer({
      config: createGenSegConfig({ preset: 'tiny', family: 'mnist48', height: 48, width: 48, channels: 1 })
    });
    expect(() => other.loadCheckpoint(checkpoint)).toThrow(/config/);
    other.dispose();
  });
});
