import { defineStore } from 'pinia';
import { ref, shallowRef, triggerRef, watch } from 'vue';
import type {
  DeviceChoice,
  ModelVersionSummary,
  PresetName,
  TrainingMethod,
  TrainingProgressEvent,
  TrainingProgressInfo,
  TrainingStatus
} from '../../../main/contract/types';
import { useApiClient } from '../api';
import { setAppSignal } from '../signals/appSignals';
import { useNotificationsStore } from './notificationsStore';
import { useProjectsStore } from './projectsStore';

/** Points of the live curves: one series per loss, and validation Dice. */
export interface TrainingCurves {
  losses: Map<string, { x: number; y: number }[]>;
  validationDice: { x: number; y: number }[];
}

function emptyCurves(): TrainingCurves {
  return { losses: new Map(), validationDice: [] };
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

  function publishStatus(next: TrainingStatus): void {
    status.value = next;
    setAppSignal('trainingState', next.state);
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
    onVersions: () => void refreshVersions(),
    onProposals: ({ done, total }) => {
      proposalProgress.value = { done, total };
      if (done === total) notifications.show('info', `Proposals are ready for ${total} scan${total === 1 ? '' : 's'}: review them from the list.`);
    },
    notify: notifications.show
  });

  watch(
    () => projects.currentProjectId,
    async () => {
      await refreshStatus();
      await Promise.all([refreshVersions(), loadCurves()]);
    },
    { immediate: true }
  );

  return { status, versions, method, preset, device, advanced, maxMinutes, continuous, starting, proposing, proposalProgress, curves, start, stop, propose, refreshVersions };
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
