import type { ModelKind, TrainingBatch } from '../trainingTypes';
import { planStep, type StepPlan, type TrainingRecipe } from './trainingRecipe';

/** Where batches come from: mixed presence/absence batches, and batches of labelled slices only. */
export interface BatchSource {
  nextBatch(): TrainingBatch;
  nextLabelledBatch(): TrainingBatch;
}

/**
 * The batch and plan of the next step of a run. GenSeg follows the recipe (segmentation steps draw labelled slices
 * only); segmentation-only always trains on labelled slices, as the paper's baseline does; AE + segmentation takes
 * mixed batches. The mixed batches carry the recipe's share of labelled slices (the source is built with it).
 */
export function nextTrainingStep(
  method: ModelKind,
  recipe: TrainingRecipe,
  stepIndex: number,
  source: BatchSource
): { batch: TrainingBatch; plan?: StepPlan } {
  if (method === 'segmentation-only') return { batch: source.nextLabelledBatch() };
  if (method !== 'genseg') return { batch: source.nextBatch() };
  const plan = planStep(recipe, stepIndex);
  return { batch: plan.kind === 'segmentation' ? source.nextLabelledBatch() : source.nextBatch(), plan };
}
