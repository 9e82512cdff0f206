import type { TrainerOptions } from '../createTrainer';
import { channelCountOf } from '../data';
import type { TrainingOptions } from './jobTypes';

/** What a job's options ask of the trainer: the chosen method and preset at the job's input size, one channel per sequence. */
export function toTrainerOptions(options: TrainingOptions, channels = channelCountOf(options.sequences)): TrainerOptions {
  const [height, width] = options.inputSize;
  return { model: options.method, preset: options.preset, height, width, channels, seed: options.seed };
}
