import { ApiError } from '../../api/contract';
import { createGenSegTrainer } from '../genseg/genSegTrainer';
import { createGenSegConfig, paperLossWeights } from '../genseg/presets';
import type { Trainer } from '../trainingTypes';
import type { TrainingOptions } from './jobTypes';

/** One place that turns the job's options into a trainer of the chosen method, preset and input size. */
export function createTrainer(options: TrainingOptions, channels = 1): Trainer {
  const [height, width] = options.inputSize;
  const segmentation = paperLossWeights.segmentation * (options.segmentationWeight ?? 1);
  if (options.method === 'genseg') {
    const config = createGenSegConfig({ preset: options.preset, height, width, channels, losses: { segmentation } });
    return createGenSegTrainer({ config, seed: options.seed });
  }
  throw new ApiError('unsupported', `The ${options.method} method is not available in this version yet.`);
}
