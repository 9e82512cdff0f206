/**
 * Public face of the training library: pick a backend, build a trainer for GenSeg or a baseline, step it with plain
 * arrays, predict, and save/restore checkpoints as a JSON manifest plus an ArrayBuffer. No file paths here: callers
 * decide where data and checkpoints live. See README.md.
 */

export { selectBackend, defaultBackendOrder } from './backend/selectBackend';
export type { BackendCandidate, BackendChoice } from './backend/selectBackend';
export {
  createGenSegConfig,
  createPaperConfig,
  presetWidths,
  paperLossWeights,
  paperOptimizer
} from './genseg/presets';
export type { ArchitectureFamily, GenSegConfig, LossWeights, OptimizerSettings, PresetName } from './genseg/presets';
export {
  describeRecipe,
  absentPerSegmentationBatch,
  labelledPerJointBatch,
  planStep,
  resolveRecipe,
  trainingRecipes
} from './recipe/trainingRecipe';
export type { RecipeName, StepPlan, TrainingRecipe } from './recipe/trainingRecipe';
export { nextTrainingStep, type BatchSource } from './recipe/nextTrainingStep';
export type { Checkpoint, CheckpointManifest, TrainingMethod, StepReport, Trainer, TrainingBatch } from './trainingTypes';

export { createTrainer, type TrainerOptions } from './createTrainer';
export { createParallelTrainer, type ParallelPlan } from './parallel/ParallelTrainer';
export {
  planCpuTraining,
  selectTrainingBackend,
  createTrainerOn,
  type CpuTrainingPlan
} from './parallel/planCpuTraining';
export { TrainingRuns } from './TrainingRuns';
export { idleTrainingStatus } from './idleTrainingStatus';
export { assessTrainingData, thinDataRule, type TrainingDataAssessment } from './data';
export { computeDice, predictSlices } from './job/evaluateModel';
export { readCheckpointFiles } from './job/runFolder';
export { openProjectData, runTrainingJob, type TrainingJobHooks, type JobState as TrainingJobState } from './job/runTrainingJob';
export { toTrainerOptions } from './job/toTrainerOptions';
export { proposeVolume } from './job/proposeVolume';
export type { JobRequest, ProposeJobRequest, VolumeProposal, WorkerMessage } from './job/jobTypes';
export {
  channelCountOf,
  describeChannelMismatch,
  describeMissingSequences,
  loadCaseChannels,
  resolveCaseChannels
} from './data/caseChannels';
