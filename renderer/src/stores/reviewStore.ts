import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type { ProposalSummary } from '../../../main/contract/types';
import { useApiClient } from '../api';
import { setAppSignal } from '../signals/appSignals';
import { useNotificationsStore } from './notificationsStore';
import { useProjectsStore } from './projectsStore';
import { useVolumesStore } from './volumesStore';
import { useWeakLabelsStore } from './weakLabelsStore';

/** The proposed labelmap the viewer shows over the user's mask (large: never deeply reactive). */
export interface ProposalOverlay {
  proposalId: string;
  volumeId: string;
  labels: Uint8Array;
}

/**
 * Reviewing a model's proposals for the volume on screen, as in MONAI Label: the pending proposal is drawn apart from
 * the user's mask; each slice or the whole volume is accepted (it becomes mask) or rejected (optionally tumour-absent).
 */
export const useReviewStore = defineStore('review', () => {
  const projects = useProjectsStore();
  const volumes = useVolumesStore();
  const weakLabels = useWeakLabelsStore();
  const notifications = useNotificationsStore();
  const proposals = ref<ProposalSummary[]>([]);
  const overlay = shallowRef<ProposalOverlay | null>(null);
  const busy = ref(false);
  let reviewCount = 0;

  const pending = computed(() => proposals.value.find((proposal) => proposal.status === 'pending') ?? null);
  /** Slices the pending proposal found tumour on. */
  const proposedSlices = computed(() =>
    (pending.value?.sliceAreas ?? []).flatMap((area, index) => (area > 0 ? [index] : []))
  );

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
      const next = list.find((proposal) => proposal.status === 'pending');
      if (!next) overlay.value = null;
      else if (overlay.value?.proposalId !== next.id) {
        const { labels } = await useApiClient().call('getProposalLabels', { projectId, proposalId: next.id });
        if (volumeId === volumes.selectedVolumeId) overlay.value = { proposalId: next.id, volumeId, labels };
      }
      setAppSignal('pendingProposalId', next?.id ?? '');
    } catch (error) {
      notifications.reportError(error, 'Reading the proposals');
    }
  }

  async function review(whatFailed: string, act: (projectId: string, proposalId: string) => Promise<unknown>): Promise<void> {
    const projectId = projects.currentProjectId;
    const proposal = pending.value;
    if (!projectId || !proposal || busy.value) return;
    busy.value = true;
    try {
      // Accepted slices reach the mask on screen through main's onDidChangeMask (services/createServices).
      await act(projectId, proposal.id);
      await Promise.all([refresh(), weakLabels.refresh()]);
      setAppSignal('proposalReviews', ++reviewCount);
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

  return { proposals, pending, proposedSlices, overlay, busy, refresh, accept, acceptEdited, reject };
});
