/**
 * The mouse as in OHIF and 3D Slicer: wheel scrolls slices, left-drag sets window/level, right-drag zooms,
 * middle-drag (or Shift + left-drag, for trackpads) pans; Ctrl + click (or the crosshair tool's click) moves the
 * crosshair, and the other views with it (ViewerService). Set up by `createNavigationToolGroup`; kept apart from it so
 * that showing the help does not load Cornerstone.
 */
export const navigationHelp = [
  { input: 'Wheel', action: 'slices' },
  { input: 'Left-drag', action: 'window/level' },
  { input: 'Right-drag', action: 'zoom (down: in)' },
  { input: 'Middle-drag or Shift + left-drag', action: 'pan' },
  { input: 'Ctrl + click', action: 'crosshair: the other views go there' },
  { input: '↑ ↓ PgUp PgDn', action: 'slices' },
  { input: 'R', action: 'reset view' },
  { input: '1–4', action: 'window presets' },
  { input: 'Alt + 1–3', action: 'main view' },
  { input: '?', action: 'all keys' }
] as const;
