import { describe, expect, it } from 'vitest';
import { trainingRecipes } from '../recipe/trainingRecipe';
import { resolveTrainingOptions } from './defaultTrainingOptions';

describe('one-click training options', () => {
  it('defaults to GenSeg with the laptop recipe on the cpu preset and a time limit, and says so', () => {
    const { options, recipe } = resolveTrainingOptions({}, false);
    expect(options).toMatchObject({ method: 'genseg', preset: 'cpu', maxSeconds: 1200, augment: true, device: 'auto' });
    expect(options.recipe).toEqual(trainingRecipes.laptop);
    expect(recipe).toMatch(/^Laptop recipe: .*\(cpu preset\)$/);
  });

  it('uses the paper preset on a GPU and the paper recipe when asked', () => {
    const { options, recipe } = resolveTrainingOptions({ paperRecipe: true }, true);
    expect(options).toMatchObject({ preset: 'paper', recipe: trainingRecipes.paper });
    expect(recipe).toMatch(/^Paper recipe: /);
  });

  it('carries the device the user chose to the job', () => {
    expect(resolveTrainingOptions({ device: 'cpu' }, false).options.device).toBe('cpu');
    expect(resolveTrainingOptions({ device: 'gpu' }, false).options.device).toBe('gpu');
  });

  it('keeps the limits it is given, and none when asked to run until stopped', () => {
    expect(resolveTrainingOptions({ maxSteps: 10 }, false).options.maxSeconds).toBeUndefined();
    expect(resolveTrainingOptions({ maxSeconds: 30 }, false).options.maxSeconds).toBe(30);
    expect(resolveTrainingOptions({ untilStopped: true }, false).options.maxSeconds).toBeUndefined();
  });
});
