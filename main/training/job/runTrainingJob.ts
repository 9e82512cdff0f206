import { join } from 'node:path';
import { ProjectStore } from '../../db';
import { VolumeCache } from '../../project';
import type { BackendChoice } from '../backend';
import {
  BatchSampler,
  buildTrainingSet,
  channelCountOf,
  describeChannelMismatch,
  describeMissingData,
  paperAugmentation,
  type BatchSamplerState,
  type TrainingSet
} from '../data';
import { nextTrainingStep } from '../recipe/nextTrainingStep';
import { labelledPerJointBatch, type StepPlan } from '../recipe/trainingRecipe';
import { paperLossWeights } from '../genseg/presets';
import type { JobHooks } from '../../jobs';
import type { Trainer, TrainingMethod } from '../trainingTypes';
import { createTrainerOn, selectTrainingBackend } from '../parallel/planCpuTraining';
import { toTrainerOptions } from './toTrainerOptions';
import { beatsSelection, evaluateModel, scoreSelection, selectionSlicesOf, yieldToEventLoop, type SelectionSlices } from './evaluateModel';
import type { TrainJobRequest, TrainingProgress, WorkerMessage } from './jobTypes';
import { readCheckpointFiles, runFolderOf, writeCheckpointFiles } from './runFolder';
import { ContinuousTraining } from './ContinuousTraining';

export type TrainingJobHooks = JobHooks<WorkerMessage>;

export interface JobState {
  /** What the weights are: the proposal job rebuilds the trainer from these. */
  options: TrainJobRequest['options'];
  elapsedSeconds: number;
  /** Held-out Dice on the masked slices at the best step (what the model version reports). */
  bestDice: number | null;
  /** The selection score at the best step (evaluateModel.ts, scoreSelection); absent in runs from before it. */
  bestScore?: number | null;
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
  const training = await selectTrainingBackend(request.options.device ?? 'auto', request.options.batchSize);
  const backend = training.choice;
  hooks.send({ type: 'started', backend: backend.candidate, description: backend.description, skippedBackends: backend.skipped });
  const source = await openProjectData(request.projectFolder);
  let trainer: Trainer | undefined;
  try {
    const [height, width] = request.options.inputSize;
    const set = await buildTrainingSet(source, height, width, request.options.sequences);
    const missing = describeMissingData(set);
    if (missing) {
      hooks.send({ type: 'failed', code: 'missing-data', message: missing });
      return;
    }
    trainer = await createTrainerOn(training, toTrainerOptions(request.options));
    if (request.initialWeightsFolder && !request.resume) await startFromVersion(request, trainer, hooks);
    await trainLoop(request, hooks, trainer, set, backend, source);
  } finally {
    trainer?.dispose();
    await source.store.close();
  }
}

async function trainLoop(
  request: TrainJobRequest,
  hooks: TrainingJobHooks,
  trainer: Trainer,
  initialSet: TrainingSet,
  backend: BackendChoice,
  source: ProjectData
): Promise<void> {
  const { options } = request;
  const folder = join(request.projectFolder, runFolderOf(request.runId));
  let set = initialSet;
  let sampler = createSampler(set, options, options.seed);
  const state: JobState = { options, elapsedSeconds: 0, bestDice: null, bestScore: null, bestStep: 0, sampler: sampler.getState() };
  if (request.resume) await restore(folder, trainer, sampler, state, hooks);
  let selection = selectionSlicesOf(set.validation);
  const validateEvery = () => options.validateEverySteps ?? sampler.stepsPerEpoch;
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
  const continuous = options.continuous ? new ContinuousTraining(options.continuous, request, hooks, source, elapsed()) : null;
  const finished = () =>
    hooks.stopRequested() ||
    (options.maxSteps !== undefined && trainer.stepCount >= options.maxSteps) ||
    (options.maxSeconds !== undefined && elapsed() >= options.maxSeconds);
  // The newest value of every loss term: a recipe mixes kinds of steps, each reporting its own terms.
  const latestLosses: Record<string, number> = {};
  let trainingDice: number | null = null;
  const sendProgress = (now: number) => {
    const rate = (trainer.stepCount - stepsAtStart) / Math.max(1e-9, (performance.now() - sessionClockStart) / 1000);
    hooks.send({
      type: 'progress',
      progress: {
        ...describeProgress(trainer, sampler, options, { ...latestLosses }, rate, now, backend.description, validationDice, state),
        trainingDice
      }
    });
  };
  while (!finished()) {
    const fresh = continuous?.shouldRefresh(elapsed()) ? await continuous.refresh(elapsed(), set) : null;
    if (fresh) {
      set = fresh;
      sampler = createSampler(set, options, options.seed + trainer.stepCount);
      selection = selectionSlicesOf(set.validation);
    }
    const { batch, plan } = nextTrainingStep(options.method, options.recipe, trainer.stepCount, sampler, options.baselineWithAbsentSlices);
    const { losses } = await trainer.trainStep(batch, plan);
    Object.assign(latestLosses, losses);
    trainingDice = readTrainingDice(losses, options.method, plan) ?? trainingDice;
    // A step is synchronous work: let the stop message in before the next one.
    await yieldToEventLoop();
    let improved = false;
    if (selection && trainer.stepCount % validateEvery() === 0) {
      const result = await scoreSelection(trainer, selection, hooks.stopRequested);
      if (result === null) break;
      validationDice = result.dice;
      if (beatsSelection(result.score, state.bestScore)) {
        state.bestDice = result.dice;
        state.bestScore = result.score;
        state.bestStep = trainer.stepCount;
        improved = true;
        await saveState('best');
      }
    }
    const now = elapsed();
    if (continuous?.shouldPublish(now, improved, selection !== null)) {
      if (!selection) await saveState('best');
      await continuous.publish(now, trainer, set, state.bestDice, backend.candidate);
    }
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
  await reportFinalModel({ request, hooks, trainer, set, selection, state, saveState, backend });
}

interface FinalModelContext {
  request: TrainJobRequest;
  hooks: TrainingJobHooks;
  trainer: Trainer;
  set: TrainingSet;
  selection: SelectionSlices | null;
  state: JobState;
  saveState: (name: 'checkpoint' | 'best') => Promise<void>;
  backend: BackendChoice;
}

/** Chooses the final weights, loads the best ones and sends the model version's result with its evaluation. */
async function reportFinalModel({ request, hooks, trainer, set, selection, state, saveState, backend }: FinalModelContext): Promise<void> {
  const stopped = hooks.stopRequested();
  if (stopped) hooks.send({ type: 'log', line: `Stopped at step ${trainer.stepCount}; keeping the best model so far (step ${state.bestStep || trainer.stepCount}).` });
  await chooseFinalWeights(trainer, state, selection, stopped, saveState);
  const finalStep = trainer.stepCount;
  const best = await readCheckpointFiles<JobState>(join(request.projectFolder, runFolderOf(request.runId)), 'best');
  if (best) await trainer.loadCheckpoint(best.checkpoint);
  const evaluation = await evaluateModel(trainer, set.validation, { stopped, knownDice: state.bestDice });
  hooks.send({
    type: 'trained',
    result: {
      weightsFolder: runFolderOf(request.runId),
      step: finalStep,
      bestStep: state.bestStep,
      evaluation,
      dataSnapshot: { ...set.snapshot },
      backend: backend.candidate,
      parameters: trainer.countParameters()
    }
  });
}

type ProjectData = Awaited<ReturnType<typeof openProjectData>>;

function createSampler(set: TrainingSet, options: TrainJobRequest['options'], seed: number): BatchSampler {
  const [height] = options.inputSize;
  return new BatchSampler(set.train, height, options.inputSize[1], {
    batchSize: options.batchSize,
    minimumLabelledPerBatch: labelledPerJointBatch(options.recipe, options.batchSize),
    augmentation: options.augment ? paperAugmentation(height) : null,
    seed,
    channels: channelCountOf(options.sequences)
  });
}

/** Continuous training starts from the newest model version's weights when it fits (same method, preset, size). */
async function startFromVersion(request: TrainJobRequest, trainer: Trainer, hooks: TrainingJobHooks): Promise<void> {
  const saved = await readCheckpointFiles<JobState>(join(request.projectFolder, request.initialWeightsFolder!), 'best').catch(
    () => undefined
  );
  if (!saved) {
    hooks.send({ type: 'log', line: 'The last model version could not be read: training starts from the beginning.' });
    return;
  }
  const mismatch = describeChannelMismatch(saved.jobState.options.sequences, request.options.sequences);
  if (mismatch) {
    hooks.send({ type: 'log', line: `The last model version does not fit (${mismatch}): training starts from the beginning.` });
    return;
  }
  await trainer.loadCheckpoint(saved.checkpoint);
  hooks.send({ type: 'log', line: `Continuing from the last model version (step ${trainer.stepCount}).` });
}

/**
 * The final weights compete with the best so far in a last validation (skipped after a Stop when a best is known);
 * without held-out masks there is nothing to select on, and the last weights are the model.
 */
async function chooseFinalWeights(
  trainer: Trainer,
  state: JobState,
  selection: SelectionSlices | null,
  stopped: boolean,
  saveState: (name: 'checkpoint' | 'best') => Promise<void>
): Promise<void> {
  if (!selection) {
    state.bestStep = trainer.stepCount;
    await saveState('best');
    return;
  }
  if (trainer.stepCount === state.bestStep || (stopped && state.bestDice !== null)) return;
  const final = await scoreSelection(trainer, selection);
  if (final !== null && beatsSelection(final.score, state.bestScore)) {
    state.bestDice = final.dice;
    state.bestScore = final.score;
    state.bestStep = trainer.stepCount;
    await saveState('best');
  }
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
  await trainer.loadCheckpoint(saved.checkpoint);
  sampler.setState(saved.jobState.sampler);
  Object.assign(state, saved.jobState);
  hooks.send({ type: 'log', line: `Resumed at step ${trainer.stepCount}.` });
}

/**
 * The segmentation's soft Dice on this step's drawn slices, from its loss term, which is the negative soft Dice
 * (genseg/losses.ts): the segmentation-only steps report it as is; GenSeg's joint steps weight it by the recipe's
 * weight (else the paper's), the baselines by 1. Null when the step had no drawn slice.
 */
export function readTrainingDice(losses: Record<string, number>, method: TrainingMethod, plan: StepPlan | undefined): number | null {
  let diceLoss: number | undefined;
  if (losses.segmentationOnly !== undefined) diceLoss = losses.segmentationOnly;
  else if (losses.segmentation !== undefined) {
    const weight = method !== 'genseg' ? 1 : plan?.kind === 'joint' ? plan.segmentationWeight : paperLossWeights.segmentation;
    diceLoss = weight > 0 ? losses.segmentation / weight : undefined;
  }
  return diceLoss === undefined || !Number.isFinite(diceLoss) ? null : Math.min(1, Math.max(0, -diceLoss));
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
