import { defineStore } from 'pinia';
import { ref, shallowRef, triggerRef, watch } from 'vue';
import type {
  DeviceChoice,
  ModelVersionSummary,
  PresetName,
  TrainingMethod,
  TrainingProgressEvent,
  TrainingProgressInfo,
  TrainingReadiness,
  TrainingStatus
} from '../../../main/contract/types';
import { useApiClient } from '../api';
import { setAppSignal } from '../signals/appSignals';
import { useNotificationsStore } from './notificationsStore';
import { useProjectsStore } from './projectsStore';

/** Points of the live curves: one series per loss, held-out Dice, and the training Dice of each step. */
export interface TrainingCurves {
  losses: Map<string, { x: number; y: number }[]>;
  validationDice: { x: number; y: number }[];
  trainingDice: { x: number; y: number }[];
}

function emptyCurves(): TrainingCurves {
  return { losses: new Map(), validationDice: [], trainingDice: [] };
}

/** Exponential moving average (weight `keep` on the past), so a noisy per-step curve reads as a trend. */
export function smoothCurve(points: readonly { x: number; y: number }[], keep = 0.9): { x: number; y: number }[] {
  let average: number | undefined;
  return points.map((point) => {
    average = average === undefined ? point.y : keep * average + (1 - keep) * point.y;
    return { x: point.x, y: average };
  });
}

/**
 * The training job (one at a time, run by main in its own process), its live progress and curves, the project's
 * model versions, and proposing masks with one of them.
 */
export const useTrainingStore = defineStore('training', () => {
  const projects = useProjectsStore();
  const notifications = useNotificationsStore();
  const status = ref<TrainingStatus | null>(null);
  const versions = ref<ModelVersionSummary[]>([]);
  const method = ref<TrainingMethod>('genseg');
  const preset = ref<PresetName>('cpu');
  /** Where to train: 'auto' takes a GPU when one can train (CUDA, or any GPU through WebGPU), else the CPU. */
  const device = ref<DeviceChoice>('auto');
  const advanced = ref(false);
  /** A time budget; null trains until the user presses Stop (main's default). Stop also keeps a model version. */
  const maxMinutes = ref<number | null>(null);
  /** Keep training in the background as the user annotates (until Stop). */
  const continuous = ref(false);
  const starting = ref(false);
  const proposing = ref<string | null>(null);
  /** The proposal job's progress over the scans it proposes for. */
  const proposalProgress = ref<{ done: number; total: number } | null>(null);
  // Curves grow by thousands of points: shallow, redrawn on an explicit trigger.
  const curves = shallowRef<TrainingCurves>(emptyCurves());
  /** What the project's tags and masks allow now: held-out data, what is missing to measure accuracy, thin data. */
  const readiness = ref<TrainingReadiness | null>(null);
  let versionEdits = 0;

  let idleWatch: ReturnType<typeof setTimeout> | undefined;

  function publishStatus(next: TrainingStatus): void {
    status.value = next;
    setAppSignal('trainingState', next.state);
    // A proposal job ends without a training event: its end is read until the slot is idle again.
    clearTimeout(idleWatch);
    if (next.state === 'proposing') idleWatch = setTimeout(() => void refreshStatus(), 1500);
  }

  function addPoint(progress: TrainingProgressInfo): void {
    const current = curves.value;
    for (const [name, value] of Object.entries(progress.losses)) {
      const series = current.losses.get(name) ?? [];
      if (series.length === 0 || series[series.length - 1]!.x < progress.step) series.push({ x: progress.step, y: value });
      current.losses.set(name, series);
    }
    const dice = progress.validationDice;
    const last = current.validationDice[current.validationDice.length - 1];
    if (dice !== null && (!last || last.x < progress.step)) current.validationDice.push({ x: progress.step, y: dice });
    const fit = progress.trainingDice ?? null;
    const lastFit = current.trainingDice[current.trainingDice.length - 1];
    if (fit !== null && (!lastFit || lastFit.x < progress.step)) current.trainingDice.push({ x: progress.step, y: fit });
    triggerRef(curves);
  }

  async function refreshStatus(): Promise<void> {
    try {
      publishStatus(await useApiClient().call('getTrainingStatus', {}));
    } catch (error) {
      notifications.reportError(error, 'Reading the training status');
    }
  }

  async function refreshVersions(): Promise<void> {
    const projectId = projects.currentProjectId;
    if (!projectId) {
      versions.value = [];
      return;
    }
    try {
      const list = await useApiClient().call('listModelVersions', { projectId });
      if (projectId === projects.currentProjectId) {
        versions.value = [...list].sort((a, b) => b.number - a.number);
        setAppSignal('modelVersionCount', list.length);
      }
    } catch (error) {
      notifications.reportError(error, 'Listing the models');
    }
  }

  async function refreshReadiness(): Promise<void> {
    const projectId = projects.currentProjectId;
    if (!projectId) {
      readiness.value = null;
      return;
    }
    try {
      const next = await useApiClient().call('getTrainingReadiness', { projectId });
      if (projectId === projects.currentProjectId) readiness.value = next;
    } catch (error) {
      notifications.reportError(error, 'Reading what the data allows');
    }
  }

  async function editVersion(whatFailed: string, edit: (projectId: string) => Promise<void>): Promise<boolean> {
    const projectId = projects.currentProjectId;
    if (!projectId) return false;
    try {
      await edit(projectId);
      await refreshVersions();
      setAppSignal('modelVersionEdits', ++versionEdits);
      return true;
    } catch (error) {
      notifications.reportError(error, whatFailed);
      return false;
    }
  }

  /** Gives a model version the user's name; an empty name goes back to "Model N". */
  function rename(modelVersionId: string, name: string): Promise<boolean> {
    return editVersion('Renaming the model', async (projectId) => {
      await useApiClient().call('renameModelVersion', { projectId, modelVersionId, name });
    });
  }

  /** Deletes a model version; its proposals still waiting for review are withdrawn (main says on which scans). */
  function remove(version: ModelVersionSummary): Promise<boolean> {
    return editVersion('Deleting the model', async (projectId) => {
      const { withdrawnVolumeIds } = await useApiClient().call('deleteModelVersion', { projectId, modelVersionId: version.id });
      const withdrawn = withdrawnVolumeIds.length;
      notifications.show(
        'info',
        `Model ${version.number} is deleted.` +
          (withdrawn > 0
            ? ` Its proposals on ${withdrawn} scan${withdrawn === 1 ? '' : 's'} were withdrawn; propose with another model to review them.`
            : ' No proposal of it was waiting for review.')
      );
    });
  }

  /** The curves of the run in progress so far, after a reload. */
  async function loadCurves(): Promise<void> {
    const projectId = projects.currentProjectId;
    const runId = status.value?.runId;
    curves.value = emptyCurves();
    if (!projectId || !runId || status.value?.projectId !== projectId) return;
    try {
      const metrics = await useApiClient().call('getTrainingMetrics', { projectId, runId });
      const next = emptyCurves();
      for (const series of metrics) {
        const points = series.steps.map((x, index) => ({ x, y: series.values[index]! }));
        if (series.name === 'validationDice') next.validationDice = points;
        else if (series.name === 'trainingDice') next.trainingDice = points;
        else if (series.name.startsWith('loss.')) next.losses.set(series.name.slice(5), points);
      }
      curves.value = next;
    } catch (error) {
      notifications.reportError(error, 'Reading the training curves');
    }
  }

  async function start(): Promise<void> {
    const projectId = projects.currentProjectId;
    if (!projectId) return;
    starting.value = true;
    try {
      const minutes = maxMinutes.value;
      const options = advanced.value
        ? {
            method: method.value,
            preset: preset.value,
            device: device.value,
            ...(minutes && minutes > 0 ? { maxSeconds: minutes * 60 } : {})
          }
        : {};
      curves.value = emptyCurves();
      await useApiClient().call('startTraining', { projectId, ...options, ...(continuous.value ? { continuous: true } : {}) });
      await refreshStatus();
    } catch (error) {
      notifications.reportError(error, 'Starting the training');
    } finally {
      starting.value = false;
    }
  }

  async function stop(): Promise<void> {
    try {
      publishStatus(await useApiClient().call('stopTraining', {}));
    } catch (error) {
      notifications.reportError(error, 'Stopping the training');
    }
  }

  /** Proposes with one model version for the given scans, or for every scan without a drawn mask. */
  async function propose(modelVersionId: string, forVolumeIds?: string[]): Promise<void> {
    const projectId = projects.currentProjectId;
    if (!projectId) return;
    proposing.value = modelVersionId;
    proposalProgress.value = null;
    try {
      const { volumeIds } = await useApiClient().call('proposeMasks', {
        projectId,
        modelVersionId,
        ...(forVolumeIds ? { volumeIds: forVolumeIds } : {})
      });
      notifications.show('info', `Proposing masks for ${volumeIds.length} scan${volumeIds.length === 1 ? '' : 's'}…`);
      await refreshStatus();
      setAppSignal('proposalsDone', volumeIds.length);
    } catch (error) {
      notifications.reportError(error, 'Proposing masks');
    } finally {
      proposing.value = null;
    }
  }

  subscribeToTrainingEvents({
    isCurrentProject: (projectId) => projectId === projects.currentProjectId,
    onProgress: (event) => {
      if (status.value && event.runId === status.value.runId) status.value = { ...status.value, progress: event.progress };
      if (event.projectId === projects.currentProjectId) addPoint(event.progress);
    },
    onChange: () => void refreshStatus(),
    onVersions: () => void Promise.all([refreshVersions(), refreshReadiness()]),
    onProposals: ({ done, total }) => {
      // A review (accept, reject) announces its scan's proposal changed too: only a job's proposals are news.
      if (!status.value || status.value.state === 'idle') return;
      proposalProgress.value = { done, total };
      if (done === total) notifications.show('info', `Proposals are ready for ${total} scan${total === 1 ? '' : 's'}: review them from the list.`);
    },
    notify: notifications.show
  });

  watch(
    () => projects.currentProjectId,
    async () => {
      await refreshStatus();
      await Promise.all([refreshVersions(), loadCurves(), refreshReadiness()]);
    },
    { immediate: true }
  );

  // What the data allows changes with every tag, mask and scan; strokes come in bursts, so it is read once they pause.
  let readinessTimer: ReturnType<typeof setTimeout> | undefined;
  for (const event of ['onDidChangeWeakLabels', 'onDidChangeMask', 'onDidChangeVolumes'] as const) {
    useApiClient().on(event, ({ projectId }) => {
      if (projectId !== projects.currentProjectId) return;
      clearTimeout(readinessTimer);
      readinessTimer = setTimeout(() => void refreshReadiness(), 500);
    });
  }

  return {
    status,
    versions,
    method,
    preset,
    device,
    advanced,
    maxMinutes,
    continuous,
    starting,
    proposing,
    proposalProgress,
    curves,
    readiness,
    start,
    stop,
    propose,
    rename,
    remove,
    refreshVersions,
    refreshReadiness
  };
});

/** main's training events: progress, run state changes (told to the user), new model versions. */
function subscribeToTrainingEvents(handlers: {
  isCurrentProject: (projectId: string) => boolean;
  onProgress: (event: TrainingProgressEvent) => void;
  onChange: () => void;
  onVersions: () => void;
  onProposals: (progress: { projectId: string; done: number; total: number }) => void;
  notify: (kind: 'error' | 'info', text: string) => void;
}): void {
  const api = useApiClient();
  api.on('onDidTrainingProgress', handlers.onProgress);
  api.on('onDidChangeTraining', (event) => {
    handlers.onChange();
    if (!handlers.isCurrentProject(event.projectId)) return;
    if (event.status === 'failed') handlers.notify('error', event.message ?? 'The training stopped with an error.');
    else if (event.status === 'interrupted') handlers.notify('error', event.message ?? 'The training process ended unexpectedly.');
    else if (event.status === 'finished') handlers.notify('info', `Training finished. ${event.message ?? ''}`.trim());
    else if (event.status === 'stopped') handlers.notify('info', `Training stopped; the best model so far is kept. ${event.message ?? ''}`.trim());
  });
  api.on('onDidChangeModelVersions', ({ projectId }) => {
    if (handlers.isCurrentProject(projectId)) handlers.onVersions();
  });
  api.on('onDidChangeProposals', (event) => {
    if (handlers.isCurrentProject(event.projectId)) handlers.onProposals(event);
  });
}
