import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ExportResult } from '../../../main/contract/types';
import { useApiClient } from '../api';
import { setAppSignal } from '../signals/appSignals';
import { useNotificationsStore } from './notificationsStore';
import { useProjectsStore } from './projectsStore';

/** Saves bytes as a file the browser downloads (Blob + object URL), as a user's "Save as" would. */
function downloadFile(fileName: string, bytes: Uint8Array): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>]));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // The download has started from the URL; give the browser a moment before releasing it.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Exporting the project's masks (NIfTI, with the images if asked) and downloading every file written. */
export const useExportStore = defineStore('export', () => {
  const projects = useProjectsStore();
  const notifications = useNotificationsStore();
  const includeImages = ref(false);
  const exporting = ref(false);
  const result = ref<ExportResult | null>(null);
  let exportCount = 0;

  async function exportMasks(): Promise<void> {
    const projectId = projects.currentProjectId;
    if (!projectId || exporting.value) return;
    exporting.value = true;
    try {
      const written = await useApiClient().call('exportMasks', { projectId, includeImages: includeImages.value });
      for (const fileName of written.files) {
        const file = await useApiClient().call('getExportFile', { projectId, exportId: written.exportId, fileName });
        downloadFile(file.fileName, file.bytes);
      }
      result.value = written;
      setAppSignal('exportCount', ++exportCount);
    } catch (error) {
      notifications.reportError(error, 'Exporting the masks');
    } finally {
      exporting.value = false;
    }
  }

  return { includeImages, exporting, result, exportMasks };
});
