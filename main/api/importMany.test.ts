/**
 * Issue 19, item 6: importing many scans at once. Several paths in one typed text (quoted, with ~, a folder), the
 * same file or DICOM series found again and offered to skip, a one-slice series warned about, the study date kept.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallInput, CallName, CallResult } from '../contract';
import { createAppCore, type AppCore } from '../app';
import { writeNiftiImage } from '../export';
import { daikonSeriesFolder } from '../imaging/testing';
import { oneSliceWarning } from '../project';

let folder: string;
let core: AppCore;
let projectId: string;
const savedHome = process.env.HOME;

async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallResult<N>> {
  const outcome = await core.dispatch(name, input, { host: 'web' });
  if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error);
  return outcome.result as CallResult<N>;
}

/** A small NIfTI scan; `seed` makes its bytes differ from the others'. */
async function writeScan(path: string, slices: number, seed: number): Promise<void> {
  const dimensions: [number, number, number] = [6, 5, slices];
  const scalars = new Int16Array(6 * 5 * slices).map((_, index) => (index * 7 + seed) % 300);
  await writeNiftiImage({ geometry: { dimensions, voxelToPatient: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1] }, scalars }, path);
}

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'genseg-import-many-'));
  // The home folder `~` stands for.
  process.env.HOME = folder;
  core = createAppCore({ workspaceFolder: join(folder, 'workspace'), logger: { info: () => {}, error: () => {} } });
  projectId = (await call('createProject', { name: 'Many' })).id;
  mkdirSync(join(folder, 'cohort'));
  await writeScan(join(folder, 'cohort', 'patient 1.nii.gz'), 8, 1);
  await writeScan(join(folder, 'cohort', 'patient 2.nii.gz'), 8, 2);
  await writeScan(join(folder, 'cohort', 'localiser.nii'), 1, 3);
});

afterEach(async () => {
  await core.close();
  process.env.HOME = savedHome;
  rmSync(folder, { recursive: true, force: true });
});

describe('importing many NIfTI files at once', () => {
  it('imports every NIfTI in a folder typed with quotes and ~, warns about a one-slice series, and keeps no study data it does not have', async () => {
    const result = await call('importNiftiFromPath', { projectId, path: '"~/cohort"' });
    expect(result.problems).toEqual([]);
    expect(result.duplicates).toEqual([]);
    expect(result.imported.map((volume) => volume.name)).toEqual(['localiser', 'patient 1', 'patient 2']);
    expect(result.imported[0]!.warnings).toContain(oneSliceWarning);
    expect(result.imported[1]!.warnings).not.toContain(oneSliceWarning);
    expect(result.imported[1]).toMatchObject({ patientName: null, studyDescription: null, studyDate: null });
  });

  it('finds the same file again by its content, under another name too, and imports it only when asked', async () => {
    await call('importNiftiFromPath', { projectId, path: join(folder, 'cohort', 'patient 1.nii.gz') });
    const [first] = await call('listVolumes', { projectId });
    // Two paths on two lines: the copy of patient 1 under another name is a duplicate, patient 2 is new.
    const copy = join(folder, 'copy of patient 1.nii.gz');
    copyFileSync(join(folder, 'cohort', 'patient 1.nii.gz'), copy);
    const again = await call('importNiftiFromPath', { projectId, path: `${copy}\n~/cohort/patient 2.nii.gz` });
    expect(again.imported.map((volume) => volume.name)).toEqual(['patient 2']);
    expect(again.duplicates).toEqual([
      { file: 'copy of patient 1.nii.gz', reason: 'same-file', path: copy, volumeId: first!.id, volumeName: 'patient 1' }
    ]);
    // The same bytes uploaded from a browser are the same file.
    const bytes = new Uint8Array(readFileSync(copy));
    const upload = await call('importNiftiUpload', { projectId, fileName: 'p1.nii.gz', bytes });
    expect(upload.imported).toEqual([]);
    expect(upload.duplicates[0]).toMatchObject({ file: 'p1.nii.gz', volumeName: 'patient 1' });
    expect(await call('listVolumes', { projectId })).toHaveLength(2);
    // The user chose "Import anyway".
    const forced = await call('importNiftiUpload', { projectId, fileName: 'p1.nii.gz', bytes, allowDuplicates: true });
    expect(forced.imported.map((volume) => volume.name)).toEqual(['p1']);
    // Named after the user's file, not the copy the server stored.
    expect(forced.imported[0]!.seriesDescription).toBe('p1');
    expect(await call('listVolumes', { projectId })).toHaveLength(3);
  });

  it('imports what it can of several paths and says why the others could not be used', async () => {
    const result = await call('importNiftiFromPath', {
      projectId,
      path: `"${join(folder, 'cohort', 'patient 1.nii.gz')}" "${join(folder, 'nowhere.nii')}"`
    });
    expect(result.imported.map((volume) => volume.name)).toEqual(['patient 1']);
    expect(result.problems).toEqual([{ file: 'nowhere.nii', code: 'not-found', message: `${join(folder, 'nowhere.nii')} does not exist.` }]);
    // One path that cannot be used is still an error of the call.
    await expect(call('importNiftiFromPath', { projectId, path: 'relative.nii' })).rejects.toMatchObject({ code: 'invalid-input' });
  });
});

describe('importing a DICOM series twice', () => {
  it('marks a series already imported when the folder is scanned again, and skips it unless asked', async () => {
    const first = await call('scanDicomFolder', { projectId, jobId: 'scan1', path: daikonSeriesFolder() });
    expect(first.series.every((series) => series.alreadyImported === null)).toBe(true);
    const imported = await call('importDicomSeries', { projectId, jobId: 'scan1', seriesIds: first.series.map((series) => series.id) });
    expect(imported.imported).toHaveLength(first.series.length);
    const volume = imported.imported[0]!;
    expect(volume.studyDate).toBe('2001-03-16');
    expect(volume.studyDescription).toBe('BRAIN');

    const second = await call('scanDicomFolder', { projectId, jobId: 'scan2', path: `'${daikonSeriesFolder()}'` });
    expect(second.series[0]!.alreadyImported).toEqual({ volumeId: volume.id, volumeName: volume.name });
    const skipped = await call('importDicomSeries', { projectId, jobId: 'scan2', seriesIds: [second.series[0]!.id] });
    expect(skipped.imported).toEqual([]);
    expect(skipped.duplicates).toEqual([{ file: volume.name, reason: 'same-series', volumeId: volume.id, volumeName: volume.name }]);

    const third = await call('scanDicomFolder', { projectId, jobId: 'scan3', path: daikonSeriesFolder() });
    const forced = await call('importDicomSeries', { projectId, jobId: 'scan3', seriesIds: [third.series[0]!.id], allowDuplicates: true });
    expect(forced.imported).toHaveLength(1);
    expect(await call('listVolumes', { projectId })).toHaveLength(first.series.length + 1);
  });
});

describe('opening an existing project folder by its path', () => {
  it('adds the folder typed with ~ to the list of projects, and says in words when a folder is not a project', async () => {
    const other = createAppCore({ workspaceFolder: join(folder, 'other-workspace'), logger: { info: () => {}, error: () => {} } });
    const created = await other.workspace.createProject('Colleague', join(folder, 'shared', 'colleague-project'));
    await other.close();
    const added = await call('addProjectFolder', { path: '"~/shared/colleague-project"' });
    expect(added).toMatchObject({ id: created.id, name: 'Colleague' });
    expect((await call('listProjects', {})).map((project) => project.name)).toContain('Colleague');
    await expect(call('addProjectFolder', { path: join(folder, 'cohort') })).rejects.toMatchObject({
      code: 'not-found',
      message: 'This folder is not a GenSeg Workstation project (project.json is missing).'
    });
    await expect(call('addProjectFolder', { path: 'somewhere' })).rejects.toMatchObject({ code: 'invalid-input' });
  });
});
