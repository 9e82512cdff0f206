import { mkdir, stat } from 'node:fs/promises';
import { basename, isAbsolute, join } from 'node:path';
import { ApiError, type CallName, type CallResult, type ParsedCallInput } from './contract';
import type { EventBus } from './EventBus';
import { createId, importNiftiFile, toVolumeSummary, writeFileAtomically, type Workspace } from '../project';

export interface CallContext {
  host: 'electron' | 'web';
}

export type ApiHandlers = {
  [N in CallName]: (input: ParsedCallInput<N>, context: CallContext) => Promise<CallResult<N>>;
};

export interface CoreServices {
  workspace: Workspace;
  events: EventBus;
  appVersion: string;
}

/** Thin handlers: validate what schemas cannot, then call the domains. */
export function createApiHandlers({ workspace, events, appVersion }: CoreServices): ApiHandlers {
  return {
    getAppInfo: async (_input, context) => ({
      name: 'GenSeg Workstation',
      version: appVersion,
      host: context.host,
      platform: process.platform
    }),

    listProjects: () => workspace.listProjects(),
    createProject: ({ name }) => workspace.createProject(name),
    openProject: ({ projectId }) => workspace.openProject(projectId),

    importNiftiFromPath: async ({ projectId, path }) => {
      const project = await workspace.getProject(projectId);
      await checkImportPath(path);
      const result = await importNiftiFile(project, path);
      if (result.imported.length > 0) events.emit('onDidChangeVolumes', { projectId });
      return result;
    },

    importNiftiUpload: async ({ projectId, fileName, bytes }) => {
      const project = await workspace.getProject(projectId);
      const safeName = basename(fileName).replace(/[^A-Za-z0-9._-]/g, '_');
      if (!/\.nii(\.gz)?$/i.test(safeName)) {
        throw new ApiError('unsupported', `${fileName} is not a NIfTI file (.nii or .nii.gz).`);
      }
      const folder = join(project.folder, 'sources');
      await mkdir(folder, { recursive: true });
      const stored = join(folder, `${createId()}-${safeName}`);
      await writeFileAtomically(stored, bytes);
      const result = await importNiftiFile(project, stored, fileName);
      if (result.imported.length > 0) events.emit('onDidChangeVolumes', { projectId });
      return result;
    },

    listVolumes: async ({ projectId }) => {
      const project = await workspace.getProject(projectId);
      return (await project.store.volumes.list()).map(toVolumeSummary);
    },

    getVolumeVoxels: async ({ projectId, volumeId }) => {
      const project = await workspace.getProject(projectId);
      const record = await project.store.volumes.get(volumeId);
      if (!record) throw new ApiError('not-found', 'That volume is not in this project.');
      const bytes = await project.volumeCache.read(record.cacheFile);
      return {
        volumeId,
        geometry: { dimensions: record.dimensions, voxelToPatient: record.voxelToPatient },
        scalarType: record.scalarType,
        bytes
      };
    }
  };
}

/** A path typed by the user: it must be absolute and name an existing NIfTI file. */
async function checkImportPath(path: string): Promise<void> {
  if (!isAbsolute(path)) throw new ApiError('invalid-input', 'Type the full path of the file, starting from the root folder.');
  if (!/\.nii(\.gz)?$/i.test(path)) throw new ApiError('unsupported', `${basename(path)} is not a NIfTI file (.nii or .nii.gz).`);
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new ApiError('not-found', `${path} does not exist.`);
  if (!info.isFile()) throw new ApiError('invalid-input', `${path} is not a file.`);
}
