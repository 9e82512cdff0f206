import { onBeforeUnmount, watch } from 'vue';
import { useServices } from '../services/useServices';
import { setAppSignal } from '../signals/appSignals';
import { useMaskEditingStore } from '../stores/maskEditingStore';
import { useNotificationsStore } from '../stores/notificationsStore';
import type { Unsubscribe } from '../viewer/Emitter';

/**
 * The mask editing store and the segmentation service kept in step: the tool, brush radius and style the user picks
 * go to the service; what the services announce (undo/redo available, autosave state, mask loaded or drawn) comes
 * back as store state and app signals; a failed save is told to the user.
 */
export function useMaskEditing(): void {
  const settings = useMaskEditingStore();
  const notifications = useNotificationsStore();
  const { segmentation, masks } = useServices();

  function applySettings(): void {
    segmentation.setTool(settings.tool);
    segmentation.setBrushRadius(settings.brushRadiusMillimetres);
    segmentation.setStyle({ opacity: settings.opacity, outline: settings.outline });
    setAppSignal('maskTool', settings.tool);
  }

  const unsubscribes: Unsubscribe[] = [
    segmentation.onDidChangeHistory(({ canUndo, canRedo }) => {
      settings.canUndo = canUndo;
      settings.canRedo = canRedo;
    }),
    segmentation.onDidChangeMaskDrawn((drawn) => setAppSignal('maskDrawn', String(drawn))),
    masks.onDidChangeSaveState(({ state, savedCount, error }) => {
      settings.saveState = state;
      setAppSignal('maskSaveState', state);
      setAppSignal('maskSavedCount', savedCount);
      if (error) notifications.reportError(error, 'Saving the mask');
    }),
    masks.onDidLoadMask((volumeId) => {
      setAppSignal('maskDrawn', String(segmentation.isMaskDrawn));
      setAppSignal('maskLoadedVolumeId', volumeId);
    }),
    masks.onDidFailToApplyChange((error) => notifications.reportError(error, 'Showing the mask main changed')),
    masks.onDidResolveConflict(({ message }) => {
      notifications.show('warning', message);
      setAppSignal('maskConflicts', message);
    })
  ];
  applySettings();
  setAppSignal('maskDrawn', String(segmentation.isMaskDrawn));
  watch(
    () => [settings.tool, settings.brushRadiusMillimetres, settings.opacity, settings.outline] as const,
    () => applySettings()
  );

  onBeforeUnmount(() => {
    for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
    // Strokes not yet committed are committed and saved now: nothing the user drew is lost with the view.
    segmentation.commitNow();
    void masks.flush();
  });
}
