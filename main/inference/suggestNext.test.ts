import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../app';
import type { AnnotationSuggestion, CallInput, CallName, CallResult } from '../contract';
import { createLesionProject } from '../training/testing';

const size = 16;
const slices = 10;
let folder: string;
let core: AppCore;

async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallResult<N>> {
  const outcome = await core.dispatch(name, input, { host: 'web' });
  if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error);
  return outcome.result as CallResult<N>;
}

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'genseg-suggest-'));
  core = createAppCore({ workspaceFolder: folder, logger: { info: () => {}, error: () => {} } });
});

afterEach(async () => {
  await core.close();
  rmSync(folder, { recursive: true, force: true });
});

/** Four scans: two tagged tumour with ranges, two tagged no tumour; the test then untags one and drops one's range. */
async function createProject() {
  const { projectId } = await createLesionProject(core, { volumes: 4, size, slices, maskedSlicesPerVolume: 1 });
  const volumes = await call('listVolumes', { projectId });
  const present = volumes.filter((volume) => volume.labels.scan === 'present');
  const absent = volumes.filter((volume) => volume.labels.scan === 'absent');
  await call('tagScan', { projectId, volumeId: absent[1]!.id, state: 'unknown' });
  return { projectId, present, absent };
}

async function addProposal(projectId: string, volumeId: string, areas: number[], number: number, createdAt: string) {
  const project = await core.workspace.getProject(projectId);
  const id = `model-${number}`;
  if (!(await project.store.modelVersions.get(id))) {
    const evaluation = { dice: 0.6, auroc: null, heldOutLabelledSlices: 1, heldOutPresentSlices: 1, heldOutAbsentSlices: 1 };
    await project.store.modelVersions.create({
      id, runId: null, method: 'genseg', preset: 'tiny', config: {}, metrics: { evaluation, steps: 1, bestStep: 1, parameters: {} },
      dataSnapshot: {}, backend: 'wasm', weightsFolder: 'x', createdAt
    });
  }
  await project.store.proposals.replaceLive(volumeId, {
    id: `${id}-${volumeId}`, volumeId, modelVersionId: id, labels: new Uint8Array(size * size * slices),
    sliceAreas: areas, status: 'pending', reviewedSlices: {}, createdAt
  });
}

describe('suggestNext', () => {
  it('puts the cheap tag of an untagged scan first, and says why each action was chosen', async () => {
    const { projectId, absent } = await createProject();
    const suggestions = await call('suggestNext', { projectId });
    expect(suggestions[0]).toMatchObject({ kind: 'tag-scan', volumeId: absent[1]!.id, seconds: 3 });
    for (const entry of suggestions) expect(entry.reason.length).toBeGreaterThan(20);
    const values = suggestions.map((entry) => entry.valuePerSecond);
    expect(values).toEqual([...values].sort((a, b) => b - a));
  });

  it('asks for a mask where the tumour is tagged but the newest model proposes nothing, then for a review', async () => {
    const { projectId, present } = await createProject();
    const volumeId = present[0]!.id;
    const labels = await call('getWeakLabels', { projectId, volumeId });
    const tumour = labels.slices.flatMap((state, index) => (state === 'present' ? [index] : []));
    const masked = (await call('getVolumeMask', { projectId, volumeId })).labels;
    const unmasked = tumour.filter((slice) => !masked.subarray(slice * size * size, (slice + 1) * size * size).some((v) => v > 0));
    const missed = unmasked[1]!;
    const areas = Array.from({ length: slices }, (_, slice) => (tumour.includes(slice) && slice !== missed ? 20 : 0));
    await addProposal(projectId, volumeId, areas, 1, '2026-01-01T00:00:00Z');
    const suggestions = await call('suggestNext', { projectId, limit: 50 });
    const draw = suggestions.find((entry: AnnotationSuggestion) => entry.kind === 'draw-mask' && entry.volumeId === volumeId);
    expect(draw).toMatchObject({ sliceIndex: missed, reason: expect.stringMatching(/proposes nothing/) });
    const review = suggestions.find((entry) => entry.kind === 'review-proposal' && entry.volumeId === volumeId);
    expect(review?.reason).toMatch(/held-out Dice 0\.60/);
    // The slice the user drew is decided already: the review costs the other proposed slices only.
    const drawn = tumour.filter((slice) => !unmasked.includes(slice));
    expect(drawn).toHaveLength(1);
    expect(review?.seconds).toBe(5 * areas.filter((area, slice) => area > 0 && !drawn.includes(slice)).length);
  });

  it('prefers the slice where the last two models disagree most, and takes the user’s costs', async () => {
    const { projectId, present } = await createProject();
    const volumeId = present[0]!.id;
    const tumour = (await call('getWeakLabels', { projectId, volumeId })).slices.flatMap((state, index) => (state === 'present' ? [index] : []));
    const masked = new Set((await call('getMaskSlices', { projectId, volumeId })).slices.map((slice) => slice.sliceIndex));
    const candidates = tumour.filter((slice) => !masked.has(slice));
    const changed = candidates.at(-1)!;
    const first = Array.from({ length: slices }, (_, slice) => (tumour.includes(slice) ? 20 : 0));
    const second = first.map((area, slice) => (slice === changed ? 4 : area));
    await addProposal(projectId, volumeId, first, 1, '2026-01-01T00:00:00Z');
    await addProposal(projectId, volumeId, second, 2, '2026-01-02T00:00:00Z');
    const costs = { drawMaskSlice: 60 };
    const once = await call('suggestNext', { projectId, limit: 50, costs });
    const draw = once.find((entry) => entry.kind === 'draw-mask' && entry.volumeId === volumeId);
    expect(draw).toMatchObject({ sliceIndex: changed, seconds: 60, reason: expect.stringMatching(/last two models disagree.*80 %/) });
    // Deterministic for a fixed store.
    expect(await call('suggestNext', { projectId, limit: 50, costs })).toEqual(once);
  });

  it('before any mask, asks for the quickest way to a first one: draw, else a range, else a tag', async () => {
    const { projectId } = await createLesionProject(core, { volumes: 4, size, slices, maskedSlicesPerVolume: 0 });
    const volumes = await call('listVolumes', { projectId });
    const present = volumes.filter((volume) => volume.labels.scan === 'present');
    const absent = volumes.filter((volume) => volume.labels.scan === 'absent');
    await call('tagScan', { projectId, volumeId: absent[1]!.id, state: 'unknown' });
    // A tumour slice is known: drawing it comes before the untagged scan's tag, which comes first once masks exist.
    let [top] = await call('suggestNext', { projectId, limit: 5 });
    expect(top?.kind).toBe('draw-mask');
    expect(present.map((volume) => volume.id)).toContain(top?.volumeId);
    // No known tumour slice: the tumour scans' ranges, each one step from a drawable slice.
    for (const volume of present) {
      await call('setTumourRanges', { projectId, volumeId: volume.id, ranges: [] });
      await call('tagScan', { projectId, volumeId: volume.id, state: 'present' });
    }
    const ranked = await call('suggestNext', { projectId, limit: 5 });
    expect(ranked.map((entry) => entry.kind)).toEqual(['mark-range', 'mark-range', 'tag-scan']);
    expect(ranked[0]!.reason).toMatch(/No mask yet/);
    // Nothing tagged tumour: a tag, then (if it holds tumour) a range and a mask.
    for (const volume of present) await call('tagScan', { projectId, volumeId: volume.id, state: 'unknown' });
    [top] = await call('suggestNext', { projectId, limit: 5 });
    expect(top).toMatchObject({ kind: 'tag-scan', seconds: 3, reason: expect.stringMatching(/No mask yet.*tag it/) });
    // With one mask the weak labels are worth their own slices again: the untagged scans' tags come first.
    const volumeId = present[0]!.id;
    await call('tagScan', { projectId, volumeId, state: 'present' });
    await call('setTumourRanges', { projectId, volumeId, ranges: [{ first: 3, last: slices - 4 }] });
    await call('saveMaskSlices', { projectId, volumeId, slices: [{ sliceIndex: 3, labels: new Uint8Array(size * size).fill(1) }] });
    [top] = await call('suggestNext', { projectId, limit: 5 });
    expect(top).toMatchObject({ kind: 'tag-scan' });
    expect(top!.reason).not.toMatch(/No mask yet/);
  });
});
