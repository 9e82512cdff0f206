import { defineStore } from 'pinia';
import { computed, markRaw, ref } from 'vue';
import type { SequenceSummary, VolumeVoxels } from '../../../main/contract/types';
import { SequenceVoxelCache } from '../sequences/SequenceVoxelCache';
import { useApiClient } from '../api';
import { SequenceWindowSaver } from '../sequences/SequenceWindowSaver';
import { SequenceWindows, sequenceLabel } from '../sequences/sequenceSwitching';
import type { WindowState } from '../viewer/viewerTypes';
import { setAppSignal } from '../signals/appSignals';
import { useNotificationsStore } from './notificationsStore';
import { useProjectsStore } from './projectsStore';
import { useVolumesStore } from './volumesStore';

/** How many bytes of the case's sequences' voxels are kept for flipping back (a few sequences of a large MR). */
const voxelCacheBytes = 512 * 1024 ** 2;
/** How long after the last change of a window it is saved in the project (a drag fires many). */
const windowSaveDelayMs = 400;

/**
 * The sequences of the case on screen (issue 18: T1, T1c, T2, FLAIR… of one patient on one grid), which one the
 * viewer shows and which one the side-by-side view shows, the window of each (saved in the project, so that a case
 * opens tomorrow as it was last read), and the calls that name sequences and add volumes to a case. The viewer is driven from here by `components/useSequenceDisplay`.
 */
export const useSequencesStore = defineStore('sequences', () => {
  const projects = useProjectsStore();
  const notifications = useNotificationsStore();
  /** The case on screen and its sequences, the reference first; empty for a one-sequence case. */
  const volumeId = ref<string | null>(null);
  const sequences = ref<SequenceSummary[]>([]);
  /** What the viewer shows now (set once it does). */
  const shownSequenceId = ref<string | null>(null);
  const companionSequenceId = ref<string | null>(null);
  /** The user's choice: two sequences side by side (kept from case to case). */
  const sideBySide = ref(false);
  /** The names of the sequences read last, so that the next case opens on the same ones. */
  const preferredName = ref<string | null>(null);
  const preferredCompanionName = ref<string | null>(null);
  /** Per case and sequence; plain data, never reactive (it changes on every window drag). */
  const windows = markRaw(new SequenceWindows());
  const voxelCache = markRaw(new SequenceVoxelCache<VolumeVoxels>(voxelCacheBytes));
  const volumes = useVolumesStore();
  const windowSaver = markRaw(createWindowSaver((error) => notifications.reportError(error, 'Saving the window of the sequence')));

  const isMultiSequence = computed(() => sequences.value.length > 1);
  const shownSequence = computed(() => sequences.value.find((sequence) => sequence.id === shownSequenceId.value) ?? null);
  const companionSequence = computed(() => sequences.value.find((sequence) => sequence.id === companionSequenceId.value) ?? null);

  /** Reads the sequences of the case `id` from main (the list is empty for a case of one sequence). */
  async function load(id: string): Promise<SequenceSummary[]> {
    const projectId = projects.currentProjectId;
    if (!projectId) return [];
    const list = await useApiClient().call('listSequences', { projectId, volumeId: id });
    volumeId.value = id;
    sequences.value = list.length > 1 ? list : [];
    windowSaver.knowCase(projectId, id, sequences.value);
    setAppSignal('sequenceNames', sequences.value.map(sequenceLabel).join(','));
    return sequences.value;
  }

  /** A sequence shown with `window`: remembered at once, saved in the project once the user lets go. */
  function rememberWindow(caseId: string, sequenceId: string, window: WindowState): void {
    windows.remember(caseId, sequenceId, window);
    if (projects.currentProjectId) windowSaver.request({ projectId: projects.currentProjectId, volumeId: caseId, sequenceId }, window);
  }

  /** A sequence's voxels: from main the first time, kept for the next (the case on screen only). */
  async function fetchVoxels(caseId: string, sequenceId: string): Promise<VolumeVoxels> {
    const kept = voxelCache.get(caseId, sequenceId);
    if (kept) return kept;
    const voxels = await volumes.fetchVoxels(caseId, sequenceId);
    voxelCache.put(caseId, sequenceId, voxels);
    return voxels;
  }

  /** Keeps the voxels of the case `caseId` only (null: of none), when a case is opened. */
  function keepVoxelsOf(caseId: string | null): void {
    voxelCache.keepOnly(caseId);
  }

  function clear(): void {
    volumeId.value = null;
    sequences.value = [];
    shownSequenceId.value = null;
    companionSequenceId.value = null;
    setAppSignal('sequenceNames', '');
  }

  function markShown(sequenceId: string | null): void {
    shownSequenceId.value = sequenceId;
    const shown = shownSequence.value;
    if (shown) preferredName.value = sequenceLabel(shown);
    setAppSignal('viewerSequence', shown ? sequenceLabel(shown) : '');
  }

  function markCompanion(sequenceId: string | null): void {
    companionSequenceId.value = sequenceId;
    const companion = companionSequence.value;
    if (companion) preferredCompanionName.value = sequenceLabel(companion);
    setAppSignal('viewerCompanionSequence', companion ? sequenceLabel(companion) : '');
  }

  /** Renames a sequence of the case on screen; true when main took the name. */
  async function rename(sequenceId: string, name: string): Promise<boolean> {
    const projectId = projects.currentProjectId;
    const id = volumeId.value;
    if (!projectId || !id) return false;
    try {
      const list = await useApiClient().call('renameSequence', { projectId, volumeId: id, sequenceId, name });
      if (volumeId.value === id) sequences.value = list.length > 1 ? list : [];
      // The names the next cases open on follow the new name.
      markShown(shownSequenceId.value);
      markCompanion(companionSequenceId.value);
      setAppSignal('sequenceNames', sequences.value.map(sequenceLabel).join(','));
      return true;
    } catch (error) {
      notifications.reportError(error, 'Renaming the sequence');
      return false;
    }
  }

  /**
   * Makes the volumes `sequenceVolumeIds` sequences of the case `caseVolumeId`, named `names` (main places them on the
   * case's grid and says how far it had to move them); null when main refused, with its reason shown.
   */
  async function addToCase(caseVolumeId: string, sequenceVolumeIds: string[], names: string[]): Promise<SequenceSummary[] | null> {
    const projectId = projects.currentProjectId;
    if (!projectId) return null;
    try {
      const list = await useApiClient().call('groupVolumesIntoCase', { projectId, volumeId: caseVolumeId, sequenceVolumeIds, names });
      if (volumeId.value === caseVolumeId) sequences.value = list;
      // The new ones come last, in the order given.
      for (const sequence of list.slice(-sequenceVolumeIds.length)) {
        if (!sequence.placement || sequence.placement.kind === 'same-grid') continue;
        notifications.show(
          'warning',
          `${sequenceLabel(sequence)} was resampled onto the case's grid: voxels moved by up to ${sequence.placement.largestOffsetMm.toFixed(2)} mm.`
        );
      }
      return list;
    } catch (error) {
      notifications.reportError(error, 'Adding the sequence to the case');
      return null;
    }
  }

  return {
    volumeId, sequences, shownSequenceId, companionSequenceId, shownSequence, companionSequence, sideBySide, preferredName,
    preferredCompanionName, windows, rememberWindow, saveWindowsNow: () => windowSaver.flush(), isMultiSequence, load, clear, fetchVoxels, keepVoxelsOf, markShown, markCompanion, rename, addToCase
  };
});

/** Saves a sequence's window through main (`setSequenceWindow`), counting confirmed saves for the app's signals. */
function createWindowSaver(report: (error: unknown) => void): SequenceWindowSaver {
  let saved = 0;
  return new SequenceWindowSaver(windowSaveDelayMs, async (target, window) => {
    try {
      await useApiClient().call('setSequenceWindow', { ...target, center: window.center, width: window.width });
      setAppSignal('sequenceWindowsSaved', ++saved);
    } catch (error) {
      report(error);
      throw error;
    }
  });
}
