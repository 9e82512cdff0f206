import type { WeakLabels } from '../../contract';
import { readVolumeMask, saveMaskSlices, setSliceStates, setTumourRanges, tagScan } from '../../annotation';
import type { ProjectStore, VolumeRecord } from '../../db';
import type { CoreServices, HandlersFor } from './HandlerTypes';
import { findVolume } from './findVolume';

type AnnotationCalls =
  | 'getWeakLabels'
  | 'tagScan'
  | 'setTumourRanges'
  | 'setSliceStates'
  | 'getMaskSlices'
  | 'saveMaskSlices'
  | 'getVolumeMask';

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
        slices: slices.map(({ sliceIndex, labels, version, provenance }) => ({ sliceIndex, labels, version, provenance }))
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
