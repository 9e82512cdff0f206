import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { MaskImportResult } from '../../../main/contract/types';
import { useApiClient } from '../api';
import { setAppSignal } from '../signals/appSignals';
import { useNotificationsStore } from './notificationsStore';
import { useProjectsStore } from './projectsStore';
import { useVolumesStore } from './volumesStore';

/** Importing a NIfTI label map or DICOM SEG onto the selected scan, and what came of it. */
export const useMaskImportStore = defineStore('maskImport', () => {
  const projects = useProjectsStore();
  const volumes = useVolumesStore();
  const notifications = useNotificationsStore();
  const importing = ref(false);
  const result = ref<MaskImportResult | null>(null);
  let importCount = 0;

  async function run(start: (projectId: string, volumeId: string) => Promise<MaskImportResult>): Promise<boolean> {
    const projectId = projects.currentProjectId;
    const volumeId = volumes.selectedVolumeId;
    if (!projectId || !volumeId || importing.value) return false;
    importing.value = true;
    try {
      const imported = await start(projectId, volumeId);
      result.value = imported;
      const how = { 'same-grid': 'on the same grid', reoriented: 'reoriented exactly', resampled: 'resampled' }[imported.placement];
      notifications.show('info', `Imported ${imported.fileName} (${how}): tumour on ${imported.importedSlices.length} slices.`);
      for (const warning of imported.warnings) notifications.show('warning', warning);
      // The labelmap on screen follows through main's onDidChangeMask (services/MaskSyncService).
      await volumes.refresh();
      setAppSignal('maskImportCount', ++importCount);
      return true;
    } catch (error) {
      notifications.reportError(error, 'Importing the mask');
      return false;
    } finally {
      importing.value = false;
    }
  }

  function importFromPath(path: string): Promise<boolean> {
    return run((projectId, volumeId) => useApiClient().call('importMaskFromPath', { projectId, volumeId, path }));
  }

  function importUpload(file: File): Promise<boolean> {
    return run(async (projectId, volumeId) => {
      const bytes = new Uint8Array(await file.arrayBuffer());
      return useApiClient().call('importMaskUpload', { projectId, volumeId, fileName: file.name, bytes });
    });
  }

  return { importing, result, importFromPath, importUpload };
});
