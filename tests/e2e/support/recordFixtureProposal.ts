import { cp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ProjectStore } from '../../../main/db';

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
  const registry = JSON.parse(await readFile(join(workspaceFolder, 'projects.json'), 'utf8')) as { id: string; folder: string }[];
  const folder = registry.find((entry) => entry.id === projectId)?.folder;
  if (!folder) throw new Error(`project ${projectId} is not in the workspace`);
  const store = await ProjectStore.open(join(folder, 'project.sqlite'));
  try {
    const [newest] = (await store.modelVersions.list()).sort((a, b) => b.number - a.number);
    if (!newest) throw new Error('the project has no model version');
    const sliceAreas = Array.from({ length: labels.length / sliceSize }, (_, slice) =>
      labels.subarray(slice * sliceSize, (slice + 1) * sliceSize).reduce((sum, value) => sum + (value ? 1 : 0), 0)
    );
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
  } finally {
    await store.close();
  }
}

/**
 * A second model version with the first one's weights (copied into its own folder), as another run would have made:
 * the review toolbar then offers a choice of model, and the copy really proposes. Returns its number.
 */
export async function copyNewestModelVersion(workspaceFolder: string, projectId: string, name: string): Promise<number> {
  const registry = JSON.parse(await readFile(join(workspaceFolder, 'projects.json'), 'utf8')) as { id: string; folder: string }[];
  const folder = registry.find((entry) => entry.id === projectId)?.folder;
  if (!folder) throw new Error(`project ${projectId} is not in the workspace`);
  const store = await ProjectStore.open(join(folder, 'project.sqlite'));
  try {
    const [newest] = (await store.modelVersions.list()).sort((a, b) => b.number - a.number);
    if (!newest) throw new Error('the project has no model version');
    const id = `${newest.id}-copy`;
    const weightsFolder = join('models', 'versions', id);
    await cp(join(folder, newest.weightsFolder), join(folder, weightsFolder), { recursive: true });
    const { number: _number, name: _name, ...rest } = newest;
    const number = await store.modelVersions.create({ ...rest, id, weightsFolder, createdAt: new Date().toISOString() });
    await store.modelVersions.rename(id, name);
    return number;
  } finally {
    await store.close();
  }
}
