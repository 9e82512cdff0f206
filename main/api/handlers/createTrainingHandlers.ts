import { ApiError, type ModelVersionSummary, type TrainingRunSummary } from '../../contract';
import { acceptProposal, rejectProposal } from '../../annotation';
import type { ModelVersionRecord, TrainingRunRecord } from '../../db';
import { suggestNext } from '../../inference';
import { idleTrainingStatus, loadCaseChannels } from '../../training';
import type { CoreServices, HandlersFor } from './HandlerTypes';
import { findVolume } from './findVolume';

type TrainingCalls =
  | 'getTrainingStatus'
  | 'startTraining'
  | 'resumeTraining'
  | 'stopTraining'
  | 'listTrainingRuns'
  | 'getTrainingMetrics'
  | 'proposeMasks'
  | 'listProposals'
  | 'suggestNext'
  | 'getProposalLabels'
  | 'acceptProposal'
  | 'rejectProposal';

export function createTrainingHandlers({ workspace, events, jobs, training, proposals }: CoreServices): HandlersFor<TrainingCalls> {
  const findProposal = async (projectId: string, proposalId: string) => {
    const project = await workspace.getProject(projectId);
    const proposal = await project.store.proposals.get(proposalId);
    if (!proposal) throw new ApiError('not-found', 'That proposal is not in this project.');
    const { volume } = await findVolume(workspace, projectId, proposal.volumeId);
    return { project, proposal, volume };
  };
  const notifyReview = (projectId: string, volumeId: string, sliceIndices: number[]) => {
    events.emit('onDidChangeMask', { projectId, volumeId, sliceIndices });
    events.emit('onDidChangeWeakLabels', { projectId, volumeId });
    events.emit('onDidChangeProposals', { projectId, volumeId, done: 1, total: 1 });
  };

  return {
    getTrainingStatus: async () => jobs.current?.status ?? idleTrainingStatus(),
    startTraining: ({ projectId, ...choice }) => training.startTraining(projectId, choice),
    resumeTraining: ({ projectId, runId, ...limits }) => training.startTraining(projectId, limits, runId),
    stopTraining: async () => {
      jobs.stop();
      return jobs.current?.status ?? idleTrainingStatus();
    },
    listTrainingRuns: async ({ projectId }) => {
      const project = await workspace.getProject(projectId);
      await training.reconcileInterruptedRuns(project);
      return (await project.store.trainingRuns.list()).map(toRunSummary);
    },
    getTrainingMetrics: async ({ projectId, runId }) => {
      const project = await workspace.getProject(projectId);
      const series = new Map<string, { name: string; steps: number[]; values: number[] }>();
      for (const point of await project.store.trainingRuns.getMetrics(runId)) {
        const entry = series.get(point.name) ?? { name: point.name, steps: [], values: [] };
        entry.steps.push(point.step);
        entry.values.push(point.value);
        series.set(point.name, entry);
      }
      return [...series.values()];
    },
    proposeMasks: async ({ projectId, modelVersionId, volumeIds }) => {
      const project = await workspace.getProject(projectId);
      const masked = await project.store.masks.countMaskedSlicesByVolume();
      let chosen = volumeIds;
      if (!chosen) {
        // Every scan without a mask, except those lacking a sequence the model takes (asked by name, they are refused).
        const sequences = ((await project.store.modelVersions.get(modelVersionId))?.config.options as { sequences?: string[] } | undefined)?.sequences;
        chosen = [];
        for (const volume of await project.store.volumes.list())
          if (!masked.has(volume.id) && (await loadCaseChannels(project.store, volume, sequences)).missing.length === 0) chosen.push(volume.id);
      }
      await proposals.proposeMasks(projectId, modelVersionId, chosen);
      return { volumeIds: chosen };
    },
    suggestNext: async ({ projectId, limit, costs }) => {
      const project = await workspace.getProject(projectId);
      const newest = (await project.store.modelVersions.list()).sort((a, b) => b.number - a.number)[0];
      return suggestNext(project.store, { limit: limit ?? 20, costs, modelDice: newest?.metrics.evaluation.dice ?? null });
    },
    listProposals: async ({ projectId, volumeId }) => {
      const { project } = await findVolume(workspace, projectId, volumeId);
      const numbers = new Map((await project.store.modelVersions.list({ includeDeleted: true })).map((version) => [version.id, version.number]));
      return (await project.store.proposals.listForVolume(volumeId)).map(({ labels: _labels, ...summary }) => ({
        ...summary,
        modelVersionNumber: numbers.get(summary.modelVersionId) ?? 0
      }));
    },
    getProposalLabels: async ({ projectId, proposalId }) => {
      const { proposal } = await findProposal(projectId, proposalId);
      return { proposalId, volumeId: proposal.volumeId, labels: proposal.labels };
    },
    acceptProposal: async ({ projectId, proposalId, sliceIndices, editedSlices }) => {
      const { project, proposal, volume } = await findProposal(projectId, proposalId);
      const acceptedSlices = await acceptProposal(project.store, volume, proposal, {
        ...(sliceIndices ? { sliceIndices } : {}),
        ...(editedSlices ? { editedSlices } : {})
      });
      notifyReview(projectId, volume.id, acceptedSlices);
      return { acceptedSlices };
    },
    rejectProposal: async ({ projectId, proposalId, sliceIndices, markAbsent }) => {
      const { project, proposal, volume } = await findProposal(projectId, proposalId);
      const rejectedSlices = await rejectProposal(project.store, volume, proposal, {
        ...(sliceIndices ? { sliceIndices } : {}),
        ...(markAbsent !== undefined ? { markAbsent } : {})
      });
      notifyReview(projectId, volume.id, []);
      return { rejectedSlices };
    }
  };
}

function toRunSummary(run: TrainingRunRecord): TrainingRunSummary {
  return {
    id: run.id,
    status: run.status,
    method: run.method,
    preset: run.preset,
    backend: run.backend,
    error: run.error,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    resumable: run.checkpointFile !== null && run.status !== 'finished' && run.status !== 'running'
  };
}

export function toVersionSummary(version: ModelVersionRecord, runs: TrainingRunRecord[]): ModelVersionSummary {
  const run = runs.find((entry) => entry.id === version.runId);
  const trainingSeconds = run ? Math.max(0, (Date.parse(version.createdAt) - Date.parse(run.startedAt)) / 1000) : null;
  return {
    id: version.id,
    number: version.number,
    name: version.name ?? null,
    trainingSeconds: trainingSeconds !== null && Number.isFinite(trainingSeconds) ? trainingSeconds : null,
    runId: version.runId,
    method: version.method,
    preset: version.preset,
    backend: version.backend,
    createdAt: version.createdAt,
    evaluation: version.metrics.evaluation,
    dataSnapshot: version.dataSnapshot,
    steps: version.metrics.steps,
    bestStep: version.metrics.bestStep
  };
}
