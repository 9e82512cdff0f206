/**
 * Issue 19, item 8: an export as a user expects. Scans tagged no tumour as empty masks when asked, model proposals
 * in or out (pending ones marked as such), slice numbers 1-based in both manifests, and the whole export as one zip.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestAppCore, type TestAppCore } from '../app/testing/testAppCore';
import { readNiftiFile } from '../imaging';

let app: TestAppCore;
let projectId: string;
let projectFolder: string;
const columns = 4;
const rows = 3;
const slices = 8;
const sliceSize = columns * rows;
let drawn: string;
let negative: string;
let proposed: string;

/** A 4 × 3 × 8 scan whose voxels count up from 0. */
const addVolume = (name: string) => app.addVolume(projectId, { columns, rows, slices, name });

/** A model version and a pending proposal of it with tumour on the given slices (first 5 voxels of each). */
async function addPendingProposal(volumeId: string, proposalId: string, tumourSlices: number[]): Promise<void> {
  const project = await app.core.workspace.getProject(projectId);
  if (!(await project.store.modelVersions.get('model1'))) {
    const evaluation = { dice: null, auroc: null, heldOutLabelledSlices: 0, heldOutPresentSlices: 0, heldOutAbsentSlices: 0 };
    await project.store.modelVersions.create({
      id: 'model1', runId: null, method: 'genseg', preset: 'tiny', config: {}, metrics: { evaluation, steps: 1, bestStep: 1, parameters: {} },
      dataSnapshot: {}, backend: 'wasm', weightsFolder: 'x', createdAt: 'now'
    });
  }
  const labels = new Uint8Array(sliceSize * slices);
  for (const k of tumourSlices) labels.fill(1, k * sliceSize, k * sliceSize + 5);
  const sliceAreas = Array.from({ length: slices }, (_, k) => (tumourSlices.includes(k) ? 5 : 0));
  await project.store.proposals.replaceLive(volumeId, { id: proposalId, volumeId, modelVersionId: 'model1', labels, sliceAreas, status: 'pending', reviewedSlices: {}, createdAt: 'now' });
}

const sliceWithTumour = () => new Uint8Array(sliceSize).fill(1, 0, 4);

async function readMask(exportId: string, file: string): Promise<Uint8Array> {
  const { volume } = await readNiftiFile(join(projectFolder, 'exports', exportId, file));
  return new Uint8Array(volume.scalars.buffer, volume.scalars.byteOffset, volume.scalars.byteLength);
}

const slicesWithTumour = (labels: Uint8Array) =>
  Array.from({ length: slices }, (_, k) => k).filter((k) => labels.subarray(k * sliceSize, (k + 1) * sliceSize).some(Boolean));

beforeEach(async () => {
  app = createTestAppCore('genseg-export-options-', { workspaceSubfolder: 'workspace' });
  projectId = (await app.call('createProject', { name: 'Export options' })).id;
  projectFolder = (await app.core.workspace.getProject(projectId)).folder;
  drawn = await addVolume('drawn');
  negative = await addVolume('negative');
  proposed = await addVolume('proposed');
  // Drawn on slices 2 and 3 (numbers 3 and 4); slice 5 (number 6) accepted from the model.
  await app.call('saveMaskSlices', { projectId, volumeId: drawn, slices: [2, 3].map((sliceIndex) => ({ sliceIndex, labels: sliceWithTumour() })) });
  await addPendingProposal(drawn, 'p-drawn', [5]);
  await app.call('acceptProposal', { projectId, proposalId: 'p-drawn' });
  await app.call('tagScan', { projectId, volumeId: negative, state: 'absent' });
  await addPendingProposal(proposed, 'p-proposed', [1, 2, 6]);
  await app.call('rejectProposal', { projectId, proposalId: 'p-proposed', sliceIndices: [6] });
});

afterEach(async () => {
  await app.close();
});

describe('export options', () => {
  it('by default writes the masked scans, accepted proposals included, with 1-based slice numbers in both manifests', async () => {
    const result = await app.call('exportMasks', { projectId });
    expect(result.cases.map((c) => c.volumeName)).toEqual(['drawn']);
    expect(result.cases[0]!.maskedSlices).toEqual([2, 3, 5]);
    expect(result.cases[0]!.contents).toBe('2 drawn; 1 accepted from a model');
    expect(slicesWithTumour(await readMask(result.exportId, result.cases[0]!.maskFile!))).toEqual([2, 3, 5]);
    const manifest = JSON.parse(readFileSync(join(projectFolder, 'exports', result.exportId, 'manifest.json'), 'utf8'));
    expect(manifest.sliceNumbering).toMatch(/^1-based/);
    expect(manifest.cases[0]).toMatchObject({
      maskedSliceNumbers: [3, 4, 6],
      sliceNumbersBySource: { drawn: [3, 4], acceptedFromModel: [6], pendingProposalNotReviewed: [] },
      scanTag: 'present'
    });
    expect(manifest.cases[0].maskedSlices).toBeUndefined();
    const csv = readFileSync(join(projectFolder, 'exports', result.exportId, 'manifest.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe(
      'case_id,volume_id,volume_name,source_kind,series_instance_uid,volume_index,volume_count,mask_file,image_file,scan_tag,masked_slice_count,masked_slice_numbers_1based,pending_proposal_slice_numbers_1based,contents,scaling,warnings'
    );
    expect(csv[1]).toContain('"present","3","3-4;6","","2 drawn; 1 accepted from a model"');
  });

  it('writes scans tagged no tumour as empty masks and pending proposals marked as not reviewed, when asked', async () => {
    const result = await app.call('exportMasks', { projectId, emptyMasksForAbsentScans: true, proposals: 'accepted-and-pending' });
    expect(result.cases.map((c) => c.volumeName)).toEqual(['drawn', 'negative', 'proposed']);
    const [, empty, pending] = result.cases;
    expect(empty!.contents).toBe('empty mask: scan tagged no tumour');
    expect(slicesWithTumour(await readMask(result.exportId, empty!.maskFile!))).toEqual([]);
    // The slice the user rejected stays out.
    expect(pending!.maskedSlices).toEqual([1, 2]);
    expect(pending!.contents).toBe('2 pending proposal of model 1, not reviewed');
    expect(slicesWithTumour(await readMask(result.exportId, pending!.maskFile!))).toEqual([1, 2]);
    const manifest = JSON.parse(readFileSync(join(projectFolder, 'exports', result.exportId, 'manifest.json'), 'utf8'));
    expect(manifest.options).toEqual({ emptyMasksForAbsentScans: true, proposals: 'accepted-and-pending' });
    expect(manifest.cases[2]).toMatchObject({ sliceNumbersBySource: { pendingProposalNotReviewed: [2, 3] }, pendingProposalModelVersion: 1 });
    const csv = readFileSync(join(projectFolder, 'exports', result.exportId, 'manifest.csv'), 'utf8');
    expect(csv).toContain('"absent","0","","","empty mask: scan tagged no tumour"');
    expect(csv).toContain('"2","2-3","2-3","2 pending proposal of model 1, not reviewed"');
  });

  it('leaves accepted proposals out when asked for people’s masks only', async () => {
    const result = await app.call('exportMasks', { projectId, proposals: 'none' });
    expect(result.cases[0]!.maskedSlices).toEqual([2, 3]);
    expect(slicesWithTumour(await readMask(result.exportId, result.cases[0]!.maskFile!))).toEqual([2, 3]);
  });

  it('hands the whole export to a browser as one zip with the same files and bytes', async () => {
    const result = await app.call('exportMasks', { projectId, includeImages: true, emptyMasksForAbsentScans: true });
    const archive = await app.call('getExportArchive', { projectId, exportId: result.exportId });
    expect(archive.fileName).toBe(`Export_options-export-${result.exportId}.zip`);
    const files = unzipSync(archive.bytes);
    expect(Object.keys(files).sort()).toEqual([...result.files].sort());
    for (const name of result.files) {
      expect(Buffer.from(files[name]!).equals(readFileSync(join(projectFolder, 'exports', result.exportId, name)))).toBe(true);
    }
    await expect(app.call('getExportArchive', { projectId, exportId: 'no-such-export' })).rejects.toMatchObject({ code: 'not-found' });
  });
});
