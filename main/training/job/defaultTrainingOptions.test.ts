import { describe, expect, it } from 'vitest';
import { resolveTrainingOptions } from './defaultTrainingOptions';

describe('one-click training options', () => {
  it('defaults to GenSeg on the cpu preset with a labelled slice per batch and a time limit, and says so', () => {
    const { options, recipe } = resolveTrainingOptions({}, false);
    expect(options).toMatchObject({ method: 'genseg', preset: 'cpu', minimumLabelledPerBatch: 1, maxSeconds: 1200, augment: true });
    expect(recipe).toMatch(/labelled slice in every batch/);
  });

  it('uses the paper preset on a GPU and the paper recipe when asked', () => {
    const { options, recipe } = resolveTrainingOptions({ paperRecipe: true }, true);
    expect(options).toMatchObject({ preset: 'paper', minimumLabelledPerBatch: 0 });
    expect(recipe).toMatch(/paper's recipe/);
  });

  it('keeps the limits it is given, and none when asked to run until stopped', () => {
    expect(resolveTrainingOptions({ maxSteps: 10 }, false).options.maxSeconds).toBeUndefined();
    expect(resolveTrainingOptions({ maxSeconds: 30 }, false).options.maxSeconds).toBe(30);
    expect(resolveTrainingOptions({ untilStopped: true }, false).options.maxSeconds).toBeUndefined();
  });
});
