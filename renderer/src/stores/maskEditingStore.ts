import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { MaskSaveState } from '../masks/MaskSaveQueue';

export type MaskToolName = 'navigate' | 'crosshair' | 'brush' | 'eraser' | 'threshold';

/**
 * How the user edits masks (tool, brush radius, how the mask is drawn) and where the autosave stands. Plain state:
 * the viewport applies it to the segmentation service.
 */
export const useMaskEditingStore = defineStore('maskEditing', () => {
  const tool = ref<MaskToolName>('navigate');
  const brushRadiusMillimetres = ref(5);
  const opacity = ref(0.5);
  const outline = ref(true);
  const saveState = ref<MaskSaveState>('saved');
  const canUndo = ref(false);
  const canRedo = ref(false);
  return { tool, brushRadiusMillimetres, opacity, outline, saveState, canUndo, canRedo };
});
