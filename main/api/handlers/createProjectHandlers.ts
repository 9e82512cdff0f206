import { mkdir, rm } from 'node:fs/promises';
import { basename, isAbsolute, join } from 'node:path';
import { ApiError, type ApiErrorCode, type ImportResult, type VolumeSummary } from '../../contract';
import type { VolumeRecord } from '../../db';
import { createId, writeFileAtomically } from '../../common';
import {
  expandTypedPath,
  getTrainingSequences,
  groupVolumesIntoCase,
  importNiftiFile,
  listCaseSequences,
  readSequenceVoxels,
  renameSequence,
  setSequenceWindow,
  resolveNiftiPaths,
  setTrainingSequences,
  splitTypedPaths,
  toVolumeSummary,
  type Project
} from '../../project';
import type { CoreServices, HandlersFor } from './HandlerTypes';
import { findVolume } from './findVolume';

type ProjectCalls =
  | 'getAppInfo'
  | 'listProjects'
  | 'createProject'
  | 'openProject'
  | 'addProjectFolder'
  | 'importNiftiFromPath'
  | 'importNiftiUpload'
  | 'scanDicomFolder'
  | 'importDicomSeries'
  | 'cancelImport'
  | 'listVolumes'
  | 'getVolumeVoxels'
  | 'listSequences'
  | 'groupVolumesIntoCase'
  | 'renameSequence'
  | 'setSequenceWindow'
  | 'getTrainingSequences'
  | 'setTrainingSequences';

export function createProjectHandlers({ workspace, events, appVersion, dicomImports }: CoreServices): HandlersFor<ProjectCalls> {
  return {
    getAppInfo: async (_input, context) => ({
      name: 'GenSeg Workstation',
      version: appVersion,
      host: context.host,
      platform: process.platform
    }),

    listProjects: () => workspace.listProjects(),
    createProject: async ({ name }) => {
      const project = await workspace.createProject(name);
      events.emit('onDidChangeProjects', {});
      return project;
    },
    openProject: ({ projectId }) => workspace.openProject(projectId),
    addProjectFolder: async ({ path: typed }) => {
      const path = expandTypedPath(typed);
      if (!isAbsolute(path)) throw new ApiError('invalid-input', 'Type the full path of the project folder, starting from the root folder.');
      const project = await workspace.addExistingProject(path);
      events.emit('onDidChangeProjects', {});
      return project;
    },

    importNiftiFromPath: async ({ projectId, path, allowDuplicates }) => {
      const project = await workspace.getProject(projectId);
      const typed = splitTypedPaths(path);
      const { files, problems } = await resolveNiftiPaths(path);
      // One path that cannot be used is an error of the call, as before several paths could be given.
      if (typed.length <= 1 && files.length === 0 && problems[0]) throw new ApiError(problems[0].code as ApiErrorCode, problems[0].message);
      const result: ImportResult = { imported: [], problems, duplicates: [] };
      for (const file of files) {
        const one = await importNiftiFile(project, file, basename(file), { allowDuplicates: allowDuplicates ?? false });
        result.imported.push(...one.imported);
        result.problems.push(...one.problems);
        result.duplicates.push(...one.duplicates.map((duplicate) => ({ ...duplicate, path: file })));
      }
      if (result.imported.length > 0) events.emit('onDidChangeVolumes', { projectId });
      return result;
    },

    importNiftiUpload: async ({ projectId, fileName, bytes, allowDuplicates }) => {
      const project = await workspace.getProject(projectId);
      const safeName = basename(fileName).replace(/[^A-Za-z0-9._-]/g, '_');
      if (!/\.nii(\.gz)?$/i.test(safeName)) {
        throw new ApiError('unsupported', `${fileName} is not a NIfTI file (.nii or .nii.gz).`);
      }
      const folder = join(project.folder, 'sources');
      await mkdir(folder, { recursive: true });
      const stored = join(folder, `${createId()}-${safeName}`);
      let result;
      try {
        await writeFileAtomically(stored, bytes);
        result = await importNiftiFile(project, stored, fileName, { allowDuplicates: allowDuplicates ?? false });
      } finally {
        // An upload that imported nothing leaves nothing behind.
        if (!result?.imported.length) await rm(stored, { force: true });
      }
      if (result.imported.length > 0) events.emit('onDidChangeVolumes', { projectId });
      return result;
    },

    scanDicomFolder: async ({ projectId, jobId, path: typed }) => {
      const project = await workspace.getProject(projectId);
      const path = expandTypedPath(typed);
      if (!isAbsolute(path)) throw new ApiError('invalid-input', 'Type the full path of the folder, starting from the root folder.');
      return dicomImports.scan(project, jobId, path);
    },
    importDicomSeries: async ({ projectId, jobId, seriesIds, cases, allowDuplicates }) =>
      dicomImports.importSeries(await workspace.getProject(projectId), jobId, seriesIds, cases, allowDuplicates ?? false),
    cancelImport: async ({ jobId }) => ({ cancelled: dicomImports.cancel(jobId) }),

    listVolumes: async ({ projectId }) => {
      const project = await workspace.getProject(projectId);
      return summariseVolumes(project, await project.store.volumes.list());
    },

    getVolumeVoxels: async ({ projectId, volumeId, sequenceId }) => {
      const { project, volume } = await findVolume(workspace, projectId, volumeId);
      // Every sequence of a case is stored on the reference grid, so the geometry is the volume's.
      const { scalarType, bytes } = await readSequenceVoxels(project, volume, sequenceId);
      return {
        volumeId,
        geometry: { dimensions: volume.dimensions, voxelToPatient: volume.voxelToPatient },
        scalarType,
        bytes
      };
    },

    listSequences: async ({ projectId, volumeId }) => listCaseSequences(await workspace.getProject(projectId), volumeId),
    groupVolumesIntoCase: async ({ projectId, volumeId, sequenceVolumeIds, names }) => {
      const project = await workspace.getProject(projectId);
      const { sequences } = await groupVolumesIntoCase(project, volumeId, sequenceVolumeIds, names);
      events.emit('onDidChangeVolumes', { projectId });
      return sequences;
    },
    renameSequence: async ({ projectId, volumeId, sequenceId, name }) => {
      const sequences = await renameSequence(await workspace.getProject(projectId), volumeId, sequenceId, name);
      events.emit('onDidChangeVolumes', { projectId });
      return sequences;
    },
    // No onDidChangeVolumes: every window drag would have every window read the list again; a case reads its
    // sequences' windows when it opens.
    setSequenceWindow: async ({ projectId, volumeId, sequenceId, center, width }) =>
      setSequenceWindow(await workspace.getProject(projectId), volumeId, sequenceId, { center, width }),
    getTrainingSequences: async ({ projectId }) => getTrainingSequences(await workspace.getProject(projectId)),
    setTrainingSequences: async ({ projectId, names }) => setTrainingSequences(await workspace.getProject(projectId), names)
  };
}

async function summariseVolumes(project: Project, records: VolumeRecord[]): Promise<VolumeSummary[]> {
  const labelCounts = await project.store.sliceLabels.summariseByVolume();
  const maskCounts = await project.store.masks.countMaskedSlicesByVolume();
  const pending = await project.store.proposals.countPendingByVolume();
  const disagreements = await project.store.proposals.listDisagreements();
  const sequences = await project.store.sequences.listAll();
  return records.map((record) => {
    const counts = labelCounts.get(record.id);
    return toVolumeSummary(record, {
      scan: counts?.scan ?? 'unknown',
      presentSlices: counts?.present ?? 0,
      absentSlices: counts?.absent ?? 0,
      maskedSlices: maskCounts.get(record.id) ?? 0,
      pendingProposals: pending.get(record.id) ?? 0,
      disagreement: disagreements.has(record.id)
    }, sequences.get(record.id));
  });
}
