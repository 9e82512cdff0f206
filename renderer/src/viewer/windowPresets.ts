/**
 * Window/level presets, each on a number key as in OHIF. MR intensities have no fixed scale, so the brain MR preset is
 * the window the volume opened with (the one its DICOM files suggest, else its robust range); the CT presets are the
 * usual Hounsfield windows.
 */
export interface WindowPreset {
  id: 'automatic' | 'ct-brain' | 'ct-soft-tissue' | 'ct-bone';
  label: string;
  key: string;
  /** null: the volume's automatic window. */
  window: { width: number; center: number } | null;
}

export const windowPresets: readonly WindowPreset[] = [
  { id: 'automatic', label: 'Brain MR (automatic)', key: '1', window: null },
  { id: 'ct-brain', label: 'CT brain (W 80, L 40)', key: '2', window: { width: 80, center: 40 } },
  { id: 'ct-soft-tissue', label: 'CT soft tissue (W 400, L 40)', key: '3', window: { width: 400, center: 40 } },
  { id: 'ct-bone', label: 'CT bone (W 1800, L 400)', key: '4', window: { width: 1800, center: 400 } }
];

export function windowPresetForKey(key: string): WindowPreset | undefined {
  return windowPresets.find((preset) => preset.key === key);
}
