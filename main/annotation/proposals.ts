import { ApiError } from '../contract';
import type { ProjectStore, ProposalRecord, VolumeRecord } from '../db';
import { saveMaskSlices, type MaskSliceInput } from './masks';

/** The slices a proposal found tumour on that the user has not decided yet: the default set to accept or reject. */
function undecidedSlicesWithTumour(proposal: ProposalRecord): number[] {
  return proposal.sliceAreas.flatMap((area, index) => (area > 0 && proposal.reviewedSlices[index] === undefined ? [index] : []));
}

const decisionsFor = (slices: number[], decision: 'accepted' | 'rejected') =>
  Object.fromEntries(slices.map((slice) => [slice, decision])) as Record<number, 'accepted' | 'rejected'>;

/**
 * Accepting turns proposed slices into mask slices with provenance (the model version, accepted as is or edited
 * first). Without a slice list the whole proposal is accepted and recorded as reviewed.
 */
export async function acceptProposal(
  store: ProjectStore,
  volume: VolumeRecord,
  proposal: ProposalRecord,
  choice: { sliceIndices?: number[]; editedSlices?: MaskSliceInput[] }
): Promise<number[]> {
  const [columns, rows] = volume.dimensions;
  const sliceSize = columns * rows;
  const edited = new Map((choice.editedSlices ?? []).map((slice) => [slice.sliceIndex, slice.labels]));
  const chosen = choice.sliceIndices ?? [...new Set([...undecidedSlicesWithTumour(proposal), ...edited.keys()])];
  const accepted = chosen.filter((index) => !edited.has(index));
  if (accepted.length > 0) {
    await saveMaskSlices(
      store,
      volume,
      accepted.map((sliceIndex) => ({ sliceIndex, labels: proposal.labels.slice(sliceIndex * sliceSize, (sliceIndex + 1) * sliceSize) })),
      { provenance: 'proposal-accepted', author: 'user', modelVersionId: proposal.modelVersionId }
    );
  }
  if (edited.size > 0) {
    await saveMaskSlices(store, volume, [...edited].map(([sliceIndex, labels]) => ({ sliceIndex, labels })), {
      provenance: 'proposal-edited',
      author: 'user',
      modelVersionId: proposal.modelVersionId
    });
  }
  const done = [...accepted, ...edited.keys()].sort((a, b) => a - b);
  await store.proposals.recordReview(proposal.id, decisionsFor(done, 'accepted'));
  if (!choice.sliceIndices) await store.proposals.setStatus(proposal.id, 'reviewed');
  return done;
}

/** Rejecting leaves the masks alone; optionally the rejected slices are marked tumour-absent (never a drawn one). */
export async function rejectProposal(
  store: ProjectStore,
  volume: VolumeRecord,
  proposal: ProposalRecord,
  choice: { sliceIndices?: number[]; markAbsent?: boolean }
): Promise<number[]> {
  const chosen = choice.sliceIndices ?? undecidedSlicesWithTumour(proposal);
  const outside = chosen.find((index) => index >= volume.dimensions[2]);
  if (outside !== undefined) throw new ApiError('invalid-input', `Slice ${outside + 1} is outside this scan.`);
  if (choice.markAbsent) {
    // Never a drawn slice, judged in the transaction that writes: a stroke saved meanwhile keeps its slice present.
    await store.sliceLabels.updateAgainstMasks(volume.id, (drawn) => ({
      slices: chosen
        .filter((index) => !drawn.has(index))
        .map((sliceIndex) => ({ sliceIndex, state: 'absent' as const, source: 'proposal' as const }))
    }));
  }
  await store.proposals.recordReview(proposal.id, decisionsFor(chosen, 'rejected'));
  if (!choice.sliceIndices) await store.proposals.setStatus(proposal.id, 'reviewed');
  return chosen;
}
