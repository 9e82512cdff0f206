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

  it('switches sequences with S and Shift+S, side by side with D, on keys no other shortcut outside text fields takes', () => {
    expect(findShortcut(press('s'), ['sequences.next', 'sequences.previous'])).toBe('sequences.next');
    expect(findShortcut(press('S', { shiftKey: true }), ['sequences.next', 'sequences.previous'])).toBe('sequences.previous');
    expect(matchesShortcut(press('d'), 'sequences.sideBySide')).toBe(true);
    expect(matchesShortcut(press('s', { ctrlKey: true }), 'sequences.next')).toBe(false);
    expect(matchesShortcut(press('s', { altKey: true }), 'sequences.next')).toBe(false);
    const others = shortcuts.filter((entry) => !entry.id.startsWith('sequences.') && !('ctrl' in entry && entry.ctrl));
    expect(others.filter((entry) => entry.keys.some((key) => ['s', 'd'].includes(key.toLowerCase())))).toEqual([]);
    expect(groupedShortcuts().find((group) => group.group === 'Sequences')?.entries.map((entry) => entry.label)).toEqual(['S', 'Shift+S', 'D']);
  });

  it('holds every key a handler in renderer/src compares, so the sheet cannot leave one out', () => {
    // Every source file of the renderer as text (Vite's glob, so the test needs no file system of its own).
    const sources = import.meta.glob(['../**/*.ts', '../**/*.vue', '!../**/*.test.ts'], { query: '?raw', import: 'default', eager: true });
    expect(Object.keys(sources).length).toBeGreaterThan(50);
    expect(comparedKeys(`if (key === 'g') go(); else if (event.key !== 'ArrowLeft') return;`)).toEqual(['g', 'ArrowLeft']);
    const known = new Set(shortcuts.flatMap((entry) => entry.keys.map((key) => key.toLowerCase())));
    const compared = Object.entries(sources).flatMap(([file, text]) => comparedKeys(String(text)).map((key) => ({ file, key })));
    expect(compared.filter(({ key }) => !known.has(key.toLowerCase()))).toEqual([]);
  });
});

/** The keys a source text compares by hand: `key === 'x'`, `event.key === 'ArrowDown'`, `key !== 'u'`. */
function comparedKeys(text: string): string[] {
  return [...text.matchAll(/\bkey\s*[!=]==\s*'([^']+)'/g)].map((match) => match[1]!);
}
