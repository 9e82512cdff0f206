import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { ImportResult, VolumeSummary, VolumeVoxels } from '../../../main/contract/types';
import { ApiError } from '../../../main/contract/errors';
import { maximumUploadBytes } from '../../../main/contract/limits';
import { useApiClient } from '../api';
import { useNotificationsStore } from './notificationsStore';
import { useProjectsStore } from './projectsStore';

/** The volumes of the open project, which one is chosen, and imports into it. */
export const useVolumesStore = defineStore('volumes', () => {
  const projects = useProjectsStore();
  const notifications = useNotificationsStore();
  const volumes = ref<VolumeSummary[]>([]);
  const selectedVolumeId = ref<string | null>(null);
  const importing = ref(false);
  const selectedVolume = computed(() => volumes.value.find((volume) => volume.id === selectedVolumeId.value) ?? null);

  async function refresh(): Promise<void> {
    const projectId = projects.currentProjectId;
    if (!projectId) {
      volumes.value = [];
      return;
    }
    try {
      const list = await useApiClient().call('listVolumes', { projectId });
      if (projects.currentProjectId === projectId) volumes.value = list;
    } catch (error) {
      notifications.reportError(error, 'Listing the volumes');
    }
  }

  function reportImport(result: ImportResult): void {
    for (const volume of result.imported) {
      for (const warning of volume.warnings) notifications.show('warning', `${volume.name}: ${warning}`);
    }
    for (const problem of result.problems) notifications.show('error', `${problem.file}: ${problem.message}`);
    if (result.imported.length > 0) {
      notifications.show('info', `Imported ${result.imported.map((volume) => volume.name).join(', ')}.`);
    }
  }

  /** Runs an import into the open project and reports what came in; `reportFailure` may keep some errors quiet. */
  async function runImport(
    start: (projectId: string) => Promise<ImportResult>,
    reportFailure: (error: unknown, whatFailed: string) => void = notifications.reportError
  ): Promise<boolean> {
    const projectId = projects.currentProjectId;
    if (!projectId) return false;
    importing.value = true;
    try {
      const result = await start(projectId);
      reportImport(result);
      await refresh();
      return result.imported.length > 0;
    } catch (error) {
      reportFailure(error, 'Importing the volume');
      return false;
    } finally {
      importing.value = false;
    }
  }

  function importFromPath(path: string): Promise<boolean> {
    return runImport((projectId) => useApiClient().call('importNiftiFromPath', { projectId, path }));
  }

  function importUpload(file: File): Promise<boolean> {
    return runImport(async (projectId) => {
      if (file.size > maximumUploadBytes) {
        const limit = Math.round(maximumUploadBytes / 1024 ** 2);
        throw new ApiError('invalid-input', `${file.name} is larger than ${limit} MiB, the most the browser can send. Import it by its path instead.`);
      }
      const bytes = new Uint8Array(await file.arrayBuffer());
      return useApiClient().call('importNiftiUpload', { projectId, fileName: file.name, bytes });
    });
  }

  function selectVolume(volumeId: string | null): void {
    selectedVolumeId.value = volumeId;
  }

  /** Voxels are large: they go straight to the viewer and are never kept in reactive state. */
  function fetchVoxels(volumeId: string): Promise<VolumeVoxels> {
    const projectId = projects.currentProjectId;
    if (!projectId) return Promise.reject(new Error('no project is open'));
    return useApiClient().call('getVolumeVoxels', { projectId, volumeId });
  }

  // The list shows each volume's tags, masks and pending proposals: any of them changing refreshes it.
  for (const event of ['onDidChangeVolumes', 'onDidChangeWeakLabels', 'onDidChangeProposals'] as const) {
    useApiClient().on(event, ({ projectId }) => {
      if (projectId === projects.currentProjectId) void refresh();
    });
  }

  watch(
    () => projects.currentProjectId,
    () => {
      selectedVolumeId.value = null;
      volumes.value = [];
      void refresh();
    }
  );

  return {
    volumes,
    selectedVolumeId,
    selectedVolume,
    importing,
    refresh,
    runImport,
    importFromPath,
    importUpload,
    selectVolume,
    fetchVoxels
  };
});
