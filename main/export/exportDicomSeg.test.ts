import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npmPackageFile } from '../../tests/fixtures/fetchFixtures';
import { saveMaskSlices } from '../annotation';
import { createAppCore, type AppCore } from '../app';
import { Random } from '../common';
import { geometryOf, type VolumeRecord } from '../db';
import { loadDicomSeries, readDicomSeg, readDicomSourceImages, scanDicomFolder, transformPoint } from '../imaging';
import {
  createRotation,
  createTemporaryFolder,
  daikonSeriesFiles,
  daikonSeriesFolder,
  removeTemporaryFolders,
  rotateSliceEdits,
  runPythonJson,
  writeDerivedSeries
} from '../imaging/testing';
import { addImportedVolume, importNiftiFile, type Project } from '../project';
import { exportDicomSeg } from './exportDicomSeg';

let folder: string;
let core: AppCore;
let project: Project;
const volumes = new Map<string, VolumeRecord>();
const expectedLabels = new Map<string, Uint8Array>();
let niftiVolume: VolumeRecord;

/** An asymmetric block per slice, so a flipped or shifted frame cannot pass. */
function drawSlice(columns: number, rows: number, k: number): Uint8Array {
  const labels = new Uint8Array(columns * rows);
  for (let j = 20 + k; j < 32 + k; j += 1) for (let i = 40; i < 70 + (j % 5); i += 1) labels[j * columns + i] = 1;
  labels[(rows - 3) * columns + 2] = 1; // a lone voxel near the last row, first column
  return labels;
}

async function importSeries(name: string, seriesFolder: string): Promise<VolumeRecord> {
  const scan = await scanDicomFolder(seriesFolder);
  const series = scan.series.find((candidate) => candidate.sliceCount === 20)!;
  const summary = await addImportedVolume(project, await loadDicomSeries(series), name);
  return (await project.store.volumes.get(summary.id))!;
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'genseg-seg-'));
  core = createAppCore({ workspaceFolder: folder, logger: { info: () => {}, error: () => {} } });
  project = await core.workspace.getProject((await core.workspace.createProject('SEG')).id);
  const files = daikonSeriesFiles();

  const oblique = createTemporaryFolder('seg-oblique');
  const rotation = createRotation(25, -35);
  writeDerivedSeries(oblique, (index) => `oblique_${index}.dcm`, (index) => rotateSliceEdits(files[index]!, rotation));

  const shuffled = createTemporaryFolder('seg-shuffled');
  const random = new Random(11);
  const order = files.map((_, index) => ({ index, key: random.next() })).sort((a, b) => a.key - b.key);
  const newName = new Map(order.map(({ index }, position) => [index, `sub${position % 3}/IMG${String(1000 - position * 37)}`]));
  writeDerivedSeries(shuffled, (index) => newName.get(index)!, () => ({}));

  const rescaled = createTemporaryFolder('seg-rescaled');
  writeDerivedSeries(rescaled, (index) => `rescaled_${index}.dcm`, () => ({ x00281053: '0.5', x00281052: '-100' }));

  for (const [name, seriesFolder] of [
    ['original', daikonSeriesFolder()],
    ['oblique', oblique],
    ['shuffled', shuffled],
    ['rescaled', rescaled]
  ] as const) {
    volumes.set(name, await importSeries(name, seriesFolder));
  }
  niftiVolume = (await project.store.volumes.get(
    (await importNiftiFile(project, npmPackageFile('nifti-reader-js@0.5.4', 'tests/data/avg152T1_LR_nifti.nii.gz'))).imported[0]!.id
  ))!;

  await project.store.modelVersions.create({
    id: 'model1',
    runId: null,
    method: 'genseg',
    preset: 'tiny',
    config: {},
    metrics: { evaluation: { dice: null, auroc: null, heldOutLabelledSlices: 0, heldOutPresentSlices: 0, heldOutAbsentSlices: 0 }, steps: 1, bestStep: 1, parameters: {} },
    dataSnapshot: {},
    backend: 'wasm',
    weightsFolder: 'x',
    createdAt: 'now'
  });
  for (const volume of [...volumes.values(), niftiVolume]) {
    const [columns, rows, slices] = volume.dimensions;
    const slice = (k: number) => ({ sliceIndex: k, labels: drawSlice(columns, rows, k) });
    await saveMaskSlices(project.store, volume, [slice(3), slice(4)], { provenance: 'user', author: 'dr-a' });
    await saveMaskSlices(project.store, volume, [slice(7)], { provenance: 'proposal-accepted', author: 'dr-b', modelVersionId: 'model1' });
    await saveMaskSlices(project.store, volume, [slice(12)], { provenance: 'proposal-edited', author: 'dr-b', modelVersionId: 'model1' });
    const labels = new Uint8Array(columns * rows * slices);
    for (const k of [3, 4, 7, 12]) labels.set(drawSlice(columns, rows, k), k * columns * rows);
    expectedLabels.set(volume.id, labels);
  }
});

afterAll(async () => {
  await core.close();
  rmSync(folder, { recursive: true, force: true });
  removeTemporaryFolders();
});

interface FrameReport {
  sop: string;
  frameIpp: number[];
  frameIop: number[];
  sourceIpp: number[];
  sourceIop: number[];
  comment: string;
  pixels: number[];
}

interface SegReport {
  sopClass: string;
  modality: string;
  segmentationType: string;
  bitsAllocated: number;
  transferSyntax: string;
  segment: { label: string; category: string[]; type: string[]; algorithmType: string; algorithmName: string; family: string };
  referencedSeries: string;
  referencedInstances: number;
  sameStudy: boolean;
  sameFrameOfReference: boolean;
  samePatient: boolean;
  sourceSeries: string;
  frames: FrameReport[];
}

/** pydicom's view of a SEG and of the source files it references. */
function readWithPydicom(segPath: string, sourcePaths: string[]): SegReport {
  return runPythonJson<SegReport>(
    `
import json, sys, numpy as np, pydicom
seg = pydicom.dcmread(sys.argv[1])
sources = {}
for path in sys.argv[2:]:
    ds = pydicom.dcmread(path, stop_before_pixels=True)
    sources[ds.SOPInstanceUID] = ds
first = next(iter(sources.values()))
pixels = seg.pixel_array.reshape((int(seg.NumberOfFrames), int(seg.Rows), int(seg.Columns)))
shared = seg.SharedFunctionalGroupsSequence[0]
frames = []
for n, group in enumerate(seg.PerFrameFunctionalGroupsSequence):
    ref = group.DerivationImageSequence[0].SourceImageSequence[0]
    src = sources[ref.ReferencedSOPInstanceUID]
    iop = (group.PlaneOrientationSequence[0] if "PlaneOrientationSequence" in group else shared.PlaneOrientationSequence[0]).ImageOrientationPatient
    content = group.FrameContentSequence[0]
    assert ref.ReferencedSOPClassUID == src.SOPClassUID
    assert group.DerivationImageSequence[0].DerivationCodeSequence[0].CodeValue == "113076"
    assert ref.PurposeOfReferenceCodeSequence[0].CodeValue == "121322"
    frames.append({
        "sop": ref.ReferencedSOPInstanceUID,
        "frameIpp": [float(v) for v in group.PlanePositionSequence[0].ImagePositionPatient],
        "frameIop": [float(v) for v in iop],
        "sourceIpp": [float(v) for v in src.ImagePositionPatient],
        "sourceIop": [float(v) for v in src.ImageOrientationPatient],
        "comment": str(content.get("FrameComments", "")),
        "pixels": np.flatnonzero(pixels[n]).tolist(),
    })
segment = seg.SegmentSequence[0]
referenced = seg.ReferencedSeriesSequence[0]
print(json.dumps({
    "sopClass": seg.SOPClassUID, "modality": seg.Modality, "segmentationType": seg.SegmentationType,
    "bitsAllocated": int(seg.BitsAllocated), "transferSyntax": seg.file_meta.TransferSyntaxUID,
    "segment": {
        "label": segment.SegmentLabel,
        "category": [segment.SegmentedPropertyCategoryCodeSequence[0].CodeValue, segment.SegmentedPropertyCategoryCodeSequence[0].CodingSchemeDesignator],
        "type": [segment.SegmentedPropertyTypeCodeSequence[0].CodeValue, segment.SegmentedPropertyTypeCodeSequence[0].CodingSchemeDesignator],
        "algorithmType": segment.SegmentAlgorithmType,
        "algorithmName": str(segment.get("SegmentAlgorithmName", "")),
        "family": segment.SegmentationAlgorithmIdentificationSequence[0].AlgorithmFamilyCodeSequence[0].CodeMeaning,
    },
    "referencedSeries": referenced.SeriesInstanceUID,
    "referencedInstances": len(referenced.ReferencedInstanceSequence),
    "sameStudy": seg.StudyInstanceUID == first.StudyInstanceUID,
    "sameFrameOfReference": seg.FrameOfReferenceUID == first.FrameOfReferenceUID,
    "samePatient": seg.PatientID == first.PatientID and str(seg.PatientName) == str(first.PatientName),
    "sourceSeries": first.SeriesInstanceUID,
    "frames": frames,
}))`,
    [segPath, ...sourcePaths]
  );
}

describe('DICOM SEG export', { timeout: 300_000 }, () => {
  let summary: Awaited<ReturnType<typeof exportDicomSeg>>;
  beforeAll(async () => {
    summary = await exportDicomSeg(project, join(folder, 'seg'), { softwareVersion: '0.1.0' });
  });

  it('says clearly why a volume imported from NIfTI has no SEG', () => {
    expect(summary.skipped).toHaveLength(1);
    expect(summary.skipped[0]).toMatchObject({ volumeId: niftiVolume.id });
    expect(summary.skipped[0]!.reason).toMatch(/imported from NIfTI, and a DICOM SEG must reference the DICOM images it segments/);
    expect(summary.cases.map((c) => c.volumeName).sort()).toEqual(['oblique', 'original', 'rescaled', 'shuffled']);
  });

  for (const name of ['original', 'oblique', 'shuffled', 'rescaled']) {
    it(`${name} series: pydicom reads the SEG; every frame has its referenced slice's position and orientation, and the mask of that slice`, () => {
      const volume = volumes.get(name)!;
      const exported = summary.cases.find((c) => c.volumeId === volume.id)!;
      const report = readWithPydicom(join(summary.folder, exported.segFile), volume.sourceFiles);
      expect(report).toMatchObject({
        sopClass: '1.2.840.10008.5.1.4.1.1.66.4',
        modality: 'SEG',
        segmentationType: 'BINARY',
        bitsAllocated: 1,
        transferSyntax: '1.2.840.10008.1.2.1',
        segment: {
          label: 'Tumour',
          category: ['49755003', 'SCT'],
          type: ['108369006', 'SCT'],
          algorithmType: 'SEMIAUTOMATIC',
          algorithmName: 'GenSeg model version 1 (genseg)',
          family: 'Artificial Intelligence'
        },
        referencedInstances: 20,
        sameStudy: true,
        sameFrameOfReference: true,
        samePatient: true
      });
      expect(report.referencedSeries).toBe(report.sourceSeries);
      expect(report.frames).toHaveLength(4);
      const [columns, rows] = volume.dimensions;
      const framesBySlice = new Map<number, FrameReport>();
      for (const frame of report.frames) {
        for (let axis = 0; axis < 3; axis += 1) expect(Math.abs(frame.frameIpp[axis]! - frame.sourceIpp[axis]!)).toBeLessThan(1e-4);
        for (let n = 0; n < 6; n += 1) expect(Math.abs(frame.frameIop[n]! - frame.sourceIop[n]!)).toBeLessThan(1e-5);
        // Which slice of the volume the referenced image is: the one whose grid position is nearest (dcm2niix's grid).
        const distances = Array.from({ length: volume.dimensions[2] }, (_, k) => {
          const p = transformPoint(volume.voxelToPatient, [0, 0, k]);
          return Math.hypot(p[0] - frame.sourceIpp[0]!, p[1] - frame.sourceIpp[1]!, p[2] - frame.sourceIpp[2]!);
        });
        framesBySlice.set(distances.indexOf(Math.min(...distances)), frame);
      }
      expect([...framesBySlice.keys()].sort((a, b) => a - b)).toEqual([3, 4, 7, 12]);
      for (const [k, frame] of framesBySlice) {
        const expected = drawSlice(columns, rows, k).reduce<number[]>((list, value, index) => (value ? [...list, index] : list), []);
        expect(frame.pixels).toEqual(expected);
      }
      expect(framesBySlice.get(3)!.comment).toMatch(/^drawn by dr-a/);
      expect(framesBySlice.get(7)!.comment).toMatch(/^accepted from GenSeg model version 1 \(genseg\) by dr-b/);
      expect(framesBySlice.get(12)!.comment).toMatch(/^edited from GenSeg model version 1 \(genseg\) by dr-b/);
    });

    it(`${name} series: read back through the same adapters, the SEG gives the exact labelmap`, async () => {
      const volume = volumes.get(name)!;
      const exported = summary.cases.find((c) => c.volumeId === volume.id)!;
      const sources = await readDicomSourceImages(volume.sourceFiles, geometryOf(volume));
      const content = await readDicomSeg(new Uint8Array(readFileSync(join(summary.folder, exported.segFile))), sources);
      const expected = expectedLabels.get(volume.id)!;
      let differences = 0;
      for (let n = 0; n < expected.length; n += 1) if (content.labels[n] !== expected[n]) differences += 1;
      expect(differences).toBe(0);
      expect(content.slicesWithSegment).toEqual([3, 4, 7, 12]);
      expect(content.segments).toEqual([{ number: 1, label: 'Tumour', algorithmType: 'SEMIAUTOMATIC' }]);
    });
  }

  it('calls a segment drawn by hand MANUAL', async () => {
    const volume = volumes.get('original')!;
    const [columns, rows] = volume.dimensions;
    const other = await core.workspace.createProject('SEG manual');
    const manualProject = await core.workspace.getProject(other.id);
    const copy = await addImportedVolume(manualProject, await loadDicomSeries((await scanDicomFolder(daikonSeriesFolder())).series[0]!), 'manual');
    const record = (await manualProject.store.volumes.get(copy.id))!;
    await saveMaskSlices(manualProject.store, record, [{ sliceIndex: 5, labels: drawSlice(columns, rows, 5) }], { provenance: 'user', author: 'dr-a' });
    const manual = await exportDicomSeg(manualProject, join(folder, 'seg-manual'));
    const report = readWithPydicom(join(manual.folder, manual.cases[0]!.segFile), record.sourceFiles);
    expect(report.segment).toMatchObject({ algorithmType: 'MANUAL', algorithmName: '', family: 'Manual Processing' });
  });
});
