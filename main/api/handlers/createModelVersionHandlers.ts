import { rm } from 'node:fs/promises';
import { ApiError } from '../../contract';
import { resolveInsideProject } from '../../project';
import { assessTrainingData } from '../../training';
import { toVersionSummary } from './createTrainingHandlers';
import type { CoreServices, HandlersFor } from './HandlerTypes';

type ModelVersionCalls = 'listModelVersions' | 'renameModelVersion' | 'deleteModelVersion' | 'getTrainingReadiness';

/** The project's model versions as the user manages them (list, rename, delete), and what the data allows now. */
export function createModelVersionHandlers({ workspace, events, jobs }: CoreServices): HandlersFor<ModelVersionCalls> {
  return {
    listModelVersions: async ({ projectId }) => {
      const project = await workspace.getProject(projectId);
      const runs = await project.store.trainingRuns.list();
      return (await project.store.modelVersions.list()).map((version) => toVersionSummary(version, runs));
    },
    renameModelVersion: async ({ projectId, modelVersionId, name }) => {
      const project = await workspace.getProject(projectId);
      if (!(await project.store.modelVersions.get(modelVersionId))) throw new ApiError('not-found', 'That model is not in this project.');
      await project.store.modelVersions.rename(modelVersionId, name === '' ? null : name);
      events.emit('onDidChangeModelVersions', { projectId });
      const renamed = await project.store.modelVersions.get(modelVersionId);
      return toVersionSummary(renamed!, await project.store.trainingRuns.list());
    },
    deleteModelVersion: async ({ projectId, modelVersionId }) => {
      const project = await workspace.getProject(projectId);
      const version = await project.store.modelVersions.get(modelVersionId);
      if (!version) throw new ApiError('not-found', 'That model is not in this project.');
      const job = jobs.current;
      if (job && job.status.projectId === projectId) {
        throw new ApiError('busy', `Model ${version.number} cannot be deleted while this project is training or proposing: stop it first.`);
      }
      const { withdrawnVolumeIds } = await project.store.modelVersions.markDeleted(modelVersionId);
      await rm(resolveInsideProject(project.folder, version.weightsFolder), { recursive: true, force: true });
      events.emit('onDidChangeModelVersions', { projectId });
      for (const volumeId of withdrawnVolumeIds) events.emit('onDidChangeProposals', { projectId, volumeId, done: 1, total: 1 });
      if (withdrawnVolumeIds.length > 0) events.emit('onDidChangeVolumes', { projectId });
      return { modelVersionId, withdrawnVolumeIds };
    },
    getTrainingReadiness: async ({ projectId }) => {
      const project = await workspace.getProject(projectId);
      const { heldOutMaskedSlices: _m, heldOutPresentSlices: _p, heldOutAbsentSlices: _a, ...readiness } = await assessTrainingData(project.store);
      return readiness;
    },
  };
}
