import { describe, expect, it } from 'vitest';
import { paperLossWeights } from '../genseg/presets';
import { readTrainingDice } from './runTrainingJob';

describe('readTrainingDice', () => {
  it('undoes each method’s weight on the Dice loss, and is null for a step without drawn slices', () => {
    expect(readTrainingDice({ segmentationOnly: 0.25, generator: 3 }, 'genseg', { kind: 'segmentation' })).toBeCloseTo(0.75);
    expect(readTrainingDice({ segmentation: 0.4 * 5, generator: 3 }, 'genseg', { kind: 'joint', segmentationWeight: 5 })).toBeCloseTo(0.6);
    expect(readTrainingDice({ segmentation: 0.9 * paperLossWeights.segmentation }, 'genseg', undefined)).toBeCloseTo(0.1);
    expect(readTrainingDice({ segmentation: 0.3, total: 0.3 }, 'segmentation-only', undefined)).toBeCloseTo(0.7);
    expect(readTrainingDice({ generator: 3, reconstruction: 1 }, 'genseg', { kind: 'joint', segmentationWeight: 5 })).toBeNull();
  });
});
