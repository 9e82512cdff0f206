/**
 * Issue 15, finding 4: the files of a project. Paths it stores stay inside it, failed uploads leave nothing behind,
 * half-written files are swept, large mask reads work, the export's CSV is safe to open in a spreadsheet, and no
 * absolute path of the server reaches a browser.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallInput, CallName, CallResult } from '../contract';
import { createAppCore, type AppCore } from '../app';
import { addImportedVolume } from '../project';

let folder: string;
let workspace: string;
let core: AppCore;
let projectId: string;
let projectFolder: string;
let volumeId: string;
const columns = 4;
const rows = 3;
const slices = 6;

async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallResult<N>> {
  const outcome = await core.dispatch(name, input, { host: 'web' });
  if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error);
  return outcome.result as CallResult<N>;
}

async function addVolume(name: string): Promise<string> {
  const project = await core.workspace.getProject(projectId);
  const scalars = new Int16Array(columns * rows * slices).map((_, index) => index);
  const geometry = {
    dimensions: [columns, rows, slices] as [number, number, number],
    voxelToPatient: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]
  };
  return (
    await addImportedVolume(
      project,
      { volume: { geometry, scalars }, description: { sourceFormat: 'nifti', sourceFiles: [], warnings: [] } },
      name
    )
  ).id;
}

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'genseg-files-'));
  workspace = join(folder, 'workspace');
  core = createAppCore({ workspaceFolder: workspace, logger: { info: () => {}, error: () => {} } });
  projectId = (await call('createProject', { name: 'Files' })).id;
  projectFolder = (await core.workspace.getProject(projectId)).folder;
  volumeId = await addVolume('plain');
});

afterEach(async () => {
  await core.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('project files', () => {
  it('refuses a stored path that leads outside the project folder instead of reading it', async () => {
    writeFileSync(join(folder, 'secret.raw'), 'another file outside the project');
    const project = await core.workspace.getProject(projectId);
    for (const tampered of ['../../../secret.raw', join(folder, 'secret.raw'), 'cache/../../../../secret.raw']) {
      await project.store.database.run('UPDATE volumes SET cache_file = ? WHERE id = ?', [tampered, volumeId]);
      await expect(call('getVolumeVoxels', { projectId, volumeId }), tampered).rejects.toMatchObject({
        code: 'bad-file'
      });
    }
  });

  it('removes an uploaded file that could not be imported', async () => {
    const result = await call('importNiftiUpload', {
      projectId,
      fileName: 'broken.nii',
      bytes: new Uint8Array(400).fill(7)
    });
    expect(result.imported).toEqual([]);
    expect(result.problems).toHaveLength(1);
    expect(readdirSync(join(projectFolder, 'sources'))).toEqual([]);
  });

  it('sweeps the temporary files of writes cut short when the project is opened again', async () => {
    mkdirSync(join(projectFolder, 'exports', 'e1'), { recursive: true });
    writeFileSync(join(projectFolder, 'cache', 'volumes', `.${volumeId}.raw.0123abcd.tmp`), 'half');
    writeFileSync(join(projectFolder, 'exports', 'e1', 'case_0001_mask.nii.gz.partial'), 'half');
    writeFileSync(join(projectFolder, 'exports', 'e1', 'notes.tmp'), 'the user’s own file');
    await core.close();
    core = createAppCore({ workspaceFolder: workspace, logger: { info: () => {}, error: () => {} } });
    await call('openProject', { projectId });
    expect(readdirSync(join(projectFolder, 'cache', 'volumes'))).toEqual([`${volumeId}.raw`]);
    expect(readdirSync(join(projectFolder, 'exports', 'e1'))).toEqual(['notes.tmp']);
  });

  it('reads the masks of as many slices as the contract allows (100,000) in one call', async () => {
    const labels = new Uint8Array(columns * rows).fill(1);
    await call('saveMaskSlices', { projectId, volumeId, slices: [{ sliceIndex: 2, labels }] });
    const sliceIndices = Array.from({ length: 100_000 }, (_, index) => index);
    const result = await call('getMaskSlices', { projectId, volumeId, sliceIndices });
    expect(result.slices.map((slice) => slice.sliceIndex)).toEqual([2]);
  });

  it('writes names that a spreadsheet would run as formulas as plain text in manifest.csv', async () => {
    const names = ['=1+HYPERLINK("http://example.invalid")', '+1+1', '-2+3', '@SUM(A1)', '\tTAB'];
    const labels = new Uint8Array(columns * rows).fill(1);
    for (const name of names) {
      const id = await addVolume(name);
      await call('saveMaskSlices', { projectId, volumeId: id, slices: [{ sliceIndex: 0, labels }] });
    }
    const result = await call('exportMasks', { projectId });
    const csv = new TextDecoder().decode(
      (await call('getExportFile', { projectId, exportId: result.exportId, fileName: 'manifest.csv' })).bytes
    );
    const nameCells = csv
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split('","')[2]!);
    expect(nameCells).toHaveLength(names.length);
    for (const cell of nameCells) expect(cell, cell).toMatch(/^'[=+\-@\t]/);
  });

  it('sends no absolute path of the server to a web client', async () => {
    const failedUpload = await call('importNiftiUpload', {
      projectId,
      fileName: 'broken.nii',
      bytes: new Uint8Array(400).fill(7)
    });
    expect(failedUpload.problems[0]?.message).toMatch(/broken\.nii/);
    await call('saveMaskSlices', {
      projectId,
      volumeId,
      slices: [{ sliceIndex: 0, labels: new Uint8Array(columns * rows).fill(1) }]
    });
    const exported = await call('exportMasks', { projectId });
    for (const [what, value] of [
      ['failed upload', failedUpload],
      ['export', exported]
    ] as const) {
      const text = JSON.stringify(value);
      expect(text, what).not.toContain(workspace);
      expect(text, what).not.toContain(projectFolder);
    }
    expect(exported.folder).toBe(`exports/${exported.exportId}`);
  });
});
