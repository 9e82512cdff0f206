/**
 * DICOM SEG export: one binary Segmentation instance per volume imported from DICOM, with one segment, "Tumour"
 * (category SCT 49755003 Morphologically Abnormal Structure, type SCT 108369006 Neoplasm), one frame per slice with
 * tumour, each frame referencing its own source image. The segment's algorithm identification says how its slices came
 * to be: MANUAL when every slice was drawn (or imported from a file), SEMIAUTOMATIC with the model versions named when any slice was
 * accepted or edited from a model's proposal; each frame's Frame Comments say which, for that slice.
 *
 * A volume imported from NIfTI cannot have a SEG (a SEG references DICOM instances, a frame of reference and a patient
 * that a NIfTI file does not have); it is listed as skipped with that reason.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readVolumeMask } from '../annotation';
import { writeFileAtomically } from '../common';
import { geometryOf, type MaskSlice, type ModelVersionRecord } from '../db';
import { DICOM_CODES, isImagingError, readDicomSourceImages, writeDicomSeg, type SegSegmentDescription } from '../imaging';
import type { Project } from '../project';
import { describeVolumeProvenance, type VolumeProvenance } from './describeVolumeForExport';

export interface DicomSegCase {
  caseId: string;
  volumeId: string;
  volumeName: string;
  segFile: string;
  seriesInstanceUid: string | null;
  segSeriesInstanceUid: string;
  segSopInstanceUid: string;
  /** Slices (k) with a frame in the SEG. */
  frames: number[];
  algorithmType: SegSegmentDescription['algorithmType'];
  /** The volume's place in a 4-D series, the scaling applied on import and its import warnings. */
  volumeIndex: number | null;
  volumeCount: number | null;
  scaling: VolumeProvenance['scaling'];
  warnings: string[];
}

export interface DicomSegSkipped {
  volumeId: string;
  volumeName: string;
  reason: string;
}

export interface DicomSegExportSummary {
  folder: string;
  cases: DicomSegCase[];
  skipped: DicomSegSkipped[];
  files: string[];
}

export const NIFTI_CANNOT_HAVE_SEG =
  'it was imported from NIfTI, and a DICOM SEG must reference the DICOM images it segments (their SOP instances, ' +
  'frame of reference, study and patient), which a NIfTI file does not carry; export it as NIfTI or nnU-Net instead.';

export async function exportDicomSeg(
  project: Project,
  folder: string,
  options: { volumeIds?: string[]; softwareVersion?: string; signal?: AbortSignal } = {}
): Promise<DicomSegExportSummary> {
  await mkdir(folder, { recursive: true });
  const masked = await project.store.masks.countMaskedSlicesByVolume();
  const volumes = (await project.store.volumes.list()).filter((volume) =>
    options.volumeIds ? options.volumeIds.includes(volume.id) : masked.has(volume.id)
  );
  const models = new Map((await project.store.modelVersions.list({ includeDeleted: true })).map((model) => [model.id, model]));
  const cases: DicomSegCase[] = [];
  const skipped: DicomSegSkipped[] = [];
  for (const [index, volume] of volumes.entries()) {
    options.signal?.throwIfAborted();
    const skip = (reason: string) => skipped.push({ volumeId: volume.id, volumeName: volume.name, reason });
    if (volume.sourceKind !== 'dicom') {
      skip(`No DICOM SEG for ${volume.name}: ${NIFTI_CANNOT_HAVE_SEG}`);
      continue;
    }
    const { labels, maskedSlices } = await readVolumeMask(project.store, volume);
    if (!labels.some((value) => value !== 0)) {
      skip(`No DICOM SEG for ${volume.name}: no tumour is drawn on it.`);
      continue;
    }
    const caseId = `case_${String(index + 1).padStart(4, '0')}`;
    const slices = new Map((await project.store.masks.getSlices(volume.id, maskedSlices)).map((slice) => [slice.sliceIndex, slice]));
    try {
      const sources = await readDicomSourceImages(volume.sourceFiles, geometryOf(volume), { signal: options.signal });
      const segment = describeSegment([...slices.values()].filter((slice) => slice.labels.some((v) => v !== 0)), models);
      const written = await writeDicomSeg({
        sources,
        dimensions: volume.dimensions,
        labels,
        segment,
        frameComment: (k) => describeSlice(slices.get(k), models),
        series: {
          description: `GenSeg tumour mask${volume.seriesDescription ? ` of ${volume.seriesDescription}` : ''}`.slice(0, 64),
          number: 9000 + index + 1,
          contentLabel: 'TUMOUR',
          contentDescription: `Tumour mask exported by GenSeg Workstation from project ${project.name}`.slice(0, 64),
          manufacturer: 'GenSeg Workstation',
          modelName: 'GenSeg Workstation',
          softwareVersions: options.softwareVersion ?? 'unknown'
        }
      });
      const segFile = `${caseId}_seg.dcm`;
      await writeFileAtomically(join(folder, segFile), written.bytes);
      cases.push({
        caseId,
        volumeId: volume.id,
        volumeName: volume.name,
        segFile,
        seriesInstanceUid: volume.seriesInstanceUid,
        segSeriesInstanceUid: written.seriesInstanceUid,
        segSopInstanceUid: written.sopInstanceUid,
        frames: written.frames,
        algorithmType: segment.algorithmType,
        ...describeVolumeProvenance(volume)
      });
    } catch (error) {
      if (!isImagingError(error)) throw error;
      skip(`No DICOM SEG for ${volume.name}: ${error.message}`);
    }
  }
  const manifest = { format: 'genseg-workstation-dicom-seg-export', version: 1, project: project.name, exportedAt: new Date().toISOString(), cases, skipped };
  await writeFileAtomically(join(folder, 'manifest.json'), new TextEncoder().encode(JSON.stringify(manifest, null, 2)));
  return { folder, cases, skipped, files: ['manifest.json', ...cases.map((c) => c.segFile)] };
}

function modelName(id: string | null, models: Map<string, ModelVersionRecord>): string {
  const model = id ? models.get(id) : undefined;
  return model ? `GenSeg model version ${model.number} (${model.method})` : 'a GenSeg model version since deleted';
}

/** The segment's algorithm: manual unless a model proposed any of its slices. */
export function describeSegment(slices: MaskSlice[], models: Map<string, ModelVersionRecord>): SegSegmentDescription {
  const base = { label: 'Tumour', category: DICOM_CODES.morphologicallyAbnormalStructure, type: DICOM_CODES.neoplasm };
  const fromModel = slices.filter((slice) => slice.provenance === 'proposal-accepted' || slice.provenance === 'proposal-edited');
  const count = (provenance: MaskSlice['provenance']) => slices.filter((slice) => slice.provenance === provenance).length;
  const parameters = `slices drawn: ${count('user')}; imported: ${count('imported')}; accepted from a model: ${count('proposal-accepted')}; edited from a model: ${count('proposal-edited')}`;
  if (fromModel.length === 0) {
    return {
      ...base,
      algorithmType: 'MANUAL',
      algorithmIdentification: { family: DICOM_CODES.manualProcessing, name: 'Drawn in GenSeg Workstation', version: '1', parameters }
    };
  }
  const names = [...new Set(fromModel.map((slice) => modelName(slice.modelVersionId, models)))].sort();
  return {
    ...base,
    algorithmType: 'SEMIAUTOMATIC',
    algorithmName: names.join(', ').slice(0, 64),
    algorithmIdentification: {
      family: DICOM_CODES.artificialIntelligence,
      name: names.join(', ').slice(0, 64),
      version: names.map((name) => name.match(/version (\d+)/)?.[1] ?? '?').join(', '),
      parameters
    }
  };
}

/** One frame's comment: drawn, accepted from a model version, or edited from one. */
export function describeSlice(slice: MaskSlice | undefined, models: Map<string, ModelVersionRecord>): string | undefined {
  if (!slice) return undefined;
  switch (slice.provenance) {
    case 'user':
      return `drawn by ${slice.author} (version ${slice.version}, ${slice.updatedAt})`;
    case 'proposal-accepted':
      return `accepted from ${modelName(slice.modelVersionId, models)} by ${slice.author} (${slice.updatedAt})`;
    case 'proposal-edited':
      return `edited from ${modelName(slice.modelVersionId, models)} by ${slice.author} (${slice.updatedAt})`;
    case 'imported':
      return `imported from ${slice.sourceFile ?? 'a file'} by ${slice.author} (${slice.updatedAt})`;
    default:
      return `${String(slice.provenance)} by ${slice.author}`;
  }
}

