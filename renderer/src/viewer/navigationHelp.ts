/**
 * The mouse as in OHIF and 3D Slicer: wheel scrolls slices, left-drag sets window/level, right-drag zooms,
 * middle-drag (or Shift + left-drag, for trackpads) pans. Set up by `createNavigationToolGroup`; kept apart from it so
 * that showing the help does not load Cornerstone.
 */
export const navigationHelp = [
  { input: 'Wheel', action: 'slices' },
  { input: 'Left-drag', action: 'window/level' },
  { input: 'Right-drag', action: 'zoom (down: in)' },
  { input: 'Middle-drag or Shift + left-drag', action: 'pan' },
  { input: '↑ ↓ PgUp PgDn', action: 'slices' },
  { input: 'R', action: 'reset view' },
  { input: '?', action: 'all keys' }
] as const;
