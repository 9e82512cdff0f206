import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestAppCore, type TestAppCore } from '../app/testing/testAppCore';

let app: TestAppCore;
let projectId: string;
let volumeId: string;
const columns = 8;
const rows = 6;
const slices = 10;

beforeEach(async () => {
  app = createTestAppCore('genseg-annotation-');
  projectId = (await app.call('createProject', { name: 'Tags' })).id;
  volumeId = await app.addVolume(projectId, { columns, rows, slices, spacing: [1, 1, 2], sourceFiles: ['/scans/x.nii'] });
});

afterEach(async () => {
  await app.close();
});

function maskSlice(value: number): Uint8Array {
  return new Uint8Array(columns * rows).fill(0).map((_, index) => (index < 5 ? value : 0));
}

describe('weak labels', () => {
  it('starts unknown, and tagging a scan absent marks every slice absent', async () => {
    const initial = await app.call('getWeakLabels', { projectId, volumeId });
    expect(initial.scan).toBe('unknown');
    expect(initial.slices).toEqual(new Array(slices).fill('unknown'));
    const absent = await app.call('tagScan', { projectId, volumeId, state: 'absent' });
    expect(absent.scan).toBe('absent');
    expect(absent.slices).toEqual(new Array(slices).fill('absent'));
    expect(absent.sources).toEqual(new Array(slices).fill('scan'));
  });

  it('marks tumour ranges present and the rest of a present scan absent, with several ranges', async () => {
    const labels = await app.call('setTumourRanges', { projectId, volumeId, ranges: [{ first: 2, last: 3 }, { first: 6, last: 6 }] });
    expect(labels.scan).toBe('present');
    expect(labels.slices).toEqual(['absent', 'absent', 'present', 'present', 'absent', 'absent', 'present', 'absent', 'absent', 'absent']);
    expect(labels.tumourRanges).toEqual([{ first: 2, last: 3 }, { first: 6, last: 6 }]);
    const toggled = await app.call('setSliceStates', { projectId, volumeId, sliceIndices: [4], state: 'present' });
    expect(toggled.slices[4]).toBe('present');
    expect(toggled.sources[4]).toBe('slice');
  });

  it('refuses ranges outside the scan and changes nothing', async () => {
    await expect(app.call('setTumourRanges', { projectId, volumeId, ranges: [{ first: 3, last: 10 }] })).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(app.call('setTumourRanges', { projectId, volumeId, ranges: [{ first: 5, last: 4 }] })).rejects.toMatchObject({ code: 'invalid-input' });
    expect((await app.call('getWeakLabels', { projectId, volumeId })).scan).toBe('unknown');
  });

  it('treats a drawn mask as present, refuses contradicting tags, and summarises the volume', async () => {
    await app.call('tagScan', { projectId, volumeId, state: 'absent' });
    await app.call('saveMaskSlices', { projectId, volumeId, slices: [{ sliceIndex: 5, labels: maskSlice(1) }] });
    const labels = await app.call('getWeakLabels', { projectId, volumeId });
    expect(labels.scan).toBe('present');
    expect(labels.slices[5]).toBe('present');
    expect(labels.sources[5]).toBe('mask');
    await expect(app.call('tagScan', { projectId, volumeId, state: 'absent' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(app.call('setSliceStates', { projectId, volumeId, sliceIndices: [5], state: 'absent' })).rejects.toMatchObject({ code: 'conflict' });
    const [summary] = await app.call('listVolumes', { projectId });
    expect(summary?.labels).toEqual({ scan: 'present', presentSlices: 1, absentSlices: 9, maskedSlices: 1, pendingProposals: 0, disagreement: false });
  });
});

describe('masks', () => {
  it('saves only the slices sent, versions them, and reads back exactly the same voxels', async () => {
    const first = maskSlice(1);
    expect((await app.call('saveMaskSlices', { projectId, volumeId, slices: [{ sliceIndex: 3, labels: first }] })).versions).toEqual([1]);
    const second = maskSlice(2);
    expect(
      (await app.call('saveMaskSlices', { projectId, volumeId, slices: [{ sliceIndex: 3, labels: second }, { sliceIndex: 9, labels: first }] })).versions
    ).toEqual([2, 1]);
    const read = await app.call('getMaskSlices', { projectId, volumeId, sliceIndices: [3] });
    expect(read.slices).toHaveLength(1);
    expect(Array.from(read.slices[0]!.labels)).toEqual(Array.from(second));
    const volumeMask = await app.call('getVolumeMask', { projectId, volumeId });
    expect(volumeMask.labels.byteLength).toBe(columns * rows * slices);
    expect(volumeMask.maskedSlices).toEqual([3, 9]);
    expect(Array.from(volumeMask.labels.subarray(3 * columns * rows, 4 * columns * rows))).toEqual(Array.from(second));
    expect(Array.from(volumeMask.labels.subarray(9 * columns * rows, 10 * columns * rows))).toEqual(Array.from(first));
  });

  it('refuses a slice of the wrong size or outside the volume, and saves nothing of that request', async () => {
    await expect(
      app.call('saveMaskSlices', { projectId, volumeId, slices: [{ sliceIndex: 1, labels: maskSlice(1) }, { sliceIndex: 2, labels: new Uint8Array(7) }] })
    ).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(
      app.call('saveMaskSlices', { projectId, volumeId, slices: [{ sliceIndex: slices, labels: maskSlice(1) }] })
    ).rejects.toMatchObject({ code: 'invalid-input' });
    expect((await app.call('getMaskSlices', { projectId, volumeId })).slices).toEqual([]);
    expect((await app.call('getWeakLabels', { projectId, volumeId })).scan).toBe('unknown');
  });
});

describe('proposal review', () => {
  it('remembers per-slice decisions: accepting the rest never re-accepts a slice the user rejected', async () => {
    const project = await app.core.workspace.getProject(projectId);
    await project.store.modelVersions.create({
      id: 'model1', runId: null, method: 'genseg', preset: 'tiny', config: {}, metrics: { evaluation: { dice: null, auroc: null, heldOutLabelledSlices: 0, heldOutPresentSlices: 0, heldOutAbsentSlices: 0 }, steps: 1, bestStep: 1, parameters: {} }, dataSnapshot: {}, backend: 'wasm', weightsFolder: 'x', createdAt: 'now'
    });
    const labels = new Uint8Array(columns * rows * slices);
    for (const slice of [2, 3, 4]) labels.fill(1, slice * columns * rows, slice * columns * rows + 6);
    const areas = Array.from({ length: slices }, (_, slice) => ([2, 3, 4].includes(slice) ? 6 : 0));
    await project.store.proposals.insert({ id: 'proposal1', volumeId, modelVersionId: 'model1', labels, sliceAreas: areas, status: 'pending', reviewedSlices: {}, createdAt: 'now' });
    expect((await app.call('rejectProposal', { projectId, proposalId: 'proposal1', sliceIndices: [3], markAbsent: true })).rejectedSlices).toEqual([3]);
    expect((await app.call('listProposals', { projectId, volumeId }))[0]).toMatchObject({ status: 'pending', reviewedSlices: { 3: 'rejected' } });
    expect((await app.call('acceptProposal', { projectId, proposalId: 'proposal1' })).acceptedSlices).toEqual([2, 4]);
    const [proposal] = await app.call('listProposals', { projectId, volumeId });
    expect(proposal).toMatchObject({ status: 'reviewed', reviewedSlices: { 2: 'accepted', 3: 'rejected', 4: 'accepted' } });
    const masks = await app.call('getMaskSlices', { projectId, volumeId });
    expect(masks.slices.map((slice) => [slice.sliceIndex, slice.provenance])).toEqual([[2, 'proposal-accepted'], [4, 'proposal-accepted']]);
    const labelsNow = await app.call('getWeakLabels', { projectId, volumeId });
    expect([labelsNow.slices[3], labelsNow.sources[3]]).toEqual(['absent', 'proposal']);
  });
});

describe('a stroke undone', () => {
  const empty = () => new Uint8Array(columns * rows);
  const save = async (sliceIndex: number, labels: Uint8Array) => {
    const { storedSlices, versions } = await app.call('getVolumeMask', { projectId, volumeId });
    const baseVersion = versions[storedSlices.indexOf(sliceIndex)] ?? 0;
    await app.call('saveMaskSlices', { projectId, volumeId, slices: [{ sliceIndex, labels, baseVersion }] });
  };
  const listed = async () => (await app.call('listVolumes', { projectId })).find((volume) => volume.id === volumeId)!.labels;

  it('gives an untagged scan back its tags and counts: no mask, nothing to export', async () => {
    await save(4, maskSlice(1));
    expect((await app.call('getWeakLabels', { projectId, volumeId })).scan).toBe('present');
    expect(await listed()).toMatchObject({ scan: 'present', presentSlices: 1, maskedSlices: 1 });
    await save(4, empty());
    const labels = await app.call('getWeakLabels', { projectId, volumeId });
    expect(labels.scan).toBe('unknown');
    expect(labels.slices).toEqual(new Array(slices).fill('unknown'));
    expect(await listed()).toMatchObject({ scan: 'unknown', presentSlices: 0, absentSlices: 0, maskedSlices: 0 });
    const mask = await app.call('getVolumeMask', { projectId, volumeId });
    expect(mask).toMatchObject({ maskedSlices: [], storedSlices: [4], versions: [2] });
    await expect(app.call('exportMasks', { projectId })).rejects.toMatchObject({ code: 'conflict' });
    // Redo: the stroke comes back with its tags.
    await save(4, maskSlice(1));
    expect(await listed()).toMatchObject({ scan: 'present', presentSlices: 1, maskedSlices: 1 });
  });

  it('restores each slice’s own tag: a range’s absent slice, a slice marked absent, and the scan tag absent', async () => {
    await app.call('setTumourRanges', { projectId, volumeId, ranges: [{ first: 2, last: 5 }] });
    await app.call('setSliceStates', { projectId, volumeId, sliceIndices: [7], state: 'absent' });
    await save(8, maskSlice(1));
    await save(7, maskSlice(1));
    await save(3, maskSlice(1));
    let labels = await app.call('getWeakLabels', { projectId, volumeId });
    expect([labels.slices[3], labels.slices[7], labels.slices[8]]).toEqual(['present', 'present', 'present']);
    await save(8, empty());
    await save(7, empty());
    labels = await app.call('getWeakLabels', { projectId, volumeId });
    expect(labels.scan).toBe('present');
    expect([labels.slices[7], labels.sources[7]]).toEqual(['absent', 'slice']);
    expect([labels.slices[8], labels.sources[8]]).toEqual(['absent', 'range']);
    expect([labels.slices[3], labels.sources[3]]).toEqual(['present', 'mask']);
    // The export's manifest names the one slice with tumour, as the voxels have it.
    const exported = await app.call('exportMasks', { projectId });
    expect(exported.cases.map((entry) => entry.maskedSlices)).toEqual([[3]]);
    expect(await listed()).toMatchObject({ maskedSlices: 1 });
    // A range given after the strokes is what the slice goes back to.
    await app.call('setTumourRanges', { projectId, volumeId, ranges: [{ first: 6, last: 9 }] });
    await save(3, empty());
    labels = await app.call('getWeakLabels', { projectId, volumeId });
    expect([labels.slices[3], labels.sources[3]]).toEqual(['absent', 'range']);
    expect(labels.scan).toBe('present');

    // A scan the user tagged no tumour: a stroke makes it present, its undo makes it absent again.
    await app.call('tagScan', { projectId, volumeId, state: 'absent' });
    await save(5, maskSlice(1));
    expect((await app.call('getWeakLabels', { projectId, volumeId })).scan).toBe('present');
    await save(5, empty());
    labels = await app.call('getWeakLabels', { projectId, volumeId });
    expect(labels.scan).toBe('absent');
    expect(new Set(labels.slices)).toEqual(new Set(['absent']));
  });
});
