import { buildTrainingSet, describeMissingData, type TrainingSet, type VolumeSource } from '../data';
import type { ProjectStore } from '../../db';
import type { Trainer } from '../trainingTypes';
import { evaluateModel } from './evaluateModel';
import type { TrainJobRequest, TrainingResult, WorkerMessage } from './jobTypes';
import { proposeVolume } from './proposeVolume';
import { runFolderOf } from './runFolder';

export interface ContinuousSettings {
  /** Re-read the project's tags and masks at least this often, and whenever the app says they changed. */
  refreshEverySeconds: number;
  /** A new model version at most this often: when held-out Dice improved, or regardless when nothing is held out. */
  versionEverySeconds: number;
}

export const defaultContinuousSettings: ContinuousSettings = { refreshEverySeconds: 60, versionEverySeconds: 180 };

interface Hooks {
  send(message: WorkerMessage): void;
  stopRequested(): boolean;
  takeRefreshRequest(): boolean;
}

/**
 * Training that keeps up with the annotator: between steps it re-reads the store when the app says the data changed
 * (or every `refreshEverySeconds`), without restarting the process; when the model improves it publishes a model
 * version and proposes masks for every scan nobody has drawn on, so each correction reaches the proposals in minutes.
 */
export class ContinuousTraining {
  private lastRefresh: number;
  private lastVersion: number;

  constructor(
    private readonly settings: ContinuousSettings,
    private readonly request: TrainJobRequest,
    private readonly hooks: Hooks,
    private readonly source: VolumeSource & { store: ProjectStore },
    now: number
  ) {
    this.lastRefresh = now;
    this.lastVersion = now;
  }

  shouldRefresh(now: number): boolean {
    // Take the request every time, so that one made during a refresh is not lost.
    const asked = this.hooks.takeRefreshRequest();
    return asked || now - this.lastRefresh >= this.settings.refreshEverySeconds;
  }

  /** The training set as the store holds it now; null (keep training on the old one) when it lacks a domain. */
  async refresh(now: number, previous: TrainingSet): Promise<TrainingSet | null> {
    this.lastRefresh = now;
    const [height, width] = this.request.options.inputSize;
    const fresh = await buildTrainingSet(this.source, height, width, this.request.options.sequences);
    const missing = describeMissingData(fresh);
    if (missing) {
      this.hooks.send({ type: 'log', line: `Training data not refreshed: ${missing}` });
      return null;
    }
    const count = (set: TrainingSet) => [
      set.snapshot.labelledSlices + set.snapshot.validationLabelledSlices,
      set.snapshot.presentSlices + set.snapshot.validationPresentSlices,
      set.snapshot.absentSlices + set.snapshot.validationAbsentSlices
    ];
    const [masked, present, absent] = count(fresh);
    this.hooks.send({
      type: 'log',
      line:
        `Training data refreshed: ${masked} masked, ${present} tumour and ${absent} no-tumour slices ` +
        `(was ${count(previous).join(', ')}).`
    });
    return fresh;
  }

  shouldPublish(now: number, improved: boolean, validated: boolean): boolean {
    const due = now - this.lastVersion >= this.settings.versionEverySeconds;
    return due && (improved || !validated);
  }

  /** Sends a model version of the current weights, then a proposal for every scan without a drawn mask. */
  async publish(now: number, trainer: Trainer, set: TrainingSet, bestDice: number | null, backend: string): Promise<void> {
    this.lastVersion = now;
    const evaluation = await evaluateModel(trainer, set.validation, { stopped: true, knownDice: bestDice });
    const result: TrainingResult = {
      weightsFolder: runFolderOf(this.request.runId),
      step: trainer.stepCount,
      bestStep: trainer.stepCount,
      evaluation,
      dataSnapshot: { ...set.snapshot },
      backend,
      parameters: trainer.countParameters()
    };
    this.hooks.send({ type: 'version', result });
    const masked = await this.source.store.masks.countMaskedSlicesByVolume();
    const untouched = (await this.source.store.volumes.list()).filter((volume) => !masked.has(volume.id));
    for (const [index, volume] of untouched.entries()) {
      const proposal = await proposeVolume(trainer, this.source, volume, this.request.projectFolder, this.hooks.stopRequested);
      if (!proposal) return;
      this.hooks.send({ type: 'proposal', proposal, done: index + 1, total: untouched.length });
    }
  }
}
