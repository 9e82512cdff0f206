import { join } from 'node:path';
import { ProjectStore } from '../../db';
import { VolumeCache } from '../../project';
import { selectBackend, type BackendChoice } from '../backend';
import {
  BatchSampler,
  buildTrainingSet,
  describeMissingData,
  paperAugmentation,
  type BatchSamplerState,
  type TrainingSet
} from '../data';
import { nextTrainingStep } from '../recipe/nextTrainingStep';
import { labelledPerJointBatch } from '../recipe/trainingRecipe';
import type { JobHooks } from '../../jobs';
import type { Trainer } from '../trainingTypes';
import { createTrainer } from '../createTrainer';
import { toTrainerOptions } from './toTrainerOptions';
import { computeDice, evaluateModel } from './evaluateModel';
import type { TrainJobRequest, TrainingProgress, WorkerMessage } from './jobTypes';
import { readCheckpointFiles, runFolderOf, writeCheckpointFiles } from './runFolder';

export type TrainingJobHooks = JobHooks<WorkerMessage>;

export interface JobState {
  /** What the weights are: the proposal job rebuilds the trainer from these. */
  options: TrainJobRequest['options'];
  elapsedSeconds: number;
  bestDice: number | null;
  bestStep: number;
  sampler: BatchSamplerState;
}

/** Opens the project's store and voxel cache read-only in spirit: the training process never writes to the store. */
export async function openProjectData(projectFolder: string) {
  const store = await ProjectStore.open(join(projectFolder, 'project.sqlite'));
  const cache = new VolumeCache(projectFolder);
  return { store, readVoxels: (volume: { cacheFile: string }) => cache.read(volume.cacheFile) };
}

/**
 * The training loop of the training process: builds the data from the store, trains until stopped or a limit is
 * reached, validates, checkpoints on a timer and at the end, keeps the best weights by validation Dice, and reports the
 * best model's two-headed evaluation. Resumes from the run folder's checkpoint when asked.
 */
export async function runTrainingJob(request: TrainJobRequest, hooks: TrainingJobHooks): Promise<void> {
  const backend = await selectBackend({ device: request.options.device ?? 'auto' });
  hooks.send({ type: 'started', backend: backend.candidate, description: backend.description, skippedBackends: backend.skipped });
  const source = await openProjectData(request.projectFolder);
  let trainer: Trainer | undefined;
  try {
    const [height, width] = request.options.inputSize;
    const set = await buildTrainingSet(source, height, width);
    const missing = describeMissingData(set);
    if (missing) {
      hooks.send({ type: 'failed', code: 'missing-data', message: missing });
      return;
    }
    trainer = createTrainer(toTrainerOptions(request.options));
    await trainLoop(request, hooks, trainer, set, backend);
  } finally {
    trainer?.dispose();
    await source.store.close();
  }
}

async function trainLoop(
  request: TrainJobRequest,
  hooks: TrainingJobHooks,
  trainer: Trainer,
  set: TrainingSet,
  backend: BackendChoice
): Promise<void> {
  const { options } = request;
  const [height, width] = options.inputSize;
  const folder = join(request.projectFolder, runFolderOf(request.runId));
  const sampler = new BatchSampler(set.train, height, width, {
    batchSize: options.batchSize,
    minimumLabelledPerBatch: labelledPerJointBatch(options.recipe, options.batchSize),
    augmentation: options.augment ? paperAugmentation(height) : null,
    seed: options.seed
  });
  const state: JobState = { options, elapsedSeconds: 0, bestDice: null, bestStep: 0, sampler: sampler.getState() };
  if (request.resume) await restore(folder, trainer, sampler, state, hooks);
  const selection = set.validation.labelled.length > 0 ? set.validation : null;
  const validateEvery = options.validateEverySteps ?? sampler.stepsPerEpoch;
  const saveState = async (name: 'checkpoint' | 'best') => {
    state.sampler = sampler.getState();
    await writeCheckpointFiles(folder, name, await trainer.saveCheckpoint(), state);
  };
  let sessionStart = performance.now();
  const elapsed = () => state.elapsedSeconds + (performance.now() - sessionStart) / 1000;
  let lastProgress = -Infinity;
  let lastCheckpoint = elapsed();
  let validationDice: number | null = null;
  const stepsAtStart = trainer.stepCount;
  const sessionClockStart = performance.now();
  const finished = () =>
    hooks.stopRequested() ||
    (options.maxSteps !== undefined && trainer.stepCount >= options.maxSteps) ||
    (options.maxSeconds !== undefined && elapsed() >= options.maxSeconds);
  // The newest value of every loss term: a recipe mixes kinds of steps, each reporting its own terms.
  const latestLosses: Record<string, number> = {};
  const sendProgress = (now: number) => {
    const rate = (trainer.stepCount - stepsAtStart) / Math.max(1e-9, (performance.now() - sessionClockStart) / 1000);
    hooks.send({
      type: 'progress',
      progress: describeProgress(trainer, sampler, options, { ...latestLosses }, rate, now, backend.description, validationDice, state)
    });
  };
  while (!finished()) {
    const { batch, plan } = nextTrainingStep(options.method, options.recipe, trainer.stepCount, sampler);
    Object.assign(latestLosses, (await trainer.trainStep(batch, plan)).losses);
    if (selection && trainer.stepCount % validateEvery === 0) {
      validationDice = await computeDice(trainer, selection);
      if (state.bestDice === null || validationDice > state.bestDice) {
        state.bestDice = validationDice;
        state.bestStep = trainer.stepCount;
        await saveState('best');
      }
    }
    const now = elapsed();
    if (now - lastProgress >= options.progressEverySeconds) {
      lastProgress = now;
      sendProgress(now);
    }
    if (now - lastCheckpoint >= options.checkpointEverySeconds) {
      lastCheckpoint = now;
      state.elapsedSeconds = now;
      sessionStart = performance.now();
      await saveState('checkpoint');
      hooks.send({ type: 'checkpoint', step: trainer.stepCount });
    }
  }
  state.elapsedSeconds = elapsed();
  // The last step's numbers, so the panel and the stored curves end where training ended.
  if (trainer.stepCount > stepsAtStart) sendProgress(state.elapsedSeconds);
  sessionStart = performance.now();
  await saveState('checkpoint');
  hooks.send({ type: 'checkpoint', step: trainer.stepCount });
  if (selection && trainer.stepCount !== state.bestStep) {
    // A last validation, so that the final weights compete with the best so far.
    const finalDice = await computeDice(trainer, selection);
    if (state.bestDice === null || finalDice > state.bestDice) {
      state.bestDice = finalDice;
      state.bestStep = trainer.stepCount;
      await saveState('best');
    }
  } else if (!selection) {
    // Without held-out masks there is nothing to select on: the last weights are the model.
    state.bestStep = trainer.stepCount;
    await saveState('best');
  }
  const finalStep = trainer.stepCount;
  const best = await readCheckpointFiles<JobState>(folder, 'best');
  if (best) trainer.loadCheckpoint(best.checkpoint);
  const evaluation = await evaluateModel(trainer, set.validation);
  hooks.send({
    type: 'trained',
    result: {
      weightsFolder: join(runFolderOf(request.runId)),
      step: finalStep,
      bestStep: state.bestStep,
      evaluation,
      dataSnapshot: { ...set.snapshot },
      backend: backend.candidate,
      parameters: trainer.countParameters()
    }
  });
}

async function restore(
  folder: string,
  trainer: Trainer,
  sampler: BatchSampler,
  state: JobState,
  hooks: TrainingJobHooks
): Promise<void> {
  const saved = await readCheckpointFiles<JobState>(folder, 'checkpoint').catch((error: unknown) => {
    hooks.send({
      type: 'log',
      line: `The last checkpoint could not be read (${error instanceof Error ? error.message : String(error)}).`
    });
    return undefined;
  });
  if (!saved) {
    hooks.send({ type: 'log', line: 'No checkpoint to resume from: training starts from the beginning.' });
    return;
  }
  trainer.loadCheckpoint(saved.checkpoint);
  sampler.setState(saved.jobState.sampler);
  Object.assign(state, saved.jobState);
  hooks.send({ type: 'log', line: `Resumed at step ${trainer.stepCount}.` });
}

function describeProgress(
  trainer: Trainer,
  sampler: BatchSampler,
  options: TrainJobRequest['options'],
  losses: Record<string, number>,
  stepsPerSecond: number,
  elapsedSeconds: number,
  backend: string,
  validationDice: number | null,
  state: JobState
): TrainingProgress {
  const bySteps =
    options.maxSteps !== undefined ? (options.maxSteps - trainer.stepCount) / Math.max(stepsPerSecond, 1e-9) : Infinity;
  const byTime = options.maxSeconds !== undefined ? options.maxSeconds - elapsedSeconds : Infinity;
  const left = Math.min(bySteps, byTime);
  return {
    step: trainer.stepCount,
    epoch: sampler.currentEpoch,
    losses,
    stepsPerSecond,
    elapsedSeconds,
    secondsLeft: Number.isFinite(left) ? Math.max(0, left) : null,
    backend,
    validationDice,
    bestValidationDice: state.bestDice
  };
}
