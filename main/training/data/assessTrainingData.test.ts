import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveMaskSlices, setTumourRanges } from '../../annotation';
import { createAppCore, type AppCore } from '../../app';
import { addImportedVolume } from '../../project';
import { createLesionProject } from '../testing';
import { assessTrainingData, thinDataRule } from './assessTrainingData';
import { planTrainingData, splitVolumes } from './buildTrainingSet';

const size = 16;
const slices = 10;
let folder: string;
let core: AppCore;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'genseg-assess-'));
  core = createAppCore({ workspaceFolder: folder, logger: { info: () => {}, error: () => {} } });
});

afterEach(async () => {
  await core.close();
  rmSync(folder, { recursive: true, force: true });
});

/** A scan tagged tumour on slices 3-6, without a mask. */
async function addTaggedScan(projectId: string, name: string): Promise<void> {
  const project = await core.workspace.getProject(projectId);
  const geometry = { dimensions: [size, size, slices] as [number, number, number], voxelToPatient: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1] };
  const scalars = new Int16Array(size * size * slices).fill(300);
  const summary = await addImportedVolume(project, { volume: { geometry, scalars }, description: { sourceFormat: 'nifti', sourceFiles: [], warnings: [] } }, name);
  await setTumourRanges(project.store, (await project.store.volumes.get(summary.id))!, [{ first: 3, last: 6 }]);
}

describe('assessTrainingData', () => {
  it('warns about thin data by the stated rule, and its advice to measure accuracy, followed, measures it', async () => {
    const { projectId } = await createLesionProject(core, { volumes: 2, size, slices, maskedSlicesPerVolume: 2 });
    const project = await core.workspace.getProject(projectId);
    const first = await assessTrainingData(project.store);
    expect(first).toMatchObject({ taggedScans: 2, maskedSlices: 2, presentSlices: 4, absentSlices: 16 });
    expect(first.thinData).toContain(`2 slices with a drawn mask (fewer than ${thinDataRule.maskedSlices})`);
    expect(first.thinData).toContain(`4 slices tagged tumour (fewer than ${thinDataRule.slicesOfEachKind})`);
    expect(first.thinData).not.toContain('no tumour (fewer');

    // The advice is followed step by step, as a user would, until accuracy can be measured.
    let assessment = first;
    let added = 0;
    for (let round = 0; round < 4 && !assessment.diceMeasurable; round += 1) {
      expect(assessment.toMeasure).toMatch(/^Accuracy not measured: .+, to measure it\.$/);
      if (assessment.scansToTagForHoldOut > 0) {
        expect(assessment.heldOutScans).toEqual([]);
        expect(assessment.toMeasure).toContain(`tag ${assessment.scansToTagForHoldOut} more scan`);
        for (let n = 0; n < assessment.scansToTagForHoldOut; n += 1) await addTaggedScan(projectId, `extra ${(added += 1)}`);
        // Three tagged scans: one is set aside, or (when the hash picks the only masked scan, which training keeps)
        // the advice moves on to a mask on another scan. Either way no more scans need tagging.
        const next = await assessTrainingData(project.store);
        expect(next.scansToTagForHoldOut).toBe(0);
        expect(next.heldOutScans.length > 0 || next.toMeasure?.includes('draw a mask on 1 slice of another scan with tumour')).toBe(true);
      } else if (assessment.heldOutScans.length === 0) {
        // The only scan with a mask is kept for training: a mask on another scan with tumour.
        expect(assessment.toMeasure).toContain('draw a mask on 1 slice of another scan with tumour');
        await addTaggedScan(projectId, `extra ${(added += 1)}`);
        const volumes = await project.store.volumes.list();
        const labels = new Uint8Array(size * size).fill(1, 40, 60);
        await saveMaskSlices(project.store, volumes[volumes.length - 1]!, [{ sliceIndex: 4, labels }], { provenance: 'user', author: 'test' });
      } else {
        const heldOut = assessment.heldOutScans[0]!;
        expect(assessment.toMeasure).toContain(`“${heldOut.name}”`);
        const volume = (await project.store.volumes.get(heldOut.id))!;
        if (assessment.slicesToDrawForDice === null) await setTumourRanges(project.store, volume, [{ first: 3, last: 6 }]);
        expect(assessment.slicesToDrawForDice ?? 1).toBe(1);
        const labels = new Uint8Array(size * size).fill(1, 40, 60);
        await saveMaskSlices(project.store, volume, [{ sliceIndex: 4, labels }], { provenance: 'user', author: 'test' });
      }
      assessment = await assessTrainingData(project.store);
    }
    expect(assessment).toMatchObject({ diceMeasurable: true, toMeasure: null });
    // The same split as training makes.
    const { validation } = splitVolumes(await planTrainingData(project.store));
    expect(assessment.heldOutScans.map((scan) => scan.id)).toEqual(validation.map((plan) => plan.volume.id));
  });
});
