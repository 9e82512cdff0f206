/**
 * Issue 15, finding 4: a write is durable only once the file and the folder that names it are fsynced. The file
 * system is the real one; `open` is wrapped to record which paths were fsynced, in order.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const events: string[] = [];

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...actual,
    open: async (...args: Parameters<typeof actual.open>) => {
      const handle = await actual.open(...args);
      const sync = handle.sync.bind(handle);
      handle.sync = async () => {
        events.push(`sync ${String(args[0])}`);
        return sync();
      };
      return handle;
    },
    rename: async (from: string, to: string) => {
      events.push(`rename ${to}`);
      return actual.rename(from, to);
    }
  };
});

const { copyFolderAtomically, writeFileAtomically } = await import('./index');

let folder: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'genseg-durable-'));
  events.length = 0;
});

afterEach(() => rmSync(folder, { recursive: true, force: true }));

describe('durable writes', () => {
  it('fsyncs the file, renames it into place, then fsyncs its folder', async () => {
    const path = join(folder, 'projects.json');
    await writeFileAtomically(path, new TextEncoder().encode('[]'));
    expect(readFileSync(path, 'utf8')).toBe('[]');
    expect(events.at(-2)).toBe(`rename ${path}`);
    expect(events.at(-1)).toBe(`sync ${folder}`);
    expect(events[0]).toMatch(/^sync .*\.projects\.json\.[0-9a-f]{8}\.tmp$/);
  });

  it('copies a folder tree (a model version) with every file and folder fsynced', async () => {
    const source = join(folder, 'run');
    mkdirSync(join(source, 'sub'), { recursive: true });
    writeFileSync(join(source, 'best.json'), '{}');
    writeFileSync(join(source, 'sub', 'best-12.bin'), 'weights');
    writeFileSync(join(source, 'checkpoint.json'), 'skipped');
    const target = join(folder, 'versions', 'v1');
    await copyFolderAtomically(source, target, (path) => !path.endsWith('checkpoint.json'));
    expect(readFileSync(join(target, 'sub', 'best-12.bin'), 'utf8')).toBe('weights');
    const synced = events.filter((event) => event.startsWith('sync ')).map((event) => event.slice(5));
    for (const path of [target, join(target, 'sub'), dirname(target)]) expect(synced, path).toContain(path);
    for (const file of ['best.json', join('sub', 'best-12.bin')]) {
      expect(events, file).toContain(`rename ${join(target, file)}`);
    }
    expect(events.some((event) => event.includes('checkpoint.json'))).toBe(false);
  });
});
