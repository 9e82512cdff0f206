import { describe, expect, it } from 'vitest';
import type { TrainingBatch } from '../trainingTypes';
import { nextTrainingStep } from './nextTrainingStep';
import {
  absentPerSegmentationBatch,
  describeRecipe,
  labelledPerJointBatch,
  planStep,
  resolveRecipe,
  trainingRecipes
} from './trainingRecipe';

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

  it('asks the source for its share of absent slices in segmentation batches only', () => {
    const recipe = resolveRecipe('laptop', {
      warmStartSteps: 1,
      segmentationStepsPerJointStep: 1,
      absentFractionPerSegmentationBatch: 0.5
    });
    expect(absentPerSegmentationBatch(recipe, 8)).toBe(4);
    expect(absentPerSegmentationBatch(trainingRecipes.paper, 8)).toBe(0);
    const calls: string[] = [];
    const batch: TrainingBatch = {
      imagesA: new Float32Array(0),
      imagesB: new Float32Array(0),
      masksA: new Float32Array(0),
      labelled: []
    };
    const source = {
      batchSize: 8,
      nextBatch: () => (calls.push('mixed'), batch),
      nextLabelledBatch: (absent = 0) => (calls.push(`labelled+${absent}`), batch)
    };
    for (let index = 0; index < 4; index += 1) nextTrainingStep('genseg', recipe, index, source);
    nextTrainingStep('segmentation-only', recipe, 0, source);
    nextTrainingStep('segmentation-only', recipe, 0, source, true);
    nextTrainingStep('ae-segmentation', recipe, 0, source);
    expect(calls).toEqual(['labelled+4', 'labelled+4', 'mixed', 'labelled+4', 'labelled+0', 'labelled+4', 'mixed']);
  });

  it('refuses settings that make no schedule', () => {
    expect(() => resolveRecipe('laptop', { warmStartSteps: -1 })).toThrow(/warmStartSteps/);
    expect(() => resolveRecipe('laptop', { segmentationStepsPerJointStep: 1.5 })).toThrow(
      /segmentationStepsPerJointStep/
    );
    expect(() => resolveRecipe('laptop', { labelledFractionPerJointBatch: 2 })).toThrow(/labelledFraction/);
    expect(() => resolveRecipe('laptop', { absentFractionPerSegmentationBatch: -1 })).toThrow(/absentFraction/);
  });

  it('trains segmentation steps on slices tagged absent too by default, two per batch of eight', () => {
    expect(absentPerSegmentationBatch(trainingRecipes.laptop, 8)).toBe(2);
    expect(describeRecipe(trainingRecipes.laptop)).toMatch(/slices tagged absent \(kept empty\)/);
    expect(describeRecipe(resolveRecipe('laptop', { absentFractionPerSegmentationBatch: 0 }))).not.toMatch(/absent/);
  });

  it('says in one line which recipe runs and why', () => {
    expect(describeRecipe(trainingRecipes.laptop)).toMatch(/^Laptop recipe: .* because .*$/);
    expect(describeRecipe(trainingRecipes.paper)).toMatch(/^Paper recipe: /);
    expect(describeRecipe(trainingRecipes.laptop)).not.toMatch(/\n/);
  });
});
