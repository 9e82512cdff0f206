import { mkdir, stat } from 'node:fs/promises';
import { basename, isAbsolute, join } from 'node:path';
import { ApiError, type WeakLabels } from '../../contract';
import { importMaskFile, readVolumeMask, saveMaskSlices, setSliceStates, setTumourRanges, tagScan } from '../../annotation';
import { createId, writeFileAtomically } from '../../common';
import type { ProjectStore, VolumeRecord } from '../../db';
import type { CoreServices, HandlersFor } from './HandlerTypes';
import { findVolume } from './findVolume';
import { expandTypedPath } from '../../project';

type AnnotationCalls =
  | 'getWeakLabels'
  | 'tagScan'
  | 'setTumourRanges'
  | 'setSliceStates'
  | 'getMaskSlices'
  | 'saveMaskSlices'
  | 'getVolumeMask'
  | 'importMaskFromPath'
  | 'importMaskUpload';

export function createAnnotationHandlers({ workspace, events }: CoreServices): HandlersFor<AnnotationCalls> {
  const changeLabels = async (
    projectId: string,
    volumeId: string,
    change: (store: ProjectStore, volume: VolumeRecord) => Promise<void>
  ): Promise<WeakLabels> => {
    const { project, volume } = await findVolume(workspace, projectId, volumeId);
    await change(project.store, volume);
    events.emit('onDidChangeWeakLabels', { projectId, volumeId });
    return readWeakLabels(project.store, volume);
  };

  return {
    getWeakLabels: async ({ projectId, volumeId }) => {
      const { project, volume } = await findVolume(workspace, projectId, volumeId);
      return readWeakLabels(project.store, volume);
    },
    tagScan: ({ projectId, volumeId, state }) =>
      changeLabels(projectId, volumeId, (store, volume) => tagScan(store, volume, state)),
    setTumourRanges: ({ projectId, volumeId, ranges }) =>
      changeLabels(projectId, volumeId, (store, volume) => setTumourRanges(store, volume, ranges)),
    setSliceStates: ({ projectId, volumeId, sliceIndices, state }) =>
      changeLabels(projectId, volumeId, (store, volume) => setSliceStates(store, volume, sliceIndices, state)),

    getMaskSlices: async ({ projectId, volumeId, sliceIndices }) => {
      const { project } = await findVolume(workspace, projectId, volumeId);
      const slices = await project.store.masks.getSlices(volumeId, sliceIndices);
      return {
        volumeId,
        slices: slices.map(({ sliceIndex, labels, version, provenance, sourceFile }) => ({ sliceIndex, labels, version, provenance, sourceFile }))
      };
    },
    saveMaskSlices: async ({ projectId, volumeId, slices }) => {
      const { project, volume } = await findVolume(workspace, projectId, volumeId);
      const versions = await saveMaskSlices(project.store, volume, slices, { provenance: 'user', author: 'user' });
      const sliceIndices = slices.map((slice) => slice.sliceIndex);
      events.emit('onDidChangeMask', { projectId, volumeId, sliceIndices });
      events.emit('onDidChangeWeakLabels', { projectId, volumeId });
      return { volumeId, versions };
    },
    getVolumeMask: async ({ projectId, volumeId }) => {
      const { project, volume } = await findVolume(workspace, projectId, volumeId);
      return { volumeId, ...(await readVolumeMask(project.store, volume)) };
    },
    importMaskFromPath: async ({ projectId, volumeId, path: typed, author }) => {
      const { project, volume } = await findVolume(workspace, projectId, volumeId);
      // As typed or pasted: quotes, ~ and file:// addresses are accepted.
      const path = expandTypedPath(typed);
      if (!isAbsolute(path)) throw new ApiError('invalid-input', 'Type the full path of the file, starting from the root folder.');
      const info = await stat(path).catch(() => undefined);
      if (!info) throw new ApiError('not-found', `${path} does not exist.`);
      if (!info.isFile()) throw new ApiError('invalid-input', `${path} is not a file.`);
      const outcome = await importMaskFile(project.store, volume, path, { fileName: basename(path), author: author ?? 'user' });
      events.emit('onDidChangeMask', { projectId, volumeId, sliceIndices: outcome.importedSlices });
      events.emit('onDidChangeWeakLabels', { projectId, volumeId });
      return { volumeId, ...outcome };
    },
    importMaskUpload: async ({ projectId, volumeId, fileName, bytes, author }) => {
      const { project, volume } = await findVolume(workspace, projectId, volumeId);
      const safeName = basename(fileName).replace(/[^A-Za-z0-9._-]/g, '_');
      // Kept beside the project's other uploads, as the provenance names it.
      const folder = join(project.folder, 'sources', 'masks');
      await mkdir(folder, { recursive: true });
      const stored = join(folder, `${createId()}-${safeName}`);
      await writeFileAtomically(stored, bytes);
      const outcome = await importMaskFile(project.store, volume, stored, { fileName: basename(fileName), author: author ?? 'user' });
      events.emit('onDidChangeMask', { projectId, volumeId, sliceIndices: outcome.importedSlices });
      events.emit('onDidChangeWeakLabels', { projectId, volumeId });
      return { volumeId, ...outcome };
    }
  };
}

async function readWeakLabels(store: ProjectStore, volume: VolumeRecord): Promise<WeakLabels> {
  const sliceCount = volume.dimensions[2];
  const scan = await store.sliceLabels.getScanLabel(volume.id);
  const slices: WeakLabels['slices'] = new Array(sliceCount).fill('unknown');
  const sources: WeakLabels['sources'] = new Array(sliceCount).fill(null);
  for (const label of await store.sliceLabels.listForVolume(volume.id)) {
    if (label.sliceIndex >= sliceCount) continue;
    slices[label.sliceIndex] = label.state;
    sources[label.sliceIndex] = label.state === 'unknown' ? null : label.source;
  }
  return { volumeId: volume.id, scan: scan.state, tumourRanges: scan.tumourRanges, slices, sources };
}
