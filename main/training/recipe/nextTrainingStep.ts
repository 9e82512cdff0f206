import type { TrainingMethod, TrainingBatch } from '../trainingTypes';
import { absentPerSegmentationBatch, planStep, type StepPlan, type TrainingRecipe } from './trainingRecipe';

/** Where batches come from: mixed presence/absence batches, and batches of labelled slices only. */
export interface BatchSource {
  /** Slices per batch (the labelled ones of a segmentation batch; absent ones come on top). */
  readonly batchSize: number;
  nextBatch(): TrainingBatch;
  /** Labelled slices, followed by `absentCount` absent slices whose target is an empty mask. */
  nextLabelledBatch(absentCount?: number): TrainingBatch;
}

/**
 * The batch and plan of the next step of a run. GenSeg follows the recipe (segmentation steps draw labelled slices,
 * plus the recipe's share of absent slices as empty masks); segmentation-only always trains on labelled slices, as the paper's baseline does; AE + segmentation takes
 * mixed batches. The mixed batches carry the recipe's share of labelled slices (the source is built with it).
 */
export function nextTrainingStep(
  method: TrainingMethod,
  recipe: TrainingRecipe,
  stepIndex: number,
  source: BatchSource,
  /** The strong baseline: segmentation-only given the recipe's share of absent slices as empty masks too. */
  baselineWithAbsentSlices = false
): { batch: TrainingBatch; plan?: StepPlan } {
  if (method === 'segmentation-only') {
    return { batch: source.nextLabelledBatch(baselineWithAbsentSlices ? absentPerSegmentationBatch(recipe, source.batchSize) : 0) };
  }
  if (method !== 'genseg') return { batch: source.nextBatch() };
  const plan = planStep(recipe, stepIndex);
  if (plan.kind === 'joint') return { batch: source.nextBatch(), plan };
  return { batch: source.nextLabelledBatch(absentPerSegmentationBatch(recipe, source.batchSize)), plan };
}
