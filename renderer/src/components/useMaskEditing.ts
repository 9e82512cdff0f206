import { watch } from 'vue';
import { useApiClient } from '../api';
import { MaskSaveQueue } from '../masks/MaskSaveQueue';
import { clearAppSignal, setAppSignal } from '../signals/appSignals';
import { useMaskEditingStore } from '../stores/maskEditingStore';
import { useNotificationsStore } from '../stores/notificationsStore';
import { useProjectsStore } from '../stores/projectsStore';
import type { Unsubscribe } from '../viewer/Emitter';
import type { SegmentationService } from '../viewer/SegmentationService';

/**
 * The mask of the volume on screen: loaded from main when the volume appears, each finished stroke saved at once
 * (only the changed slices), the store's tool and style applied to the segmentation service.
 */
export function useMaskEditing() {
  const settings = useMaskEditingStore();
  const projects = useProjectsStore();
  const notifications = useNotificationsStore();
  let service: SegmentationService | undefined;
  let loadRequest = 0;
  /** The project the mask on screen belongs to: a stroke committed while the user switches project saves there. */
  let loaded: { projectId: string; volumeId: string } | undefined;
  const unsubscribes: Unsubscribe[] = [];

  // Pending slices are keyed "projectId/volumeId": a save lands in the project the stroke was drawn in.
  const queue = new MaskSaveQueue(async (key, slices) => {
    const [projectId, volumeId] = key.split('/') as [string, string];
    await useApiClient().call('saveMaskSlices', { projectId, volumeId, slices });
  });
  unsubscribes.push(
    queue.onDidChangeState(({ state, savedCount, error }) => {
      settings.saveState = state;
      setAppSignal('maskSaveState', state);
      setAppSignal('maskSavedCount', savedCount);
      if (error) notifications.reportError(error, 'Saving the mask');
    })
  );

  function attach(segmentationService: SegmentationService): void {
    service = segmentationService;
    unsubscribes.push(
      service.onDidCommitSlices(({ volumeId, slices }) => {
        const projectId = loaded?.volumeId === volumeId ? loaded.projectId : projects.currentProjectId;
        if (projectId) queue.enqueue(`${projectId}/${volumeId}`, slices);
      }),
      service.onDidChangeHistory(({ canUndo, canRedo }) => {
        settings.canUndo = canUndo;
        settings.canRedo = canRedo;
      })
    );
    applySettings();
  }

  function applySettings(): void {
    if (!service) return;
    service.setTool(settings.tool);
    service.setBrushRadius(settings.brushRadiusMillimetres);
    service.setStyle({ opacity: settings.opacity, outline: settings.outline });
    setAppSignal('maskTool', settings.tool);
    setAppSignal('maskDrawn', String(service.isMaskDrawn));
  }

  /** Fills the labelmap of the volume now on screen with main's mask. */
  async function loadMask(volumeId: string): Promise<void> {
    const request = ++loadRequest;
    const projectId = projects.currentProjectId;
    clearAppSignal('maskLoadedVolumeId');
    if (!service || !projectId) return;
    try {
      await queue.flush();
      const mask = await useApiClient().call('getVolumeMask', { projectId, volumeId });
      if (request !== loadRequest || !service) return;
      await service.showMask(volumeId, mask.labels);
      loaded = { projectId, volumeId };
      // The service keeps the style set by applySettings and draws the mask with it once the mask is shown.
      setAppSignal('maskDrawn', String(service.isMaskDrawn));
      setAppSignal('maskLoadedVolumeId', volumeId);
    } catch (error) {
      notifications.reportError(error, 'Loading the mask');
    }
  }

  watch(
    () => [settings.tool, settings.brushRadiusMillimetres, settings.opacity, settings.outline] as const,
    () => applySettings()
  );

  /** Draws a proposal over the mask, or removes it (null). */
  async function showProposal(volumeId: string, labels: Uint8Array | null): Promise<void> {
    try {
      await service?.showProposal(volumeId, labels);
      setAppSignal('proposalShown', labels ? volumeId : '');
    } catch (error) {
      notifications.reportError(error, 'Showing the proposal');
    }
  }

  /** The user's labels on slice `k` of the mask on screen (committed first), or null. */
  function readSlice(k: number): Uint8Array | null {
    service?.commitNow();
    return service?.readSlice(k) ?? null;
  }

  function fillHoles(k: number): void {
    service?.fillHoles(k);
  }

  function interpolate(): void {
    service?.interpolateBetweenSlices();
  }

  function undo(): void {
    service?.undo();
  }

  function redo(): void {
    service?.redo();
  }

  /** The window changed: the threshold brush follows it. */
  function updateThreshold(): void {
    if (settings.tool === 'threshold') service?.updateThresholdRange();
  }

  function dispose(): void {
    loadRequest++;
    service?.commitNow();
    void queue.flush().finally(() => queue.dispose());
    for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
    service = undefined;
  }

  return { attach, loadMask, showProposal, readSlice, fillHoles, interpolate, undo, redo, updateThreshold, dispose };
}
