import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ExportFormat, ExportProposalChoice, ExportResult } from '../../../main/contract/types';
import { useApiClient } from '../api';
import { setAppSignal } from '../signals/appSignals';
import { useAppStore } from './appStore';
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

/**
 * Exporting the project's masks (NIfTI with the images if asked, DICOM SEG, nnU-Net). A browser downloads the whole
 * export as one zip (folders kept); the desktop app leaves the files in the project's exports folder and says where.
 */
export const useExportStore = defineStore('export', () => {
  const projects = useProjectsStore();
  const notifications = useNotificationsStore();
  const app = useAppStore();
  const includeImages = ref(false);
  /** NIfTI: scans tagged no tumour as empty masks. */
  const emptyMasksForAbsentScans = ref(false);
  /** NIfTI: which model proposals go into the masks. */
  const proposals = ref<ExportProposalChoice>('accepted');
  const format = ref<ExportFormat>('nifti');
  const exporting = ref(false);
  const result = ref<ExportResult | null>(null);
  let exportCount = 0;

  async function exportMasks(): Promise<void> {
    const projectId = projects.currentProjectId;
    if (!projectId || exporting.value) return;
    exporting.value = true;
    try {
      const nifti = format.value === 'nifti';
      const written = await useApiClient().call('exportMasks', {
        projectId,
        format: format.value,
        includeImages: includeImages.value,
        ...(nifti ? { emptyMasksForAbsentScans: emptyMasksForAbsentScans.value, proposals: proposals.value } : {})
      });
      if (app.appInfo?.host !== 'electron') {
        // One download for the whole export: a browser saves files, not folders, and one save is one click.
        const archive = await useApiClient().call('getExportArchive', { projectId, exportId: written.exportId });
        downloadFile(archive.fileName, archive.bytes);
        setAppSignal('exportDownload', archive.fileName);
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

  return { includeImages, emptyMasksForAbsentScans, proposals, format, exporting, result, exportMasks };
});
