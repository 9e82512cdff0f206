/**
 * Issue 15, finding 4: the files of a project. Paths it stores stay inside it, failed uploads leave nothing behind,
 * half-written files are swept, large mask reads work, the export's CSV is safe to open in a spreadsheet, and no
 * absolute path of the server reaches a browser.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestAppCore, type TestAppCore } from '../app/testing/testAppCore';

let app: TestAppCore;
let projectId: string;
let projectFolder: string;
let volumeId: string;
const columns = 4;
const rows = 3;
const slices = 6;

/** A 4 × 3 × 6 scan whose voxels count up from 0. */
const addVolume = (name: string) => app.addVolume(projectId, { columns, rows, slices, name });

beforeEach(async () => {
  app = createTestAppCore('genseg-files-', { workspaceSubfolder: 'workspace' });
  projectId = (await app.call('createProject', { name: 'Files' })).id;
  projectFolder = (await app.core.workspace.getProject(projectId)).folder;
  volumeId = await addVolume('plain');
});

afterEach(async () => {
  await app.close();
});

describe('project files', () => {
  it('refuses a stored path that leads outside the project folder instead of reading it', async () => {
    writeFileSync(join(app.folder, 'secret.raw'), 'another file outside the project');
    const project = await app.core.workspace.getProject(projectId);
    for (const tampered of ['../../../secret.raw', join(app.folder, 'secret.raw'), 'cache/../../../../secret.raw']) {
      await project.store.database.run('UPDATE volumes SET cache_file = ? WHERE id = ?', [tampered, volumeId]);
      await expect(app.call('getVolumeVoxels', { projectId, volumeId }), tampered).rejects.toMatchObject({
        code: 'bad-file'
      });
    }
  });

  it('removes an uploaded file that could not be imported', async () => {
    const result = await app.call('importNiftiUpload', {
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
    await app.reopen();
    await app.call('openProject', { projectId });
    expect(readdirSync(join(projectFolder, 'cache', 'volumes'))).toEqual([`${volumeId}.raw`]);
    expect(readdirSync(join(projectFolder, 'exports', 'e1'))).toEqual(['notes.tmp']);
  });

  it('reads the masks of as many slices as the contract allows (100,000) in one call', async () => {
    const labels = new Uint8Array(columns * rows).fill(1);
    await app.call('saveMaskSlices', { projectId, volumeId, slices: [{ sliceIndex: 2, labels }] });
    const sliceIndices = Array.from({ length: 100_000 }, (_, index) => index);
    const result = await app.call('getMaskSlices', { projectId, volumeId, sliceIndices });
    expect(result.slices.map((slice) => slice.sliceIndex)).toEqual([2]);
  });

  it('writes names that a spreadsheet would run as formulas as plain text in manifest.csv', async () => {
    const names = ['=1+HYPERLINK("http://example.invalid")', '+1+1', '-2+3', '@SUM(A1)', '\tTAB'];
    const labels = new Uint8Array(columns * rows).fill(1);
    for (const name of names) {
      const id = await addVolume(name);
      await app.call('saveMaskSlices', { projectId, volumeId: id, slices: [{ sliceIndex: 0, labels }] });
    }
    const result = await app.call('exportMasks', { projectId });
    const csv = new TextDecoder().decode(
      (await app.call('getExportFile', { projectId, exportId: result.exportId, fileName: 'manifest.csv' })).bytes
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
    const failedUpload = await app.call('importNiftiUpload', {
      projectId,
      fileName: 'broken.nii',
      bytes: new Uint8Array(400).fill(7)
    });
    expect(failedUpload.problems[0]?.message).toMatch(/broken\.nii/);
    await app.call('saveMaskSlices', {
      projectId,
      volumeId,
      slices: [{ sliceIndex: 0, labels: new Uint8Array(columns * rows).fill(1) }]
    });
    const exported = await app.call('exportMasks', { projectId });
    for (const [what, value] of [
      ['failed upload', failedUpload],
      ['export', exported]
    ] as const) {
      const text = JSON.stringify(value);
      expect(text, what).not.toContain(app.workspace);
      expect(text, what).not.toContain(projectFolder);
    }
    expect(exported.folder).toBe(`exports/${exported.exportId}`);
  });
});
