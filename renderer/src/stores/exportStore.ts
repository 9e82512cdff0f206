import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ExportFormat, ExportResult } from '../../../main/contract/types';
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

/** Exporting the project's masks (NIfTI with the images if asked, DICOM SEG, nnU-Net) and downloading every file written. */
export const useExportStore = defineStore('export', () => {
  const projects = useProjectsStore();
  const notifications = useNotificationsStore();
  const includeImages = ref(false);
  const format = ref<ExportFormat>('nifti');
  const exporting = ref(false);
  const result = ref<ExportResult | null>(null);
  let exportCount = 0;

  async function exportMasks(): Promise<void> {
    const projectId = projects.currentProjectId;
    if (!projectId || exporting.value) return;
    exporting.value = true;
    try {
      const written = await useApiClient().call('exportMasks', {
        projectId,
        format: format.value,
        includeImages: includeImages.value
      });
      for (const fileName of written.files) {
        const file = await useApiClient().call('getExportFile', { projectId, exportId: written.exportId, fileName });
        // A browser saves files, not folders: an nnU-Net path keeps its folders in the name (imagesTr__case_…).
        downloadFile(file.fileName.replaceAll('/', '__'), file.bytes);
      }
      for (const skipped of written.skipped) notifications.show('warning', `${skipped.volumeName}: ${skipped.reason}`);
      result.value = written;
      setAppSignal('exportCount', ++exportCount);
    } catch (error) {
      notifications.reportError(error, 'Exporting the masks');
    } finally {
      exporting.value = false;
    }
  }

  return { includeImages, format, exporting, result, exportMasks };
});
