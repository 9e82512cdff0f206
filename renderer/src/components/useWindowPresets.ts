import { onBeforeUnmount, ref, type Ref } from 'vue';
import { useServices } from '../services/useServices';
import { setAppSignal } from '../signals/appSignals';
import type { Unsubscribe } from '../viewer/Emitter';
import { windowPresetForKey, windowPresets, type WindowPreset } from '../viewer/windowPresets';
import { isTypingTarget } from './isTypingTarget';

/**
 * The window preset list: a new volume opens with its automatic window, a number key picks a preset from anywhere but
 * a text field (as in OHIF), and a drag away from a preset's window leaves no preset chosen.
 */
export function useWindowPresets(isViewerReady: Ref<boolean>) {
  const { viewer } = useServices();
  const presetId = ref<WindowPreset['id'] | ''>('');

  function apply(preset: WindowPreset | undefined): void {
    if (!preset) return;
    if (preset.window) viewer.setWindow(preset.window);
    else viewer.resetWindow();
    presetId.value = preset.id;
    setAppSignal('viewerWindowPreset', preset.id);
  }

  function handleKey(event: KeyboardEvent): void {
    if (event.ctrlKey || event.metaKey || event.altKey || isTypingTarget(event.target)) return;
    if (!isViewerReady.value) return;
    const preset = windowPresetForKey(event.key);
    if (!preset) return;
    event.preventDefault();
    apply(preset);
  }

  const unsubscribes: Unsubscribe[] = [
    viewer.onDidShowVolume(() => {
      presetId.value = 'automatic';
    }),
    viewer.onDidChangeWindow(({ width, center }) => {
      const presetWindow = windowPresets.find((preset) => preset.id === presetId.value)?.window;
      if (
        presetWindow &&
        (Math.abs(presetWindow.width - width) > 1e-6 || Math.abs(presetWindow.center - center) > 1e-6)
      )
        presetId.value = '';
    })
  ];
  window.addEventListener('keydown', handleKey);
  onBeforeUnmount(() => {
    window.removeEventListener('keydown', handleKey);
    for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
  });

  return { presetId, presets: windowPresets, apply };
}
