import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { colin27Path } from '../../tests/fixtures/fetchFixtures';
import { saveMaskSlices } from '../annotation';
import { createAppCore, type AppCore } from '../app';
import { importNiftiFile, type Project } from '../project';
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
});
