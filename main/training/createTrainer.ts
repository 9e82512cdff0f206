import { BaselineTrainer } from './baselines/baselineTrainer';
import { createGenSegTrainer, type GenSegTrainer } from './genseg/genSegTrainer';
import {
  createGenSegConfig,
  type ArchitectureFamily,
  type GenSegConfig,
  type LossWeights,
  type OptimizerSettings,
  type PresetName
} from './genseg/presets';
import type { TrainingMethod, Trainer } from './trainingTypes';

export interface TrainerOptions {
  model: TrainingMethod;
  preset: PresetName;
  /** Image geometry; the architecture family defaults from it (≥ 96 px: brain layout, else MNIST-48 layout). */
  height: number;
  width: number;
  channels: number;
  family?: ArchitectureFamily;
  /** Overrides the preset's width factor. */
  widthFactor?: number;
  seed?: number;
  /** GenSeg loss weights (paper values by default). */
  losses?: Partial<LossWeights>;
  optimizer?: Partial<OptimizerSettings>;
  /** Baseline loss weights (λ_rec, λ_seg; 1 and 1 by default). */
  baselineWeights?: { reconstruction: number; segmentation: number };
}

/** Builds a trainer; the active tfjs backend is used (call selectBackend() first). */
export function createTrainer(options: TrainerOptions): Trainer {
  return createLocalTrainer(options);
}

/** A trainer on this thread's backend, which can also be one replica of a data-parallel step. */
export type LocalTrainer = GenSegTrainer | BaselineTrainer;

export function createLocalTrainer(options: TrainerOptions): LocalTrainer {
  const config: GenSegConfig = createGenSegConfig(options);
  if (options.model === 'genseg') return createGenSegTrainer({ config, seed: options.seed });
  return new BaselineTrainer({
    config,
    withReconstruction: options.model === 'ae-segmentation',
    seed: options.seed,
    weights: options.baselineWeights
  });
}
