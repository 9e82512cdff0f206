import { onBeforeUnmount, ref, watch } from 'vue';
import { useServices } from '../services/useServices';
import { clearAppSignal, setAppSignal } from '../signals/appSignals';
import { useNotificationsStore } from '../stores/notificationsStore';
import { useProjectsStore } from '../stores/projectsStore';
import { useReviewStore } from '../stores/reviewStore';
import { useVolumesStore } from '../stores/volumesStore';
import type { ViewerService } from '../viewer/ViewerService';

export type ViewerState = 'empty' | 'loading' | 'rendered' | 'error';

/**
 * The chosen volume on screen: its voxels fetched from main, shown by the viewer service, then (once its first frame
 * is drawn, so the image never waits for them) its mask loaded and the pending proposal drawn over it.
 */
export function useVolumeDisplay() {
  const { viewer, segmentation, masks } = useServices();
  const volumes = useVolumesStore();
  const projects = useProjectsStore();
  const review = useReviewStore();
  const notifications = useNotificationsStore();
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
    if (!volumeId) {
      viewer.clear();
      setState('empty');
      return;
    }
    setState('loading');
    const projectId = projects.currentProjectId;
    try {
      const voxels = await volumes.fetchVoxels(volumeId);
      if (current !== request) return;
      const summary = volumes.volumes.find((volume) => volume.id === volumeId);
      const firstFrame = nextFrame(viewer);
      await viewer.showVolume(voxels, summary && { center: summary.windowCenter, width: summary.windowWidth });
      if (current !== request) return;
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
function nextFrame(viewer: ViewerService): Promise<void> {
  return new Promise((resolve) => {
    const unsubscribe = viewer.onDidRender(() => {
      unsubscribe();
      resolve();
    });
  });
}
