/**
 * Training recipes: how the steps of one run are scheduled. Every recipe keeps GenSeg's networks, forward paths and
 * losses; they differ in what each step trains and on which batch (docs/genseg.md#the-papers-recipe-on-a-laptop-budget,
 * issue "GenSeg must beat its own baseline on a laptop budget").
 *
 * - `paper`: every step is a joint GenSeg step on a uniformly drawn batch, segmentation weight 0.01, as the authors
 *   train. With 1% masks, nine batches in ten carry no label; it wins only after long GPU training.
 * - `laptop`: a warm start of segmentation steps (the shared encoder and the residual decoder in mode 1, on labelled
 *   slices plus a quarter as many slices tagged absent, whose target is an empty mask: a tenth of a joint step's
 *   cost), then segmentation steps interleaved with joint GenSeg steps whose batches always carry labelled slices,
 *   with a segmentation weight that makes those labels count. The absent slices are what keeps proposals off healthy
 *   slices (docs/decisions.md, 18).
 *
 * The plan of a step is a pure function of the recipe and the step's index, so a resumed run continues the schedule
 * exactly where it stopped.
 */
export type RecipeName = 'laptop' | 'paper';

export interface TrainingRecipe {
  name: RecipeName;
  /** Segmentation-only steps before the first joint step. */
  warmStartSteps: number;
  /** After the warm start: segmentation steps between two joint steps (0 = joint steps only). */
  segmentationStepsPerJointStep: number;
  /** Labelled slices drawn into each joint step's presence batch, as a fraction of it (0 = uniform sampling). */
  labelledFractionPerJointBatch: number;
  /** λ_seg of the joint steps (the paper's is 0.01). */
  jointSegmentationWeight: number;
  /**
   * Slices tagged absent added to each segmentation step's batch, as a fraction of the batch size, with an empty mask
   * as their target (0 = labelled slices only). An absence tag says "no tumour on this slice", which is a mask; the
   * pooled Dice then counts every pixel the model paints on a healthy slice as a false positive.
   */
  absentFractionPerSegmentationBatch: number;
}

export type StepPlan = { kind: 'joint'; segmentationWeight: number } | { kind: 'segmentation' };

export const trainingRecipes: Record<RecipeName, TrainingRecipe> = {
  paper: {
    name: 'paper',
    warmStartSteps: 0,
    segmentationStepsPerJointStep: 0,
    labelledFractionPerJointBatch: 0,
    jointSegmentationWeight: 0.01,
    absentFractionPerSegmentationBatch: 0
  },
  laptop: {
    name: 'laptop',
    warmStartSteps: 300,
    segmentationStepsPerJointStep: 19,
    labelledFractionPerJointBatch: 0.5,
    jointSegmentationWeight: 1,
    absentFractionPerSegmentationBatch: 0.25
  }
};

export function resolveRecipe(name: RecipeName, overrides: Partial<Omit<TrainingRecipe, 'name'>> = {}): TrainingRecipe {
  const recipe = { ...trainingRecipes[name], ...overrides };
  if (!Number.isInteger(recipe.warmStartSteps) || recipe.warmStartSteps < 0)
    throw new Error('warmStartSteps must be a whole number ≥ 0');
  if (!Number.isInteger(recipe.segmentationStepsPerJointStep) || recipe.segmentationStepsPerJointStep < 0) {
    throw new Error('segmentationStepsPerJointStep must be a whole number ≥ 0');
  }
  if (!(recipe.labelledFractionPerJointBatch >= 0 && recipe.labelledFractionPerJointBatch <= 1)) {
    throw new Error('labelledFractionPerJointBatch must lie in [0, 1]');
  }
  if (!(recipe.jointSegmentationWeight >= 0)) throw new Error('jointSegmentationWeight must be ≥ 0');
  if (!(recipe.absentFractionPerSegmentationBatch >= 0 && recipe.absentFractionPerSegmentationBatch <= 4)) {
    throw new Error('absentFractionPerSegmentationBatch must lie in [0, 4]');
  }
  return recipe;
}

/** What step `index` (0-based, counting every step of the run) trains. */
export function planStep(recipe: TrainingRecipe, index: number): StepPlan {
  if (index < recipe.warmStartSteps) return { kind: 'segmentation' };
  const period = recipe.segmentationStepsPerJointStep + 1;
  const position = (index - recipe.warmStartSteps) % period;
  // The joint step closes each period, so the first step after the warm start is still a cheap one only when the
  // period has them; a recipe without segmentation steps is joint from its first step.
  return position === period - 1
    ? { kind: 'joint', segmentationWeight: recipe.jointSegmentationWeight }
    : { kind: 'segmentation' };
}

/** Labelled slices to draw into a joint batch of `batchSize`: at least one whenever the fraction is not 0. */
export function labelledPerJointBatch(recipe: TrainingRecipe, batchSize: number): number {
  if (recipe.labelledFractionPerJointBatch === 0) return 0;
  return Math.min(batchSize, Math.max(1, Math.round(recipe.labelledFractionPerJointBatch * batchSize)));
}

/** Absent slices (empty-mask targets) to add to a segmentation batch of `batchSize` labelled slices. */
export function absentPerSegmentationBatch(recipe: TrainingRecipe, batchSize: number): number {
  return Math.round(recipe.absentFractionPerSegmentationBatch * batchSize);
}

/** One line for the training panel: which recipe runs and why. */
export function describeRecipe(recipe: TrainingRecipe): string {
  if (recipe.name === 'paper') {
    return 'Paper recipe: every step trains translation and segmentation together on uniform batches (segmentation weight 0.01); it needs long GPU training to pay off.';
  }
  const slices =
    recipe.absentFractionPerSegmentationBatch > 0
      ? 'masked slices and slices tagged absent (kept empty)'
      : 'masked slices';
  const absentReason =
    recipe.absentFractionPerSegmentationBatch > 0
      ? ', and the absent slices keep its proposals off healthy tissue'
      : '';
  return `Laptop recipe: quick segmentation steps on ${slices}, ${recipe.warmStartSteps} first, then one full GenSeg step (half its batch masked) after every ${recipe.segmentationStepsPerJointStep} of them, because with few masks it learns within minutes on a CPU, where the paper's recipe needs hours${absentReason}.`;
}
