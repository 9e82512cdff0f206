import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { ImportDuplicate, ImportResult, VolumeSummary, VolumeVoxels } from '../../../main/contract/types';
import { maximumUploadBytes } from '../../../main/contract/limits';
import { useApiClient } from '../api';
import { setAppSignal } from '../signals/appSignals';
import { useNotificationsStore } from './notificationsStore';
import { rememberedScan, rememberScan } from './lastSession';
import { useProjectsStore } from './projectsStore';

/** Sends NIfTI files one after another (each up to the upload limit) and gathers what came of them in one result. */
async function uploadFiles(
  projectId: string,
  files: File[],
  allowDuplicates: boolean,
  onFile: (file: File, index: number) => void
): Promise<ImportResult> {
  const result: ImportResult = { imported: [], problems: [], duplicates: [] };
  for (const [index, file] of files.entries()) {
    onFile(file, index);
    if (file.size > maximumUploadBytes) {
      const limit = Math.round(maximumUploadBytes / 1024 ** 2);
      result.problems.push({ file: file.name, code: 'invalid-input', message: `larger than ${limit} MiB, the most the browser can send. Import it by its path instead.` });
      continue;
    }
    if (!/\.nii(\.gz)?$/i.test(file.name)) {
      result.problems.push({ file: file.name, code: 'unsupported', message: 'not a NIfTI file (.nii or .nii.gz).' });
      continue;
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    const one = await useApiClient().call('importNiftiUpload', { projectId, fileName: file.name, bytes, allowDuplicates });
    result.imported.push(...one.imported);
    result.problems.push(...one.problems);
    result.duplicates.push(...one.duplicates);
  }
  return result;
}

/** What an import brought in, its warnings and problems, as notifications. */
function reportImport(notifications: ReturnType<typeof useNotificationsStore>, result: ImportResult): void {
  for (const volume of result.imported) {
    for (const warning of volume.warnings) notifications.show('warning', `${volume.name}: ${warning}`);
  }
  for (const problem of result.problems) notifications.show('error', `${problem.file}: ${problem.message}`);
  if (result.imported.length > 0) {
    const names = result.imported.map((volume) => volume.name);
    const list = names.length > 6 ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more` : names.join(', ');
    notifications.show('info', `Imported ${list}.`);
  }
}

/** The volumes of the open project, which one is chosen, and imports into it. */
export const useVolumesStore = defineStore('volumes', () => {
  const projects = useProjectsStore();
  const notifications = useNotificationsStore();
  const volumes = ref<VolumeSummary[]>([]);
  const selectedVolumeId = ref<string | null>(null);
  const importing = ref(false);
  /** "File 2 of 5…" while several files go in one after another. */
  const importProgressText = ref('');
  /** Files already in the project that the last import left out, and how to import them after all. */
  const duplicateOffer = ref<{ duplicates: ImportDuplicate[]; importAnyway: () => Promise<boolean> } | null>(null);
  /** The scans the last import brought in (the sequences of one case among them are offered as one case). */
  const lastImported = ref<VolumeSummary[]>([]);
  let importCount = 0;
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

  /**
   * Runs an import into the open project, reports what came in, offers to import duplicates after all, and opens the
   * first new scan; `reportFailure` may keep some errors quiet.
   */
  async function runImport(
    start: (projectId: string) => Promise<ImportResult>,
    reportFailure: (error: unknown, whatFailed: string) => void = notifications.reportError,
    importAnyway?: (duplicates: ImportDuplicate[]) => Promise<boolean>
  ): Promise<boolean> {
    const projectId = projects.currentProjectId;
    if (!projectId) return false;
    importing.value = true;
    duplicateOffer.value = null;
    try {
      const result = await start(projectId);
      lastImported.value = result.imported;
      reportImport(notifications, result);
      if (result.duplicates.length > 0 && importAnyway) {
        const duplicates = result.duplicates;
        duplicateOffer.value = { duplicates, importAnyway: () => importAnyway(duplicates) };
      }
      await refresh();
      const first = result.imported[0];
      if (first && projects.currentProjectId === projectId) selectVolume(first.id);
      return result.imported.length > 0;
    } catch (error) {
      reportFailure(error, 'Importing the volume');
      return false;
    } finally {
      importing.value = false;
      importProgressText.value = '';
      setAppSignal('importCount', ++importCount);
    }
  }

  /** What the user typed: one or several paths (quoted or one per line), `~`, or a folder of NIfTI files. */
  function importFromPath(text: string, allowDuplicates = false): Promise<boolean> {
    return runImport(
      (projectId) => useApiClient().call('importNiftiFromPath', { projectId, path: text, allowDuplicates }),
      undefined,
      (duplicates) => importFromPath(duplicates.map((duplicate) => `"${duplicate.path ?? duplicate.file}"`).join('\n'), true)
    );
  }

  /** Files chosen or dropped, sent one after another (each up to the upload limit); one report for them all. */
  function importUploads(files: File[], allowDuplicates = false): Promise<boolean> {
    return runImport(
      (projectId) =>
        uploadFiles(projectId, files, allowDuplicates, (file, index) => {
          if (files.length > 1) importProgressText.value = `Importing ${file.name} (${index + 1} of ${files.length})…`;
        }),
      undefined,
      (duplicates) => importUploads(files.filter((file) => duplicates.some((duplicate) => duplicate.file === file.name)), true)
    );
  }

  function importUpload(file: File): Promise<boolean> {
    return importUploads([file]);
  }

  const skipDuplicates = () => void (duplicateOffer.value = null);
  const importDuplicatesAnyway = async () => (await duplicateOffer.value?.importAnyway()) ?? false;

  function selectVolume(volumeId: string | null): void {
    selectedVolumeId.value = volumeId;
    rememberScan(projects.currentProjectId, volumeId);
  }

  /** Voxels are large: straight to the viewer, never in reactive state. `sequenceId`: another sequence of the case. */
  function fetchVoxels(volumeId: string, sequenceId?: string): Promise<VolumeVoxels> {
    const projectId = projects.currentProjectId;
    if (!projectId) return Promise.reject(new Error('no project is open'));
    const sequence = sequenceId && sequenceId !== volumeId ? { sequenceId } : {};
    return useApiClient().call('getVolumeVoxels', { projectId, volumeId, ...sequence });
  }

  // The list shows each volume's tags, masks and pending proposals: any of them changing refreshes it.
  for (const event of ['onDidChangeVolumes', 'onDidChangeWeakLabels', 'onDidChangeProposals'] as const) {
    useApiClient().on(event, ({ projectId }) => {
      if (projectId === projects.currentProjectId) void refresh();
    });
  }

  watch(
    () => projects.currentProjectId,
    async (projectId) => {
      selectedVolumeId.value = null;
      volumes.value = [];
      duplicateOffer.value = null;
      lastImported.value = [];
      await refresh();
      // After a reload the scan that was open comes back (kept in this browser's localStorage, per project).
      const remembered = projectId ? rememberedScan(projectId) : null;
      const known = volumes.value.some((volume) => volume.id === remembered);
      if (known && selectedVolumeId.value === null && projects.currentProjectId === projectId) selectedVolumeId.value = remembered;
    }
  );

  return {
    volumes, selectedVolumeId, selectedVolume, importing, importProgressText, duplicateOffer,
    lastImported, refresh, runImport, importFromPath, importUpload, importUploads, skipDuplicates,
    importDuplicatesAnyway, selectVolume, fetchVoxels
  };
});
