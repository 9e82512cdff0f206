import { createTrainer as createLibraryTrainer } from '../index';
import type { Trainer } from '../trainingTypes';
import type { TrainingOptions } from './jobTypes';

/** Turns the job's options into a trainer of the chosen method, preset and input size. */
export function createTrainer(options: TrainingOptions, channels = 1): Trainer {
  const [height, width] = options.inputSize;
  return createLibraryTrainer({
    model: options.method,
    preset: options.preset,
    height,
    width,
    channels,
    seed: options.seed
  });
}
