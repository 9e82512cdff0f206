import { onBeforeUnmount, ref, watch } from 'vue';
import { useServices } from '../services/useServices';
import { clearAppSignal, setAppSignal } from '../signals/appSignals';
import { useNotificationsStore } from '../stores/notificationsStore';
import { useProjectsStore } from '../stores/projectsStore';
import { useReviewStore } from '../stores/reviewStore';
import { useSequencesStore } from '../stores/sequencesStore';
import { sequenceToOpen } from '../sequences/sequenceSwitching';
import { useVolumesStore } from '../stores/volumesStore';
import type { ViewerService } from '../viewer/ViewerService';

export type ViewerState = 'empty' | 'loading' | 'rendered' | 'error';

/**
 * The chosen volume on screen: its voxels fetched from main, shown by the viewer service, then (once its first frame
 * is drawn, so the image never waits for them) its mask loaded and the pending proposal drawn over it. A case of
 * several sequences opens on the sequence read last, by name (FLAIR after FLAIR), else on its reference, with that
 * sequence's window; `useSequenceDisplay` switches between them.
 */
export function useVolumeDisplay() {
  const { viewer, segmentation, masks } = useServices();
  const volumes = useVolumesStore();
  const projects = useProjectsStore();
  const review = useReviewStore();
  const notifications = useNotificationsStore();
  const sequences = useSequencesStore();
  const state = ref<ViewerState>('empty');
  let request = 0;

  function setState(next: ViewerState): void {
    state.value = next;
    setAppSignal('viewerState', next);
  }

  async function show(volumeId: string | null): Promise<void> {
    const current = ++request;
    clearAppSignal('viewerVolumeId');
    clearAppSignal('maskLoadedVolumeId');
    sequences.clear();
    if (!volumeId) {
      viewer.clear();
      setState('empty');
      return;
    }
    setState('loading');
    const projectId = projects.currentProjectId;
    try {
      const summary = volumes.volumes.find((volume) => volume.id === volumeId);
      const caseSequences = (summary?.sequences?.length ?? 0) > 1 ? await sequences.load(volumeId) : [];
      if (current !== request) return;
      const opening = sequenceToOpen(caseSequences, sequences.preferredName);
      sequences.keepVoxelsOf(opening ? volumeId : null);
      const voxels = opening ? await sequences.fetchVoxels(volumeId, opening.id) : await volumes.fetchVoxels(volumeId);
      if (current !== request) return;
      const firstFrame = nextFrame(viewer);
      const window = opening
        ? sequences.windows.windowFor(volumeId, opening)
        : summary && { center: summary.windowCenter, width: summary.windowWidth };
      await viewer.showVolume(voxels, window, { sequenceId: opening?.id ?? volumeId, replaceable: caseSequences.length > 1 });
      if (current !== request) return;
      sequences.markShown(opening?.id ?? null);
      setAppSignal('viewerVolumeId', volumeId);
      await firstFrame;
      if (current !== request) return;
      setState('rendered');
    } catch (error) {
      if (current !== request) return;
      viewer.clear();
      setState('error');
      notifications.reportError(error, 'Showing the volume');
      return;
    }
    if (projectId) await showMaskAndProposal(projectId, volumeId, current);
  }

  async function showMaskAndProposal(projectId: string, volumeId: string, current: number): Promise<void> {
    try {
      await masks.loadMask(projectId, volumeId);
    } catch (error) {
      notifications.reportError(error, 'Loading the mask');
    }
    if (current === request) showProposal();
  }

  /** Draws the pending proposal of the volume on screen over its mask, or takes it away. */
  function showProposal(): void {
    const volumeId = viewer.getShownVolume()?.volumeId;
    if (!volumeId || state.value !== 'rendered') return;
    const overlay = review.overlay;
    const labels = overlay?.volumeId === volumeId ? overlay.labels : null;
    try {
      segmentation.showProposal(volumeId, labels);
      setAppSignal('proposalShown', labels ? volumeId : '');
    } catch (error) {
      notifications.reportError(error, 'Showing the proposal');
    }
  }

  watch(
    () => volumes.selectedVolumeId,
    (volumeId) => void show(volumeId)
  );
  // The case on screen gained or lost sequences (one added to it, a name changed): shown again with them, its mask
  // and proposal with it (a case of one sequence is held in its own voxel type; several need one that all fit).
  watch(
    () => (volumes.selectedVolume?.sequences ?? []).map((sequence) => `${sequence.id}:${sequence.name}`).join(','),
    (now, before) => {
      const volumeId = volumes.selectedVolumeId;
      if (!volumeId || state.value !== 'rendered' || now === before) return;
      const count = volumes.selectedVolume?.sequences?.length ?? 0;
      const idsBefore = before.split(',').filter(Boolean).map((entry) => entry.split(':')[0]);
      const idsNow = now.split(',').filter(Boolean).map((entry) => entry.split(':')[0]);
      if (idsBefore.join(',') !== idsNow.join(',')) void show(volumeId);
      else if (count > 1) void sequences.load(volumeId);
    }
  );
  watch(
    () => review.overlay,
    () => showProposal()
  );
  onBeforeUnmount(() => {
    request++;
    setState('empty');
  });

  return { state, show };
}

/** Resolves after the viewer's next frame. */
export function nextFrame(viewer: ViewerService): Promise<void> {
  return new Promise((resolve) => {
    const unsubscribe = viewer.onDidRender(() => {
      unsubscribe();
      resolve();
    });
  });
}
