import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { DicomScanSummary, ImportProgress } from '../../../main/contract/types';
import { isApiErrorShape } from '../../../main/contract/errors';
import { useApiClient } from '../api';
import { confirmedCases, describeCaseProblem, initialChoice, type CaseGroupChoice } from '../sequences/caseGroups';
import { setAppSignal } from '../signals/appSignals';
import { useNotificationsStore } from './notificationsStore';
import { useProjectsStore } from './projectsStore';
import { useVolumesStore } from './volumesStore';

export type DicomImportPhase = 'idle' | 'scanning' | 'scanned' | 'importing';

function createJobId(): string {
  return `dicom-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/**
 * DICOM import in two steps, as in Slicer's DICOM browser: scan a folder and list its series, then import the ones
 * the user ticks. One job at a time, with progress and a Cancel that stops it silently.
 */
export const useDicomImportStore = defineStore('dicomImport', () => {
  const projects = useProjectsStore();
  const volumes = useVolumesStore();
  const notifications = useNotificationsStore();
  const phase = ref<DicomImportPhase>('idle');
  const jobId = ref<string | null>(null);
  const summary = ref<DicomScanSummary | null>(null);
  const selectedSeriesIds = ref<string[]>([]);
  const progress = ref<ImportProgress | null>(null);
  /** The user's answer to each case of several sequences the scan offers (`summary.caseGroups`, same order). */
  const caseChoices = ref<CaseGroupChoice[]>([]);
  /** Why an offered case cannot be imported as chosen (a name twice, a name missing), per group; null when fine. */
  const caseProblems = computed(() =>
    (summary.value?.caseGroups ?? []).map((group, index) =>
      caseChoices.value[index] ? describeCaseProblem(group, caseChoices.value[index]!, selectedSeriesIds.value) : null
    )
  );

  function setPhase(next: DicomImportPhase): void {
    phase.value = next;
    setAppSignal('dicomImportPhase', next);
  }

  function reportFailure(error: unknown, whatFailed: string): void {
    if (isApiErrorShape(error) && error.code === 'cancelled') return;
    notifications.reportError(error, whatFailed);
  }

  async function scanFolder(path: string): Promise<void> {
    const projectId = projects.currentProjectId;
    if (!projectId || phase.value === 'scanning' || phase.value === 'importing') return;
    const job = createJobId();
    jobId.value = job;
    summary.value = null;
    progress.value = null;
    setPhase('scanning');
    try {
      const found = await useApiClient().call('scanDicomFolder', { projectId, jobId: job, path });
      if (jobId.value !== job) return;
      summary.value = found;
      // A series already in the project is offered unticked: ticking it imports it again, on purpose.
      selectedSeriesIds.value = found.series.filter((series) => !series.alreadyImported).map((series) => series.id);
      caseChoices.value = (found.caseGroups ?? []).map(initialChoice);
      setPhase('scanned');
      if (found.series.length === 0) notifications.show('warning', 'No DICOM series were found in that folder.');
    } catch (error) {
      if (jobId.value === job) setPhase('idle');
      reportFailure(error, 'Scanning the folder');
    }
  }

  async function importSelected(): Promise<void> {
    const job = jobId.value;
    const blocked = selectedSeriesIds.value.length === 0 || caseProblems.value.some((problem) => problem !== null);
    if (!job || phase.value !== 'scanned' || blocked) return;
    setPhase('importing');
    const seriesIds = [...selectedSeriesIds.value];
    const allowDuplicates = summary.value?.series.some((series) => series.alreadyImported && seriesIds.includes(series.id)) ?? false;
    const cases = confirmedCases(summary.value?.caseGroups ?? [], caseChoices.value, seriesIds);
    const imported = await volumes.runImport(
      (projectId) =>
        useApiClient().call('importDicomSeries', {
          projectId,
          jobId: job,
          seriesIds,
          allowDuplicates,
          ...(cases.length > 0 ? { cases } : {})
        }),
      reportFailure
    );
    if (jobId.value !== job) return;
    progress.value = null;
    if (imported) {
      summary.value = null;
      setPhase('idle');
    } else setPhase('scanned');
  }

  async function cancel(): Promise<void> {
    const job = jobId.value;
    if (!job) return;
    try {
      await useApiClient().call('cancelImport', { jobId: job });
    } catch (error) {
      reportFailure(error, 'Cancelling the import');
    }
    if (phase.value === 'scanning') setPhase('idle');
  }

  function close(): void {
    summary.value = null;
    jobId.value = null;
    setPhase('idle');
  }

  useApiClient().on('onDidImportProgress', (event) => {
    if (event.jobId === jobId.value) progress.value = event;
  });

  return { phase, summary, selectedSeriesIds, progress, caseChoices, caseProblems, scanFolder, importSelected, cancel, close };
});
