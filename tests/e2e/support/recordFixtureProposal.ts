import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { newestModelVersion, sliceAreasOf, withProjectStore } from './projectStoreBesideHost';

/**
 * Makes `labels` the scan's live proposal from the project's newest model version, as if that model had proposed them:
 * 'pending' on a scan to review, 'disagreement' on a scan tagged no tumour (main's own rule in recordProposal). The
 * store is opened beside the host (SQLite in WAL mode); older live proposals are superseded as main does. A tiny model
 * trained for a minute may propose nothing, or tumour anywhere; the review steps need known slices to act on.
 */
export async function recordFixtureProposal(
  workspaceFolder: string,
  projectId: string,
  volumeId: string,
  labels: Uint8Array,
  sliceSize: number,
  status: 'pending' | 'disagreement'
): Promise<{ proposalId: string; proposedSlices: number[] }> {
  return withProjectStore(workspaceFolder, projectId, async (store) => {
    const newest = await newestModelVersion(store);
    const sliceAreas = sliceAreasOf(labels, sliceSize);
    const proposalId = `fixture-${volumeId}`;
    await store.proposals.replaceLive(volumeId, {
      id: proposalId,
      volumeId,
      modelVersionId: newest.id,
      labels,
      sliceAreas,
      status,
      reviewedSlices: {},
      createdAt: new Date().toISOString()
    });
    return { proposalId, proposedSlices: sliceAreas.flatMap((area, slice) => (area > 0 ? [slice] : [])) };
  });
}

/**
 * A model version record with no weights, standing in for a trained model where a test only needs a proposal drawn
 * (training takes minutes on the shared machine): `recordFixtureProposal` then has a model to name. Returns its id.
 */
export async function recordFixtureModelVersion(workspaceFolder: string, projectId: string, name: string): Promise<string> {
  return withProjectStore(workspaceFolder, projectId, async (store) => {
    const id = `fixture-model-${Date.now()}`;
    const evaluation = { dice: null, auroc: null, heldOutLabelledSlices: 0, heldOutPresentSlices: 0, heldOutAbsentSlices: 0 };
    await store.modelVersions.create({
      id,
      runId: null,
      method: 'genseg',
      preset: 'tiny',
      config: {},
      metrics: { evaluation, steps: 1, bestStep: 1, parameters: {} },
      dataSnapshot: {},
      backend: 'wasm',
      weightsFolder: join('models', 'versions', id),
      createdAt: new Date().toISOString()
    });
    await store.modelVersions.rename(id, name);
    return id;
  });
}

/**
 * A second model version with the first one's weights (copied into its own folder), as another run would have made:
 * the review toolbar then offers a choice of model, and the copy really proposes. Returns its number.
 */
export async function copyNewestModelVersion(workspaceFolder: string, projectId: string, name: string): Promise<number> {
  return withProjectStore(workspaceFolder, projectId, async (store, folder) => {
    const newest = await newestModelVersion(store);
    const id = `${newest.id}-copy`;
    const weightsFolder = join('models', 'versions', id);
    await cp(join(folder, newest.weightsFolder), join(folder, weightsFolder), { recursive: true });
    const { number: _number, name: _name, ...rest } = newest;
    const number = await store.modelVersions.create({ ...rest, id, weightsFolder, createdAt: new Date().toISOString() });
    await store.modelVersions.rename(id, name);
    return number;
  });
}
