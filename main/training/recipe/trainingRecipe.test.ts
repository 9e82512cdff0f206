import { describe, expect, it } from 'vitest';
import { describeRecipe, labelledPerJointBatch, planStep, resolveRecipe, trainingRecipes } from './trainingRecipe';

describe('training recipes', () => {
  it('keeps the paper recipe as the authors train: joint steps only, uniform batches, λ_seg 0.01', () => {
    const paper = resolveRecipe('paper');
    for (const index of [0, 1, 2, 500])
      expect(planStep(paper, index)).toEqual({ kind: 'joint', segmentationWeight: 0.01 });
    expect(labelledPerJointBatch(paper, 8)).toBe(0);
  });

  it('warm-starts with segmentation steps, then closes every period with one joint step', () => {
    const recipe = resolveRecipe('laptop', {
      warmStartSteps: 3,
      segmentationStepsPerJointStep: 2,
      jointSegmentationWeight: 0.5
    });
    const kinds = Array.from({ length: 12 }, (_, index) => planStep(recipe, index).kind);
    expect(kinds).toEqual([
      'segmentation',
      'segmentation',
      'segmentation',
      'segmentation',
      'segmentation',
      'joint',
      'segmentation',
      'segmentation',
      'joint',
      'segmentation',
      'segmentation',
      'joint'
    ]);
    expect(planStep(recipe, 5)).toEqual({ kind: 'joint', segmentationWeight: 0.5 });
  });

  it('is a pure function of the step index, so a resumed run continues the same schedule', () => {
    const recipe = trainingRecipes.laptop;
    const straight = Array.from({ length: 400 }, (_, index) => planStep(recipe, index));
    const resumed = [
      ...Array.from({ length: 150 }, (_, index) => planStep(recipe, index)),
      ...Array.from({ length: 250 }, (_, index) => planStep(recipe, 150 + index))
    ];
    expect(resumed).toEqual(straight);
    const joint = straight.filter((plan) => plan.kind === 'joint').length;
    expect(joint).toBe(Math.floor((400 - recipe.warmStartSteps) / (recipe.segmentationStepsPerJointStep + 1)));
  });

  it('draws its share of labelled slices into each joint batch, at least one', () => {
    expect(labelledPerJointBatch(resolveRecipe('laptop', { labelledFractionPerJointBatch: 0.5 }), 8)).toBe(4);
    expect(labelledPerJointBatch(resolveRecipe('laptop', { labelledFractionPerJointBatch: 0.01 }), 8)).toBe(1);
    expect(labelledPerJointBatch(resolveRecipe('laptop', { labelledFractionPerJointBatch: 1 }), 2)).toBe(2);
  });

  it('refuses settings that make no schedule', () => {
    expect(() => resolveRecipe('laptop', { warmStartSteps: -1 })).toThrow(/warmStartSteps/);
    expect(() => resolveRecipe('laptop', { segmentationStepsPerJointStep: 1.5 })).toThrow(
      /segmentationStepsPerJointStep/
    );
    expect(() => resolveRecipe('laptop', { labelledFractionPerJointBatch: 2 })).toThrow(/labelledFraction/);
  });

  it('says in one line which recipe runs and why', () => {
    expect(describeRecipe(trainingRecipes.laptop)).toMatch(/^Laptop recipe: .* because .*$/);
    expect(describeRecipe(trainingRecipes.paper)).toMatch(/^Paper recipe: /);
    expect(describeRecipe(trainingRecipes.laptop)).not.toMatch(/\n/);
  });
});
