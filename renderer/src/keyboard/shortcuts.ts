/**
 * Every key the app answers to, in one list: the shortcut sheet (`?`) is built from it, and the handlers ask
 * `matchesShortcut(event, id)` instead of comparing key names themselves, so the sheet cannot drift from what the keys
 * do. Adding a key is one line here (and its handler). `shortcuts.test.ts` fails when a handler in renderer/src
 * compares a key that this list does not name.
 */
import { windowPresets } from '../viewer/windowPresets';

export const shortcutGroups = ['Help', 'Scans', 'Slices', 'View', 'Sequences', 'Tags', 'Mask', 'Review'] as const;
export type ShortcutGroup = (typeof shortcutGroups)[number];

export interface Shortcut {
  id: string;
  group: ShortcutGroup;
  /** `KeyboardEvent.key` values (compared without case) that trigger it. */
  keys: readonly string[];
  /** What the sheet shows, e.g. "Ctrl+Z". */
  label: string;
  action: string;
  /** true: Shift must be held; false: Shift must not be held; absent: either (`?` needs Shift on most layouts). */
  shift?: boolean;
  /** Ctrl (or ⌘ on a Mac) must be held. */
  ctrl?: boolean;
  /** Alt (⌥ on a Mac) must be held; the key is then matched by its place (`Digit1`), as ⌥ changes the character. */
  alt?: boolean;
  /** Where the key works, when not everywhere outside text fields. */
  where?: string;
}

export const shortcuts = [
  { id: 'help.sheet', group: 'Help', keys: ['?'], label: '?', action: 'Show or hide this list of keys' },
  { id: 'help.close', group: 'Help', keys: ['Escape'], label: 'Esc', action: 'Close this list', where: 'this list' },

  { id: 'scans.nextUntagged', group: 'Scans', keys: ['u'], label: 'U', action: 'Next scan not tagged yet' },
  { id: 'scans.nextToReview', group: 'Scans', keys: ['v'], label: 'V', action: 'Next scan with a proposal to review' },
  { id: 'scans.listDown', group: 'Scans', keys: ['ArrowDown'], label: '↓', action: 'Next scan in the list', where: 'the scan list' },
  { id: 'scans.listUp', group: 'Scans', keys: ['ArrowUp'], label: '↑', action: 'Previous scan in the list', where: 'the scan list' },
  { id: 'scans.listFirst', group: 'Scans', keys: ['Home'], label: 'Home', action: 'First scan in the list', where: 'the scan list' },
  { id: 'scans.listLast', group: 'Scans', keys: ['End'], label: 'End', action: 'Last scan in the list', where: 'the scan list' },
  { id: 'scans.listLeave', group: 'Scans', keys: ['Enter', 'Escape'], label: 'Enter / Esc', action: 'Leave the list: arrows scroll slices again', where: 'the scan list' },

  { id: 'slices.next', group: 'Slices', keys: ['ArrowDown'], label: '↓', action: 'Next slice (as the wheel turned towards you)' },
  { id: 'slices.previous', group: 'Slices', keys: ['ArrowUp'], label: '↑', action: 'Previous slice' },
  { id: 'slices.pageNext', group: 'Slices', keys: ['PageDown'], label: 'Page Down', action: 'Ten slices on' },
  { id: 'slices.pagePrevious', group: 'Slices', keys: ['PageUp'], label: 'Page Up', action: 'Ten slices back' },
  { id: 'slices.first', group: 'Slices', keys: ['Home'], label: 'Home', action: 'First slice (slice 1)' },
  { id: 'slices.last', group: 'Slices', keys: ['End'], label: 'End', action: 'Last slice' },

  { id: 'view.reset', group: 'View', keys: ['r'], label: 'R', action: 'Reset zoom and pan', where: 'the image' },
  { id: 'view.mainAcquired', group: 'View', keys: ['1'], label: 'Alt+1', action: 'Main view: the acquired plane', alt: true },
  { id: 'view.mainSagittal', group: 'View', keys: ['2'], label: 'Alt+2', action: 'Main view: sagittal', alt: true },
  { id: 'view.mainCoronal', group: 'View', keys: ['3'], label: 'Alt+3', action: 'Main view: coronal', alt: true },
  ...windowPresets.map((preset) => ({ id: `view.window.${preset.id}` as const, group: 'View' as const, keys: [preset.key], label: preset.key, action: `Window: ${preset.label}` })),

  { id: 'sequences.next', group: 'Sequences', keys: ['s'], label: 'S', action: 'Next sequence of the case (T1, T1c, T2, FLAIR…); slice and mask stay', shift: false, where: 'a case of several sequences' },
  { id: 'sequences.previous', group: 'Sequences', keys: ['s'], label: 'Shift+S', action: 'Previous sequence of the case', shift: true, where: 'a case of several sequences' },
  { id: 'sequences.sideBySide', group: 'Sequences', keys: ['d'], label: 'D', action: 'Two sequences side by side (scrolled together), or one', where: 'a case of several sequences' },

  { id: 'tags.scanAbsent', group: 'Tags', keys: ['a'], label: 'A', action: 'Whole scan: no tumour' },
  { id: 'tags.scanPresent', group: 'Tags', keys: ['p'], label: 'P', action: 'Scan with tumour' },
  { id: 'tags.rangeStart', group: 'Tags', keys: ['['], label: '[', action: 'Tumour starts on this slice' },
  { id: 'tags.rangeEnd', group: 'Tags', keys: [']'], label: ']', action: 'Tumour ends on this slice' },
  { id: 'tags.toggleSlice', group: 'Tags', keys: ['t'], label: 'T', action: 'Tumour on this slice: yes / no' },

  { id: 'mask.navigate', group: 'Mask', keys: ['n', 'Escape'], label: 'N / Esc', action: 'Navigate (no drawing tool)' },
  { id: 'mask.crosshair', group: 'Mask', keys: ['c'], label: 'C', action: 'Crosshair tool: a click or drag moves the other views there (Ctrl + click with any tool)' },
  { id: 'mask.brush', group: 'Mask', keys: ['b'], label: 'B', action: 'Brush' },
  { id: 'mask.eraser', group: 'Mask', keys: ['e'], label: 'E', action: 'Eraser' },
  { id: 'mask.threshold', group: 'Mask', keys: ['h'], label: 'H', action: 'Threshold brush (only voxels inside the window)' },
  { id: 'mask.outline', group: 'Mask', keys: ['o'], label: 'O', action: 'Mask as outline or filled' },
  { id: 'mask.fillHoles', group: 'Mask', keys: ['f'], label: 'F', action: 'Fill holes on this slice' },
  { id: 'mask.interpolate', group: 'Mask', keys: ['i'], label: 'I', action: 'Interpolate between drawn slices' },
  { id: 'mask.undo', group: 'Mask', keys: ['z'], label: 'Ctrl+Z', action: 'Undo', ctrl: true, shift: false },
  { id: 'mask.redo', group: 'Mask', keys: ['y'], label: 'Ctrl+Y', action: 'Redo', ctrl: true },
  { id: 'mask.redoShift', group: 'Mask', keys: ['z'], label: 'Ctrl+Shift+Z', action: 'Redo', ctrl: true, shift: true },

  { id: 'review.acceptSlice', group: 'Review', keys: ['y'], label: 'Y', action: 'Accept the proposal on this slice', shift: false, where: 'review, with a proposal shown' },
  { id: 'review.acceptAll', group: 'Review', keys: ['y'], label: 'Shift+Y', action: 'Accept the rest of the proposal', shift: true, where: 'review, with a proposal shown' },
  { id: 'review.rejectSlice', group: 'Review', keys: ['x'], label: 'X', action: 'Reject the proposal on this slice (no tumour)', shift: false, where: 'review, with a proposal shown' },
  { id: 'review.rejectAll', group: 'Review', keys: ['x'], label: 'Shift+X', action: 'Reject the rest of the proposal', shift: true, where: 'review, with a proposal shown' },
  { id: 'review.nextSlice', group: 'Review', keys: ['.', '>'], label: '.', action: 'Next proposed slice', where: 'review, with a proposal shown' },
  { id: 'review.previousSlice', group: 'Review', keys: [',', '<'], label: ',', action: 'Previous proposed slice', where: 'review, with a proposal shown' }
] as const satisfies readonly Shortcut[];

export type ShortcutId = (typeof shortcuts)[number]['id'];

const byId = new Map<string, Shortcut>(shortcuts.map((shortcut) => [shortcut.id, shortcut]));

/** The shortcut with this id (a typo is a compile error: ids are a union type). */
export function shortcut(id: ShortcutId): Shortcut {
  return byId.get(id)!;
}

/** Whether the key press is this shortcut: its key, Ctrl/⌘ as it asks, Shift as it asks, never Alt. */
export function matchesShortcut(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>, id: ShortcutId): boolean {
  const entry = shortcut(id);
  if (event.altKey !== (entry.alt ?? false)) return false;
  if (entry.alt) return entry.keys.some((candidate) => (event as { code?: string }).code === `Digit${candidate}` || event.key === candidate);
  if ((event.ctrlKey || event.metaKey) !== (entry.ctrl ?? false)) return false;
  if (entry.shift !== undefined && event.shiftKey !== entry.shift) return false;
  const key = event.key.toLowerCase();
  return entry.keys.some((candidate) => candidate.toLowerCase() === key);
}

/** The first of these shortcuts the key press is, if any. */
export function findShortcut<Id extends ShortcutId>(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>, ids: readonly Id[]): Id | undefined {
  return ids.find((id) => matchesShortcut(event, id));
}

/** The list grouped as the sheet shows it; keys that share a label and action within a group are shown once. */
export function groupedShortcuts(): { group: ShortcutGroup; entries: Shortcut[] }[] {
  return shortcutGroups.map((group) => ({ group, entries: shortcuts.filter((entry) => entry.group === group) }));
}
