import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { ApiError, type ImportProblem, type ImportResult, type VolumeLabelState, type VolumeSummary } from '../contract';
import type { SequenceRecord, VolumeRecord } from '../db';
import type { ImportedVolume } from '../imaging';
import { isImagingError } from '../imaging';
import { scalarTypeNameOf, type ScalarArray } from '../imaging';
import { guessSequenceName, readNiftiFile } from '../imaging';
import type { Project } from './Project';
import { createId } from '../common';

/**
 * Imports one NIfTI file into a project: decode, write the voxel cache, then insert the volume row. The row is the
 * commit point: if anything fails before it, the project is unchanged (a stray cache file is harmless and overwritten
 * by id never reused).
 */
export async function importNiftiFile(
  project: Project,
  path: string,
  displayName = basename(path),
  options: { allowDuplicates?: boolean } = {}
): Promise<ImportResult> {
  const contentHash = await hashFile(path).catch(() => null);
  if (contentHash && !options.allowDuplicates) {
    const [existing] = await project.store.volumes.findByContentHash(contentHash);
    if (existing) {
      return {
        imported: [],
        problems: [],
        duplicates: [{ file: displayName, reason: 'same-file', volumeId: existing.id, volumeName: existing.name }]
      };
    }
  }
  let imported: ImportedVolume;
  try {
    imported = await readNiftiFile(path);
  } catch (error) {
    const problem = toImportProblem(error, displayName);
    // The reader names the file by its path; an upload's path is the server's own, so the user's name replaces it.
    return { imported: [], problems: [{ ...problem, message: problem.message.replaceAll(path, displayName) }], duplicates: [] };
  }
  const name = displayName.replace(/\.nii(\.gz)?$/i, '');
  // Without a description in the header the reader names the series after the file: an upload's stored name
  // (`<id>-<name>`) is the server's, so the user's own name replaces it.
  if (imported.description.seriesDescription === basename(path).replace(/\.nii(\.gz)?$/i, '')) {
    imported = { ...imported, description: { ...imported.description, seriesDescription: name } };
  }
  const summary = await addImportedVolume(project, imported, name, { contentHash });
  return { imported: [summary], problems: [], duplicates: [] };
}

/** SHA-256 of a file's bytes, hex, read as a stream (scans can be larger than is worth holding twice). */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A series of one slice is usually a localiser or a single image exported by mistake: the user should know. */
export const oneSliceWarning =
  'This series has only one slice: it may be a localiser or a single exported image. Tags and masks work, but there is no slice to scroll to.';

export async function addImportedVolume(
  project: Project,
  imported: ImportedVolume,
  name: string,
  options: { contentHash?: string | null } = {}
): Promise<VolumeSummary> {
  const id = createId();
  const { volume, description } = imported;
  const warnings = volume.geometry.dimensions[2] === 1 ? [...description.warnings, oneSliceWarning] : description.warnings;
  const cacheFile = await project.volumeCache.write(id, volume.scalars);
  const [minValue, maxValue] = rangeOf(volume.scalars);
  const [low, high] = robustRange(volume.scalars, minValue, maxValue);
  const record: VolumeRecord = {
    id,
    name,
    sourceKind: description.sourceFormat,
    sourceFiles: description.sourceFiles,
    patientName: description.patientName ?? null,
    patientId: description.patientId ?? null,
    studyDescription: description.studyDescription ?? null,
    studyDate: description.studyDate ?? null,
    seriesDescription: description.seriesDescription ?? null,
    modality: description.modality ?? null,
    seriesInstanceUid: description.seriesInstanceUid ?? null,
    dimensions: volume.geometry.dimensions,
    voxelToPatient: volume.geometry.voxelToPatient,
    niftiLayout: volume.geometry.niftiLayout ?? null,
    scalarType: scalarTypeNameOf(volume.scalars),
    minValue,
    maxValue,
    // The window the scanner chose, as radiology viewers open with; otherwise the tissue's robust range.
    windowCenter: description.window?.center ?? (low + high) / 2,
    windowWidth: description.window?.width ?? Math.max(high - low, 1e-6),
    cacheFile,
    warnings,
    volumeIndex: description.volumeIndex ?? null,
    volumeCount: description.volumeCount ?? null,
    scaling: description.scaling ?? null,
    createdAt: new Date().toISOString(),
    // Named only when the description or file names a known sequence; the user confirms it when grouping.
    sequenceName: knownSequenceOf(description.seriesDescription, name, description.sourceFiles),
    frameOfReference: description.frameOfReference ?? null,
    studyInstanceUid: description.studyInstanceUid ?? null,
    contentHash: options.contentHash ?? null
  };
  await project.store.volumes.insert(record);
  return toVolumeSummary(record);
}

const unlabelled: VolumeLabelState = { scan: 'unknown', presentSlices: 0, absentSlices: 0, maskedSlices: 0, pendingProposals: 0, disagreement: false };

export function toVolumeSummary(record: VolumeRecord, labels: VolumeLabelState = unlabelled, sequences: SequenceRecord[] = []): VolumeSummary {
  return {
    id: record.id,
    name: record.name,
    sourceKind: record.sourceKind,
    patientName: record.patientName,
    patientId: record.patientId,
    studyDescription: record.studyDescription,
    studyDate: formatStudyDate(record.studyDate ?? null),
    seriesDescription: record.seriesDescription,
    modality: record.modality,
    geometry: { dimensions: record.dimensions, voxelToPatient: record.voxelToPatient },
    scalarType: record.scalarType,
    minValue: record.minValue,
    maxValue: record.maxValue,
    windowCenter: record.windowCenter,
    windowWidth: record.windowWidth,
    warnings: record.warnings,
    volumeIndex: record.volumeIndex,
    volumeCount: record.volumeCount,
    scaling: record.scaling?.text ?? null,
    createdAt: record.createdAt,
    labels,
    sequences: [
      { id: record.id, name: record.sequenceName ?? null },
      ...sequences.map((sequence) => ({ id: sequence.id, name: sequence.name }))
    ]
  };
}

function knownSequenceOf(description: string | undefined, name: string, files: string[]): string | null {
  const guess = guessSequenceName(description, name, files.length === 1 ? basename(files[0]!) : null);
  return guess.known ? guess.name : null;
}

/** DICOM's YYYYMMDD as YYYY-MM-DD; anything else as stored (some writers put their own form there). */
function formatStudyDate(date: string | null): string | null {
  if (!date) return null;
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(date.trim());
  return match ? `${match[1]}-${match[2]}-${match[3]}` : date.trim();
}

function toImportProblem(error: unknown, file: string): ImportProblem {
  if (isImagingError(error)) return { file, code: error.code, message: error.message };
  if (error instanceof ApiError) return { file, code: error.code, message: error.message };
  throw error;
}

/** The smallest and largest voxel value ([0, 0] for no voxels). */
export function rangeOf(scalars: ArrayLike<number>): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let index = 0; index < scalars.length; index += 1) {
    const value = scalars[index]!;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return scalars.length === 0 ? [0, 0] : [min, max];
}

/**
 * The 0.5 and 99.5 percentiles of the nonzero voxels, from a 4,096-bin histogram: a first window that shows tissue
 * rather than being stretched by background and a few extreme voxels.
 */
export function robustRange(scalars: ScalarArray, minValue: number, maxValue: number): [number, number] {
  if (!(maxValue > minValue)) return [minValue, maxValue];
  const bins = 4096;
  const histogram = new Uint32Array(bins);
  const scale = (bins - 1) / (maxValue - minValue);
  let count = 0;
  for (let index = 0; index < scalars.length; index += 1) {
    const value = scalars[index]!;
    if (value === 0 || Number.isNaN(value)) continue;
    histogram[Math.floor((value - minValue) * scale)]! += 1;
    count += 1;
  }
  if (count === 0) return [minValue, maxValue];
  const at = (fraction: number) => {
    let seen = 0;
    for (let bin = 0; bin < bins; bin += 1) {
      seen += histogram[bin]!;
      if (seen >= fraction * count) return minValue + bin / scale;
    }
    return maxValue;
  };
  return [at(0.005), at(0.995)];
}
