import { defaultTrainingMinutes, type DeviceChoice, type TrainingMethod } from '../../contract';
import type { TrainingOptions } from './jobTypes';
import type { PresetName } from '../genseg/presets';
import { describeRecipe, resolveRecipe, type TrainingRecipe } from '../recipe/trainingRecipe';
import { defaultContinuousSettings, type ContinuousSettings } from './ContinuousTraining';

/** Input size per preset: the paper's brain width on a GPU, CPU-sized otherwise. */
const inputSizes: Record<PresetName, [number, number]> = { paper: [240, 240], cpu: [96, 96], tiny: [64, 64] };
const batchSizes: Record<PresetName, number> = { paper: 20, cpu: 8, tiny: 4 };
/**
 * One click must end in a model version: without a limit given, a run stops by itself after this long (and Stop ends it
 * sooner, keeping the best weights so far). `untilStopped` runs without a limit.
 */
const defaultSeconds: Record<PresetName, number> = {
  paper: defaultTrainingMinutes.paper * 60,
  cpu: defaultTrainingMinutes.cpu * 60,
  tiny: defaultTrainingMinutes.tiny * 60
};

export interface TrainingChoice {
  method?: TrainingMethod;
  preset?: PresetName;
  maxSteps?: number;
  maxSeconds?: number;
  seed?: number;
  /** Where to train: 'auto' (default) takes a GPU when one can train, else the CPU. */
  device?: DeviceChoice;
  /** The paper's exact recipe (joint steps only, uniform sampling, segmentation weight 0.01) instead of the laptop one. */
  paperRecipe?: boolean;
  /** Changes to the chosen recipe's schedule (tests, research on a server); the app keeps the recipe as measured. */
  recipe?: Partial<Omit<TrainingRecipe, 'name'>>;
  /** For tests and servers; the app keeps the defaults. */
  checkpointEverySeconds?: number;
  progressEverySeconds?: number;
  inputSize?: [number, number];
  batchSize?: number;
  /** Train until stopped instead of the preset's default time limit. */
  untilStopped?: boolean;
  /** Segmentation-only given slices tagged absent as empty masks too (the strong baseline of docs/decisions.md 18). */
  baselineWithAbsentSlices?: boolean;
  /** Keep training in the background as the user annotates (until stopped, unless a limit is given). */
  continuous?: boolean;
  /** For tests: how often continuous training re-reads the data and may publish a version. */
  continuousSettings?: ContinuousSettings;
}

/**
 * The defaults of one-click training: GenSeg with the laptop recipe (recipe/trainingRecipe.ts and docs/decisions.md:
 * the measured winner against segmentation-only at laptop budgets), the cpu preset unless a GPU backend is present.
 */
export function resolveTrainingOptions(
  choice: TrainingChoice,
  gpu: boolean
): { options: TrainingOptions; recipe: string } {
  const preset = choice.preset ?? (gpu ? 'paper' : 'cpu');
  const method = choice.method ?? 'genseg';
  const paper = choice.paperRecipe ?? false;
  const options: TrainingOptions = {
    method,
    preset,
    inputSize: choice.inputSize ?? inputSizes[preset],
    batchSize: choice.batchSize ?? batchSizes[preset],
    recipe: resolveRecipe(paper ? 'paper' : 'laptop', choice.recipe),
    augment: true,
    seed: choice.seed ?? 1,
    device: choice.device ?? 'auto',
    ...(choice.maxSteps !== undefined ? { maxSteps: choice.maxSteps } : {}),
    ...(choice.maxSeconds !== undefined
      ? { maxSeconds: choice.maxSeconds }
      : choice.maxSteps === undefined && !choice.untilStopped && !choice.continuous
        ? { maxSeconds: defaultSeconds[preset] }
        : {}),
    checkpointEverySeconds: choice.checkpointEverySeconds ?? 120,
    progressEverySeconds: choice.progressEverySeconds ?? 2,
    ...(choice.baselineWithAbsentSlices ? { baselineWithAbsentSlices: true } : {}),
    ...(choice.continuous ? { continuous: choice.continuousSettings ?? defaultContinuousSettings } : {})
  };
  const recipe =
    (choice.continuous ? 'In the background, learning from each tag and mask as you save it. ' : '') +
    (method === 'genseg'
      ? `${describeRecipe(options.recipe)} (${preset} preset)`
      : method === 'segmentation-only'
        ? `Segmentation-only baseline on the masked slices${choice.baselineWithAbsentSlices ? ' and slices tagged absent (kept empty)' : ''}, ${preset} preset.`
        : `AE + segmentation baseline, ${preset} preset.`);
  return { options, recipe };
}
