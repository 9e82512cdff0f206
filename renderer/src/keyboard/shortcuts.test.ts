import { describe, expect, it } from 'vitest';
import { findShortcut, groupedShortcuts, matchesShortcut, shortcuts } from './shortcuts';

const press = (key: string, modifiers: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey', boolean>> = {}) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...modifiers
});

describe('the list of keyboard shortcuts', () => {
  it('names each shortcut once and puts every one in a group of the sheet', () => {
    const ids = shortcuts.map((entry) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(groupedShortcuts().flatMap((group) => group.entries)).toHaveLength(shortcuts.length);
    expect(groupedShortcuts().every((group) => group.entries.length > 0)).toBe(true);
  });

  it('tells keys apart by Ctrl and Shift as the handlers need', () => {
    expect(matchesShortcut(press('Z', { ctrlKey: true }), 'mask.undo')).toBe(true);
    expect(matchesShortcut(press('z', { metaKey: true }), 'mask.undo')).toBe(true);
    expect(matchesShortcut(press('Z', { ctrlKey: true, shiftKey: true }), 'mask.undo')).toBe(false);
    expect(matchesShortcut(press('Z', { ctrlKey: true, shiftKey: true }), 'mask.redoShift')).toBe(true);
    expect(matchesShortcut(press('z'), 'mask.undo')).toBe(false);
    expect(findShortcut(press('Y', { shiftKey: true }), ['review.acceptSlice', 'review.acceptAll', 'mask.redo'])).toBe('review.acceptAll');
    expect(findShortcut(press('y'), ['review.acceptSlice', 'review.acceptAll', 'mask.redo'])).toBe('review.acceptSlice');
    expect(matchesShortcut(press('?', { shiftKey: true }), 'help.sheet')).toBe(true);
    expect(matchesShortcut(press('a', { altKey: true }), 'tags.scanAbsent')).toBe(false);
    expect(matchesShortcut(press('PageDown'), 'slices.pageNext')).toBe(true);
  });
});
