import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError, type ExportResult, type ParsedCallInput } from '../../contract';
import { exportDicomSeg, exportNnunetDataset, exportProjectMasks, zipExportFolder } from '../../export';
import { createId } from '../../common';
import type { Project } from '../../project';
import type { CoreServices, HandlersFor } from './HandlerTypes';

/** nnU-Net's own examples use 001-010 for the Decathlon; 501 is far from the numbers users pick by hand. */
const DEFAULT_NNUNET_DATASET_ID = 501;

/** Exports go to `exports/<id>/` inside the project; the browser downloads them file by file. */
export function createExportHandlers({ workspace, appVersion }: CoreServices): HandlersFor<'exportMasks' | 'getExportFile' | 'getExportArchive'> {
  return {
    exportMasks: async (input, context) => {
      const project = await workspace.getProject(input.projectId);
      const exportId = `${new Date().toISOString().replace(/[:.]/g, '-')}-${createId().slice(0, 6)}`;
      const folder = join(project.folder, 'exports', exportId);
      const format = input.format ?? 'nifti';
      const result =
        format === 'nnunet'
          ? await exportNnunet(project, folder, input)
          : format === 'dicom-seg'
            ? await exportSeg(project, folder, input, appVersion)
            : await exportNifti(project, folder, input);
      // The desktop and the command line show where the files are; a browser gets no path of the server's.
      return { exportId, format, folder: context.host === 'web' ? `exports/${exportId}` : folder, ...result };
    },
    getExportFile: async ({ projectId, exportId, fileName }) => {
      const project = await workspace.getProject(projectId);
      const bytes = await readFile(join(project.folder, 'exports', exportId, fileName)).catch(() => {
        throw new ApiError('not-found', `${fileName} is not in that export.`);
      });
      return { fileName, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
    },
    getExportArchive: async ({ projectId, exportId }) => {
      const project = await workspace.getProject(projectId);
      const folder = join(project.folder, 'exports', exportId);
      const bytes = await zipExportFolder(folder).catch(() => {
        throw new ApiError('not-found', 'That export is no longer in the project folder.');
      });
      return { fileName: `${safeFileName(project.name)}-export-${exportId}.zip`, bytes };
    }
  };
}

type ExportInput = ParsedCallInput<'exportMasks'>;
type ExportFiles = Pick<ExportResult, 'cases' | 'files' | 'skipped'>;

async function exportNifti(project: Project, folder: string, input: ExportInput): Promise<ExportFiles> {
  const summary = await exportProjectMasks(project, folder, {
    ...(input.volumeIds ? { volumeIds: input.volumeIds } : {}),
    includeImages: input.includeImages ?? false,
    emptyMasksForAbsentScans: input.emptyMasksForAbsentScans ?? false,
    proposals: input.proposals ?? 'accepted'
  });
  if (summary.cases.length === 0) {
    throw new ApiError('conflict', 'There is nothing to export yet: no volume has a mask.');
  }
  const files = [
    'manifest.json',
    'manifest.csv',
    ...summary.cases.flatMap((c) => [c.maskFile, ...(c.imageFile ? [c.imageFile] : []), ...c.sequenceImageFiles.map((sequence) => sequence.file)])
  ];
  return {
    cases: summary.cases.map(({ caseId, volumeId, volumeName, maskFile, imageFile, maskedSlices, contents }) => ({
      caseId,
      volumeId,
      volumeName,
      maskFile,
      imageFile,
      maskedSlices,
      contents
    })),
    files,
    skipped: []
  };
}

async function exportSeg(project: Project, folder: string, input: ExportInput, softwareVersion: string): Promise<ExportFiles> {
  const summary = await exportDicomSeg(project, folder, { ...(input.volumeIds ? { volumeIds: input.volumeIds } : {}), softwareVersion });
  if (summary.cases.length === 0) {
    const reasons = summary.skipped.map((skipped) => skipped.reason);
    throw new ApiError(
      summary.skipped.length > 0 ? 'unsupported' : 'conflict',
      reasons.length > 0 ? reasons.slice(0, 5).join(' ') : 'There is nothing to export yet: no volume has a mask.'
    );
  }
  return {
    cases: summary.cases.map(({ caseId, volumeId, volumeName, segFile, frames }) => ({
      caseId,
      volumeId,
      volumeName,
      maskFile: segFile,
      imageFile: null,
      maskedSlices: frames
    })),
    files: summary.files,
    skipped: summary.skipped
  };
}

async function exportNnunet(project: Project, folder: string, input: ExportInput): Promise<ExportFiles> {
  const summary = await exportNnunetDataset(project, folder, {
    datasetId: input.datasetId ?? DEFAULT_NNUNET_DATASET_ID,
    ...(input.datasetName ? { datasetName: input.datasetName } : {}),
    ...(input.volumeIds ? { volumeIds: input.volumeIds } : {})
  });
  if (summary.cases.length === 0) throw new ApiError('conflict', 'There is nothing to export: the project has no scans.');
  if (!summary.cases.some((c) => c.split === 'train')) {
    throw new ApiError('conflict', 'An nnU-Net dataset needs at least one scan with tumour drawn (imagesTr); none has a mask yet.');
  }
  return {
    cases: summary.cases.map(({ caseId, volumeId, volumeName, labelFile, imageFile, maskedSlices, split }) => ({
      caseId,
      volumeId,
      volumeName,
      maskFile: labelFile,
      imageFile,
      maskedSlices,
      split
    })),
    files: summary.files,
    skipped: []
  };
}

/** A project's name as part of a file name: letters, digits, dot, dash and underscore. */
function safeFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 60) || 'genseg';
}
