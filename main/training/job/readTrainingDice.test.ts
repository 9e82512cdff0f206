import { describe, expect, it } from 'vitest';
import { computeSoftDiceLoss } from '../genseg/losses';
import { paperLossWeights } from '../genseg/presets';
import { readTrainingDice } from './runTrainingJob';

describe('readTrainingDice', () => {
  it('undoes each method’s weight on the Dice loss, and is null for a step without drawn slices', async () => {
    // The loss term it reads really is the negative soft Dice.
    const tf = await import('@tensorflow/tfjs-core');
    await import('@tensorflow/tfjs-backend-cpu');
    await tf.setBackend('cpu');
    const prediction = tf.tensor4d([1, 1, 0, 0], [1, 2, 2, 1]);
    const target = tf.tensor4d([1, 0, 0, 0], [1, 2, 2, 1]);
    const loss = (await computeSoftDiceLoss(prediction, target).data())[0]!;
    expect(readTrainingDice({ segmentationOnly: loss }, 'genseg', { kind: 'segmentation' })).toBeCloseTo((2 * 1 + 1) / (1 + 2 + 1));
    tf.dispose([prediction, target]);

    // The loss is the negative soft Dice, times the step's weight.
    expect(readTrainingDice({ segmentationOnly: -0.75, generator: 3 }, 'genseg', { kind: 'segmentation' })).toBeCloseTo(0.75);
    expect(readTrainingDice({ segmentation: -0.6 * 5, generator: 3 }, 'genseg', { kind: 'joint', segmentationWeight: 5 })).toBeCloseTo(0.6);
    expect(readTrainingDice({ segmentation: -0.1 * paperLossWeights.segmentation }, 'genseg', undefined)).toBeCloseTo(0.1);
    expect(readTrainingDice({ segmentation: -0.7, total: -0.7 }, 'segmentation-only', undefined)).toBeCloseTo(0.7);
    expect(readTrainingDice({ generator: 3, reconstruction: 1 }, 'genseg', { kind: 'joint', segmentationWeight: 5 })).toBeNull();
  });
});
