/**
 * The shortcut sheet is built from `renderer/src/keyboard/shortcuts.ts`; this fails when a handler in renderer/src
 * compares a key by hand that the list does not name, so the sheet cannot leave a key out.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shortcuts } from '../../renderer/src/keyboard/shortcuts';

const rendererSource = resolve(import.meta.dirname, '../../renderer/src');

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|vue)$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The keys a source text compares by hand: `key === 'x'`, `event.key === 'ArrowDown'`, `key !== 'u'`. */
const comparedKeys = (text: string) => [...text.matchAll(/\bkey\s*[!=]==\s*'([^']+)'/g)].map((match) => match[1]!);

describe('the shortcut sheet and the key handlers', () => {
  it('holds every key a handler in renderer/src compares, so the sheet cannot leave one out', () => {
    const known = new Set(shortcuts.flatMap((entry) => entry.keys.map((key) => key.toLowerCase())));
    expect(comparedKeys(`if (key === 'g') go(); else if (event.key !== 'ArrowLeft') return;`)).toEqual(['g', 'ArrowLeft']);
    const compared = sourceFiles(rendererSource).flatMap((file) =>
      comparedKeys(readFileSync(file, 'utf8')).map((key) => ({ file: relative(rendererSource, file), key }))
    );
    expect(compared.filter(({ key }) => !known.has(key.toLowerCase()))).toEqual([]);
  });
});
