import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveMaskSlices, setTumourRanges } from '../annotation';
import { createAppCore, type AppCore } from '../app';
import type { VolumeRecord } from '../db';
import { readNiftiFile, writeNiftiFile, type Volume } from '../imaging';
import { readWithNibabel } from '../imaging/testing';
import { groupVolumesIntoCase, importNiftiFile, renameSequence, setTrainingSequences, type Project } from '../project';
import { exportNnunetDataset, type NnunetDatasetJson } from './exportNnunetDataset';
import { exportProjectMasks } from './exportProjectMasks';

const brains = join(__dirname, '..', '..', 'resources', 'sample-brains');
let folder: string;
let core: AppCore;
let project: Project;
let volume: VolumeRecord;
let t2: Volume;

async function importVolume(path: string, name: string): Promise<VolumeRecord> {
  return (await project.store.volumes.get((await importNiftiFile(project, path, name)).imported[0]!.id))!;
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'genseg-export-sequences-'));
  core = createAppCore({ workspaceFolder: folder, logger: { info: () => {}, error: () => {} } });
  project = await core.workspace.getProject((await core.workspace.createProject('Sequences out')).id);
  const colin = (await readNiftiFile(join(brains, 'colin27.nii.gz'))).volume;
  const inverted = new Float32Array(colin.scalars.length);
  colin.scalars.forEach((value, index) => (inverted[index] = value > 0 ? 300 - value : 0));
  t2 = { geometry: colin.geometry, scalars: inverted };
  await writeNiftiFile(join(folder, 'p1_t2.nii.gz'), t2);
  volume = await importVolume(join(brains, 'colin27.nii.gz'), 'p1_t1.nii.gz');
  const t2Volume = await importVolume(join(folder, 'p1_t2.nii.gz'), 'p1_t2.nii.gz');
  const flair = await importVolume(join(brains, 'icbm152.nii.gz'), 'p1_flair.nii.gz');
  await groupVolumesIntoCase(project, volume.id, [t2Volume.id, flair.id]);
  await renameSequence(project, volume.id, volume.id, 'T1');
  // A second scan with T1 only.
  await importVolume(join(brains, 'mni152.nii.gz'), 'p2_t1.nii.gz');
  await setTumourRanges(project.store, volume, [{ first: 40, last: 41 }]);
  const labels = new Uint8Array(90 * 108).fill(1, 3000, 3400);
  await saveMaskSlices(project.store, volume, [{ sliceIndex: 40, labels }], { provenance: 'user', author: 't' });
});

afterAll(async () => {
  await core.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('exports of multi-sequence cases', { timeout: 120_000 }, () => {
  it('NIfTI with images: every sequence beside the mask, on its grid (nibabel reads the same affine and voxels)', async () => {
    const out = join(folder, 'nifti');
    const summary = await exportProjectMasks(project, out, { includeImages: true });
    const [exported] = summary.cases;
    expect(exported!.sequenceImageFiles).toEqual([
      { name: 'T2', file: 'case_0001_image_T2.nii.gz' },
      { name: 'FLAIR', file: 'case_0001_image_FLAIR.nii.gz' }
    ]);
    const mask = readWithNibabel(join(out, exported!.maskFile));
    const written = readWithNibabel(join(out, 'case_0001_image_T2.nii.gz'));
    const flair = readWithNibabel(join(out, 'case_0001_image_FLAIR.nii.gz'));
    expect(written.affine).toEqual(mask.affine);
    expect(flair.affine).toEqual(mask.affine);
    expect(flair.shape).toEqual(mask.shape);
    expect(Buffer.from(new Float32Array(written.voxels).buffer).equals(Buffer.from(t2.scalars.buffer))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { cases: { sequenceImageFiles: unknown }[] };
    expect(manifest.cases[0]!.sequenceImageFiles).toEqual(exported!.sequenceImageFiles);
  });

  it("nnU-Net: the project's sequences are the channels _0000, _0001, … in its order; a scan lacking one is refused", async () => {
    await setTrainingSequences(project, ['T1', 'FLAIR', 'T2']);
    await expect(exportNnunetDataset(project, join(folder, 'nnunet-refused'), { datasetId: 18 })).rejects.toThrow(
      'An nnU-Net dataset needs every channel (T1, FLAIR, T2) in every case, and these scans lack some: p2_t1 (FLAIR, T2). Export the other scans, or choose fewer sequences.'
    );
    const out = join(folder, 'nnunet');
    const summary = await exportNnunetDataset(project, out, { datasetId: 18, volumeIds: [volume.id] });
    const root = join(out, summary.datasetFolder);
    const datasetJson = JSON.parse(readFileSync(join(root, 'dataset.json'), 'utf8')) as NnunetDatasetJson;
    expect(datasetJson.channel_names).toEqual({ '0': 'T1', '1': 'FLAIR', '2': 'T2' });
    const [exported] = summary.cases;
    expect(exported!.imageFiles).toEqual([0, 1, 2].map((channel) => `${summary.datasetFolder}/imagesTr/case_${volume.id}_000${channel}.nii.gz`));
    const channel2 = readWithNibabel(join(out, exported!.imageFiles[2]!));
    expect(Buffer.from(new Float32Array(channel2.voxels).buffer).equals(Buffer.from(t2.scalars.buffer))).toBe(true);
    const label = readWithNibabel(join(out, exported!.labelFile!));
    for (const file of exported!.imageFiles) expect(readWithNibabel(join(out, file)).affine).toEqual(label.affine);
  });
});
