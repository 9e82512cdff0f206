import { ApiError, type DicomScanSummary, type ImportResult } from '../contract';
import type { EventBus } from '../common';
import type { DicomScanResult, SeriesSummary } from '../imaging';
import { isImagingError } from '../imaging';
import { loadDicomSeries } from '../imaging';
import { scanDicomFolder } from '../imaging';
import { addImportedVolume } from './importVolume';
import { groupSeriesIntoCases, groupVolumesIntoCase } from './caseSequences';
import type { Project } from './Project';

interface ScanEntry {
  projectId: string;
  result: DicomScanResult;
  createdAt: number;
}

const scanLifetimeMs = 60 * 60 * 1000;

/**
 * DICOM import in two steps, as clinicians expect: scan a folder and show the series found, then import the chosen
 * ones. Both are jobs with progress events and can be cancelled by the job id the client chose. A scan's result stays
 * in main (the renderer sees only summaries) until it is imported or expires. Each series becomes a volume only once
 * fully decoded, so a cancelled or failed import leaves the project as it was.
 */
export class DicomImportJobs {
  private readonly scans = new Map<string, ScanEntry>();
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly events: EventBus) {}

  async scan(project: Project, jobId: string, folder: string): Promise<DicomScanSummary> {
    this.pruneScans();
    const result = await this.runJob(jobId, (signal) =>
      scanDicomFolder(folder, {
        signal,
        onProgress: (progress) =>
          this.events.emit('onDidImportProgress', { projectId: project.id, jobId, phase: 'scanning', slicesTotal: 0, ...progress })
      })
    );
    this.scans.set(jobId, { projectId: project.id, result, createdAt: Date.now() });
    const alreadyImported = await Promise.all(result.series.map((series) => findImportedSeries(project, series)));
    return {
      jobId,
      filesScanned: result.filesScanned,
      skippedCount: result.skippedCount,
      nonDicomCount: result.nonDicomCount,
      skipped: result.skipped.slice(0, 50).map((file) => ({ file: file.path, code: file.code, message: file.reason })),
      series: result.series.map((series, index) => ({
        id: series.id,
        patientName: series.patientName ?? null,
        patientId: series.patientId ?? null,
        studyDescription: series.studyDescription ?? null,
        studyDate: series.studyDate ?? null,
        seriesDescription: series.seriesDescription ?? null,
        seriesNumber: series.seriesNumber ?? null,
        modality: series.modality ?? null,
        rows: series.rows,
        columns: series.columns,
        sliceCount: series.sliceCount,
        fileCount: series.fileCount,
        splitReason: series.splitReason ?? null,
        alreadyImported: alreadyImported[index] ?? null
      })),
      caseGroups: groupSeriesIntoCases(result.series)
    };
  }

  /**
   * Imports the chosen series; `cases` (confirmed from the scan's caseGroups) then become one case each, the first
   * series the reference. A case that cannot be formed (another frame of reference) leaves its series as separate
   * volumes and says why in `problems`. A series already in the project (same SeriesInstanceUID, and the same part of
   * a split series) is reported in `duplicates` and skipped, unless `allowDuplicates`.
   */
  async importSeries(
    project: Project,
    jobId: string,
    seriesIds: string[],
    cases: ConfirmedCase[] = [],
    allowDuplicates = false
  ): Promise<ImportResult> {
    const scan = this.scans.get(jobId);
    if (!scan || scan.projectId !== project.id) {
      throw new ApiError('not-found', 'That folder scan has expired or belongs to another project. Scan the folder again.');
    }
    const result: ImportResult = { imported: [], problems: [], duplicates: [] };
    const chosen: SeriesSummary[] = [];
    for (const series of scan.result.series.filter((candidate) => seriesIds.includes(candidate.id))) {
      const existing = allowDuplicates ? null : await findImportedSeries(project, series);
      if (existing) result.duplicates.push({ file: nameOf(series), reason: 'same-series', ...existing });
      else chosen.push(series);
    }
    const slicesTotal = chosen.reduce((sum, series) => sum + series.sliceCount, 0);
    let slicesBefore = 0;
    const volumeOfSeries = new Map<string, string>();
    await this.runJob(jobId, async (signal) => {
      for (const series of chosen) {
        const emit = (slicesDecoded: number) =>
          this.events.emit('onDidImportProgress', {
            projectId: project.id,
            jobId,
            phase: 'decoding',
            filesScanned: scan.result.filesScanned,
            seriesFound: scan.result.series.length,
            slicesDecoded: slicesBefore + slicesDecoded,
            slicesTotal
          });
        try {
          const imported = await loadDicomSeries(series, { signal, onProgress: (progress) => emit(progress.slicesDecoded) });
          signal.throwIfAborted();
          const summary = await addImportedVolume(project, imported, nameOf(series));
          result.imported.push(summary);
          volumeOfSeries.set(series.id, summary.id);
        } catch (error) {
          if (signal.aborted) throw error;
          if (!isImagingError(error)) throw error;
          result.problems.push({ file: nameOf(series), code: error.code, message: error.message });
        }
        slicesBefore += series.sliceCount;
      }
    });
    this.scans.delete(jobId);
    await formCases(project, cases, volumeOfSeries, result);
    if (result.imported.length > 0) this.events.emit('onDidChangeVolumes', { projectId: project.id });
    return result;
  }

  cancel(jobId: string): boolean {
    const controller = this.running.get(jobId);
    controller?.abort();
    return controller !== undefined;
  }

  private async runJob<T>(jobId: string, body: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.running.has(jobId)) throw new ApiError('busy', 'An import with this id is already running.');
    const controller = new AbortController();
    this.running.set(jobId, controller);
    try {
      return await body(controller.signal);
    } catch (error) {
      if (controller.signal.aborted) throw new ApiError('cancelled', 'The import was cancelled; nothing was added to the project.');
      if (isImagingError(error))
        throw new ApiError(
          'bad-file',
          error.message,
          error.files?.map((file) => ({ file: file.path, code: file.code, message: file.reason }))
        );
      throw error;
    } finally {
      this.running.delete(jobId);
    }
  }

  private pruneScans(): void {
    const now = Date.now();
    for (const [jobId, entry] of this.scans) if (now - entry.createdAt > scanLifetimeMs) this.scans.delete(jobId);
  }
}

export interface ConfirmedCase {
  seriesIds: string[];
  names?: string[] | undefined;
}

async function formCases(project: Project, cases: ConfirmedCase[], volumeOfSeries: Map<string, string>, result: ImportResult): Promise<void> {
  for (const confirmed of cases) {
    const [reference, ...others] = confirmed.seriesIds.map((seriesId) => volumeOfSeries.get(seriesId));
    const referenceSummary = result.imported.find((volume) => volume.id === reference);
    if (!reference || !referenceSummary) continue;
    const referenceName = confirmed.names?.[0];
    if (referenceName) await project.store.volumes.setSequenceName(reference, referenceName);
    // One sequence at a time, so that one that cannot join (another frame of reference) stays a volume of its own.
    for (const [index, other] of others.entries()) {
      if (!other) continue;
      const name = confirmed.names?.[index + 1];
      try {
        const grouped = await groupVolumesIntoCase(project, reference, [other], name ? [name] : []);
        result.imported = result.imported.filter((volume) => volume.id !== other);
        referenceSummary.sequences = grouped.sequences.map((sequence) => ({ id: sequence.id, name: sequence.name }));
        referenceSummary.warnings = [...referenceSummary.warnings, ...grouped.warnings];
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        const file = result.imported.find((volume) => volume.id === other)?.name ?? referenceSummary.name;
        result.problems.push({ file, code: error.code, message: `Not added to the case ${referenceSummary.name}: ${error.message}` });
      }
    }
  }
}

/** The volume already imported from this series: same SeriesInstanceUID and, for a part of a split series, same part. */
async function findImportedSeries(project: Project, series: SeriesSummary): Promise<{ volumeId: string; volumeName: string } | null> {
  if (!series.seriesInstanceUid) return null;
  const matches = await project.store.volumes.findBySeriesInstanceUid(series.seriesInstanceUid);
  const match = series.partLabel ? matches.find((volume) => volume.name === nameOf(series)) : matches[0];
  return match ? { volumeId: match.id, volumeName: match.name } : null;
}

function nameOf(series: { seriesDescription?: string; seriesNumber?: number; modality?: string; id: string; partLabel?: string }): string {
  const parts = [series.seriesNumber !== undefined ? `#${series.seriesNumber}` : null, series.seriesDescription ?? series.modality ?? 'DICOM series'];
  // The parts of a split series (the volumes of a 4-D series) each get their own name.
  return parts.filter(Boolean).join(' ') + (series.partLabel ? ` (${series.partLabel})` : '');
}
