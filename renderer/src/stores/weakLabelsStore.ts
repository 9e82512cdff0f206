import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { SliceRangeInfo, SliceStateName, WeakLabels } from '../../../main/contract/types';
import { useApiClient } from '../api';
import { endRangeAt, startRangeAt } from '../labels/editTumourRanges';
import { setAppSignal } from '../signals/appSignals';
import { useNotificationsStore } from './notificationsStore';
import { useProjectsStore } from './projectsStore';
import { useVolumesStore } from './volumesStore';

/**
 * The weak labels (scan tag, tumour ranges, per-slice states) of the volume on screen. Every change is a call that
 * returns once main has it on disk; the strip then shows main's answer, never a guess.
 */
export const useWeakLabelsStore = defineStore('weakLabels', () => {
  const projects = useProjectsStore();
  const volumes = useVolumesStore();
  const notifications = useNotificationsStore();
  const labels = ref<WeakLabels | null>(null);
  const saving = ref(false);
  const sliceStates = computed<SliceStateName[]>(() => labels.value?.slices ?? []);
  let savedCount = 0;

  function scope(): { projectId: string; volumeId: string } | null {
    const projectId = projects.currentProjectId;
    const volumeId = volumes.selectedVolumeId;
    return projectId && volumeId ? { projectId, volumeId } : null;
  }

  function publish(next: WeakLabels | null): void {
    labels.value = next;
    if (next) setAppSignal('weakLabels', next.slices.map((state) => state[0]).join(''));
  }

  async function refresh(): Promise<void> {
    const target = scope();
    if (!target) {
      labels.value = null;
      return;
    }
    try {
      const next = await useApiClient().call('getWeakLabels', target);
      if (volumes.selectedVolumeId === target.volumeId) publish(next);
    } catch (error) {
      notifications.reportError(error, 'Reading the slice tags');
    }
  }

  async function change(whatFailed: string, save: (target: { projectId: string; volumeId: string }) => Promise<WeakLabels>): Promise<void> {
    const target = scope();
    if (!target) return;
    saving.value = true;
    try {
      const next = await save(target);
      if (volumes.selectedVolumeId === target.volumeId) publish(next);
      setAppSignal('weakLabelsSaved', ++savedCount);
    } catch (error) {
      notifications.reportError(error, whatFailed);
    } finally {
      saving.value = false;
    }
  }

  function tagScan(state: SliceStateName): Promise<void> {
    return change('Tagging the scan', (target) => useApiClient().call('tagScan', { ...target, state }));
  }

  function setRanges(ranges: SliceRangeInfo[]): Promise<void> {
    return change('Setting the tumour slices', (target) => useApiClient().call('setTumourRanges', { ...target, ranges }));
  }

  /** Adds a range to the scan's tumour ranges (main merges overlapping ones). */
  function addRange(range: SliceRangeInfo): Promise<void> {
    return setRanges([...(labels.value?.tumourRanges ?? []), range]);
  }

  function startTumourAt(sliceIndex: number): Promise<void> {
    return setRanges(startRangeAt(labels.value?.tumourRanges ?? [], sliceIndex));
  }

  function endTumourAt(sliceIndex: number): Promise<void> {
    return setRanges(endRangeAt(labels.value?.tumourRanges ?? [], sliceIndex));
  }

  function setSlices(sliceIndices: number[], state: SliceStateName): Promise<void> {
    return change('Tagging the slice', (target) => useApiClient().call('setSliceStates', { ...target, sliceIndices, state }));
  }

  /** T: a slice with tumour becomes tumour-free; any other becomes tumour-present. */
  function toggleSlice(sliceIndex: number): Promise<void> {
    const current = labels.value?.slices[sliceIndex];
    return setSlices([sliceIndex], current === 'present' ? 'absent' : 'present');
  }

  useApiClient().on('onDidChangeWeakLabels', ({ projectId, volumeId }) => {
    if (projectId === projects.currentProjectId && volumeId === volumes.selectedVolumeId) void refresh();
  });

  watch(
    () => volumes.selectedVolumeId,
    () => {
      labels.value = null;
      void refresh();
    }
  );

  return { labels, sliceStates, saving, refresh, tagScan, setRanges, addRange, startTumourAt, endTumourAt, setSlices, toggleSlice };
});
