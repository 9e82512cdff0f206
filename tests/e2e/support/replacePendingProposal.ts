import { sliceAreasOf, withProjectStore } from './projectStoreBesideHost';

/**
 * Replaces the pending proposal of a volume with `labels` from the same model version, as if that model had proposed
 * them: the store is opened beside the host (SQLite in WAL mode), the model's own proposal is set aside as reviewed.
 * A tiny model trained for a minute may propose nothing; the review steps need proposed slices to act on.
 */
export async function replacePendingProposal(
  workspaceFolder: string,
  projectId: string,
  volumeId: string,
  labels: Uint8Array,
  sliceSize: number
): Promise<number[]> {
  return withProjectStore(workspaceFolder, projectId, async (store) => {
    const pending = (await store.proposals.listForVolume(volumeId)).filter((proposal) => proposal.status === 'pending');
    if (pending.length !== 1) throw new Error(`expected one pending proposal, found ${pending.length}`);
    const [modelProposal] = pending;
    await store.proposals.setStatus(modelProposal!.id, 'reviewed');
    const sliceAreas = sliceAreasOf(labels, sliceSize);
    await store.proposals.insert({
      ...modelProposal!,
      id: `${modelProposal!.id}-fixture`,
      labels,
      sliceAreas,
      status: 'pending',
      reviewedSlices: {},
      createdAt: new Date().toISOString()
    });
    return sliceAreas.flatMap((area, slice) => (area > 0 ? [slice] : []));
  });
}
