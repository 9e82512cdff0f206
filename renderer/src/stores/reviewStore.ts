import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type { ModelVersionSummary, ProposalSummary } from '../../../main/contract/types';
import { useApiClient } from '../api';
import { setAppSignal } from '../signals/appSignals';
import { nextVolume } from '../volumes/volumeListView';
import { useNotificationsStore } from './notificationsStore';
import { useProjectsStore } from './projectsStore';
import { useTrainingStore } from './trainingStore';
import { useVolumesStore } from './volumesStore';
import { useWeakLabelsStore } from './weakLabelsStore';

/** The proposed labelmap the viewer shows over the user's mask (large: never deeply reactive). */
export interface ProposalOverlay {
  proposalId: string;
  volumeId: string;
  labels: Uint8Array;
}

/** What the user decided on a proposed slice so far. */
export type ProposedSliceReview = 'accepted' | 'rejected' | 'to-review';

/**
 * Reviewing a model's proposals for the volume on screen, as in MONAI Label: the scan's one live proposal is drawn
 * apart from the user's mask; each slice or the whole volume is accepted (it becomes mask) or rejected (optionally
 * tumour-absent). The live proposal is the pending one, or, on a scan the user tagged no tumour, a model's
 * disagreement, opened as a second read. When the last proposed slice is decided, the next scan with a proposal opens.
 */
export const useReviewStore = defineStore('review', () => {
  const projects = useProjectsStore();
  const volumes = useVolumesStore();
  const weakLabels = useWeakLabelsStore();
  const training = useTrainingStore();
  const notifications = useNotificationsStore();
  const proposals = ref<ProposalSummary[]>([]);
  const overlay = shallowRef<ProposalOverlay | null>(null);
  const busy = ref(false);
  let reviewCount = 0;

  const pending = computed(() => proposals.value.find((proposal) => proposal.status === 'pending') ?? null);
  /** The model found tumour on a scan the user tagged no tumour: shown on request, as a second read. */
  const disagreement = computed(() => proposals.value.find((proposal) => proposal.status === 'disagreement') ?? null);
  const live = computed(() => pending.value ?? disagreement.value);
  const secondRead = computed(() => !pending.value && disagreement.value !== null);
  /** Slices the live proposal found tumour on. */
  const proposedSlices = computed(() =>
    (live.value?.sliceAreas ?? []).flatMap((area, index) => (area > 0 ? [index] : []))
  );
  const reviewedCount = computed(
    () => proposedSlices.value.filter((index) => live.value?.reviewedSlices[index] !== undefined).length
  );
  /** The model version that made the live proposal, as the training panel lists it (null if it is gone). */
  const model = computed<ModelVersionSummary | null>(
    () => training.versions.find((version) => version.id === live.value?.modelVersionId) ?? null
  );

  const reviewOf = (sliceIndex: number): ProposedSliceReview | null =>
    proposedSlices.value.includes(sliceIndex) ? (live.value?.reviewedSlices[sliceIndex] ?? 'to-review') : null;

  async function refresh(): Promise<void> {
    const projectId = projects.currentProjectId;
    const volumeId = volumes.selectedVolumeId;
    if (!projectId || !volumeId) {
      proposals.value = [];
      overlay.value = null;
      return;
    }
    try {
      const list = await useApiClient().call('listProposals', { projectId, volumeId });
      if (volumeId !== volumes.selectedVolumeId) return;
      proposals.value = list;
      const next = live.value;
      if (!next) overlay.value = null;
      else if (overlay.value?.proposalId !== next.id) {
        const { labels } = await useApiClient().call('getProposalLabels', { projectId, proposalId: next.id });
        if (volumeId === volumes.selectedVolumeId) overlay.value = { proposalId: next.id, volumeId, labels };
      }
      setAppSignal('pendingProposalId', pending.value?.id ?? '');
      setAppSignal('secondReadProposalId', secondRead.value ? (disagreement.value?.id ?? '') : '');
      setAppSignal('proposalReviewedSlices', `${reviewedCount.value}/${proposedSlices.value.length}`);
    } catch (error) {
      notifications.reportError(error, 'Reading the proposals');
    }
  }

  async function review(whatFailed: string, act: (projectId: string, proposalId: string) => Promise<unknown>): Promise<void> {
    const projectId = projects.currentProjectId;
    const proposal = live.value;
    const volumeId = volumes.selectedVolumeId;
    if (!projectId || !proposal || !volumeId || busy.value) return;
    busy.value = true;
    try {
      // Accepted slices reach the mask on screen through main's onDidChangeMask (services/createServices).
      await act(projectId, proposal.id);
      await Promise.all([refresh(), weakLabels.refresh()]);
      setAppSignal('proposalReviews', ++reviewCount);
      const stillLive = proposals.value.some((entry) => entry.id === proposal.id && entry.status === proposal.status);
      if (!stillLive && proposal.status === 'pending') await openNextToReview(volumes, notifications, volumeId);
    } catch (error) {
      notifications.reportError(error, whatFailed);
    } finally {
      busy.value = false;
    }
  }

  function accept(sliceIndices?: number[]): Promise<void> {
    return review('Accepting the proposal', (projectId, proposalId) =>
      useApiClient().call('acceptProposal', { projectId, proposalId, ...(sliceIndices ? { sliceIndices } : {}) })
    );
  }

  /** Edit-then-accept: the slice as the user corrected it (dim_i * dim_j labels) becomes mask, marked as edited. */
  function acceptEdited(sliceIndex: number, labels: Uint8Array): Promise<void> {
    return review('Accepting the edited slice', (projectId, proposalId) =>
      useApiClient().call('acceptProposal', { projectId, proposalId, sliceIndices: [], editedSlices: [{ sliceIndex, labels }] })
    );
  }

  function reject(sliceIndices: number[] | undefined, markAbsent: boolean): Promise<void> {
    return review('Rejecting the proposal', (projectId, proposalId) =>
      useApiClient().call('rejectProposal', { projectId, proposalId, markAbsent, ...(sliceIndices ? { sliceIndices } : {}) })
    );
  }

  /** Replaces this scan's proposal with one from the chosen model version (the newest proposes by default). */
  async function proposeWith(modelVersionId: string): Promise<void> {
    const volumeId = volumes.selectedVolumeId;
    if (volumeId) await training.propose(modelVersionId, [volumeId]);
  }

  useApiClient().on('onDidChangeProposals', ({ projectId, volumeId }) => {
    if (projectId === projects.currentProjectId && volumeId === volumes.selectedVolumeId) void refresh();
  });

  watch(
    () => volumes.selectedVolumeId,
    () => {
      overlay.value = null;
      proposals.value = [];
      void refresh();
    }
  );

  // prettier-ignore
  return { proposals, pending, disagreement, live, secondRead, proposedSlices, reviewedCount, model, overlay, busy, reviewOf, refresh, accept, acceptEdited, reject, proposeWith };
});

/** Every proposed slice of a scan is decided: the next scan with a proposal to review opens, and the user is told. */
async function openNextToReview(
  volumes: ReturnType<typeof useVolumesStore>,
  notifications: ReturnType<typeof useNotificationsStore>,
  finishedVolumeId: string
): Promise<void> {
  await volumes.refresh();
  if (volumes.selectedVolumeId !== finishedVolumeId) return;
  const finished = volumes.volumes.find((volume) => volume.id === finishedVolumeId);
  const found = nextVolume(volumes.volumes, finishedVolumeId, 'to-review');
  const next = found && found.id !== finishedVolumeId ? found : null;
  const done = `Every proposed slice of “${finished?.name ?? 'this scan'}” is reviewed.`;
  if (next) {
    notifications.show('info', `${done} Opening “${next.name}”, the next scan with a proposal to review.`);
    volumes.selectVolume(next.id);
  } else notifications.show('info', `${done} No other scan has a proposal to review.`);
  setAppSignal('reviewNextOpened', next?.id ?? 'none');
}
