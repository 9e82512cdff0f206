import type { TrainingMethod, TrainingOptions } from './jobTypes';
import type { PresetName } from '../genseg/presets';

/** Input size per preset: the paper's brain width on a GPU, CPU-sized otherwise. */
const inputSizes: Record<PresetName, [number, number]> = { paper: [240, 240], cpu: [96, 96], tiny: [64, 64] };
const batchSizes: Record<PresetName, number> = { paper: 20, cpu: 8, tiny: 4 };
/**
 * One click must end in a model version: without a limit given, a run stops by itself after this long (and Stop ends it
 * sooner, keeping the best weights so far). `untilStopped` runs without a limit.
 */
const defaultSeconds: Record<PresetName, number> = { paper: 2 * 3600, cpu: 20 * 60, tiny: 2 * 60 };

export interface TrainingChoice {
  method?: TrainingMethod;
  preset?: PresetName;
  maxSteps?: number;
  maxSeconds?: number;
  seed?: number;
  /** The paper's exact recipe (uniform sampling, segmentation weight 0.01) instead of the laptop default. */
  paperRecipe?: boolean;
  /** For tests and servers; the app keeps the defaults. */
  checkpointEverySeconds?: number;
  inputSize?: [number, number];
  batchSize?: number;
  /** Train until stopped instead of the preset's default time limit. */
  untilStopped?: boolean;
}

/**
 * The defaults of one-click training. The laptop recipe keeps every path and loss of GenSeg and puts at least one
 * labelled slice in every batch (genseg.md section 11: with 1% masks and uniform sampling, nine batches in ten carry
 * no label on a CPU budget).
 */
export function resolveTrainingOptions(choice: TrainingChoice, gpu: boolean): { options: TrainingOptions; recipe: string } {
  const preset = choice.preset ?? (gpu ? 'paper' : 'cpu');
  const method = choice.method ?? 'genseg';
  const paper = choice.paperRecipe ?? false;
  const options: TrainingOptions = {
    method,
    preset,
    inputSize: choice.inputSize ?? inputSizes[preset],
    batchSize: choice.batchSize ?? batchSizes[preset],
    minimumLabelledPerBatch: paper ? 0 : 1,
    segmentationWeight: 1,
    augment: true,
    seed: choice.seed ?? 1,
    ...(choice.maxSteps !== undefined ? { maxSteps: choice.maxSteps } : {}),
    ...(choice.maxSeconds !== undefined
      ? { maxSeconds: choice.maxSeconds }
      : choice.maxSteps === undefined && !choice.untilStopped
        ? { maxSeconds: defaultSeconds[preset] }
        : {}),
    checkpointEverySeconds: choice.checkpointEverySeconds ?? 120,
    progressEverySeconds: 2
  };
  const recipe = paper
    ? `${method} with the paper's recipe (uniform batches, segmentation weight 0.01), ${preset} preset.`
    : `${method}, ${preset} preset, with a labelled slice in every batch so that few masks still guide training on a laptop budget.`;
  return { options, recipe };
}
