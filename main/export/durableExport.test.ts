/**
 * Issue 15, finding 4: an export is on disk when it is reported done: each file and the export folder are fsynced.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const synced = new Set<string>();

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...actual,
    open: async (...args: Parameters<typeof actual.open>) => {
      const handle = await actual.open(...args);
      const sync = handle.sync.bind(handle);
      handle.sync = async () => {
        synced.add(String(args[0]));
        return sync();
      };
      return handle;
    }
  };
});

const { createAppCore } = await import('../app');
const { addImportedVolume } = await import('../project');
const { saveMaskSlices } = await import('../annotation');
const { exportProjectMasks } = await import('./index');

let folder: string;
let core: Awaited<ReturnType<typeof createAppCore>>;

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'genseg-durable-export-'));
  core = createAppCore({ workspaceFolder: folder, logger: { info: () => {}, error: () => {} } });
});

afterAll(async () => {
  await core.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('export durability', () => {
  it('fsyncs every exported file and the export folder', async () => {
    const project = await core.workspace.getProject((await core.workspace.createProject('Durable')).id);
    const geometry = {
      dimensions: [4, 3, 2] as [number, number, number],
      voxelToPatient: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]
    };
    const summary = await addImportedVolume(
      project,
      {
        volume: { geometry, scalars: new Int16Array(24) },
        description: { sourceFormat: 'nifti', sourceFiles: [], warnings: [] }
      },
      'v'
    );
    const volume = (await project.store.volumes.get(summary.id))!;
    await saveMaskSlices(project.store, volume, [{ sliceIndex: 1, labels: new Uint8Array(12).fill(1) }], {
      provenance: 'user',
      author: 't'
    });
    const out = join(project.folder, 'exports', 'e1');
    synced.clear();
    await exportProjectMasks(project, out, { includeImages: true });
    const files = readdirSync(out);
    expect(files.sort()).toEqual(['case_0001_image.nii.gz', 'case_0001_mask.nii.gz', 'manifest.csv', 'manifest.json']);
    for (const file of files)
      expect(
        [...synced].some((path) => path.includes(file)),
        file
      ).toBe(true);
    expect(synced).toContain(out);
  });
});
