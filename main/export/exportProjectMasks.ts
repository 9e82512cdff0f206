import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { geometryOf } from '../db';
import { createScalarArray } from '../imaging';
import type { Project } from '../project';
import { syncFolder, writeFileAtomically } from '../common';
import { describeForNiftiDescrip, describeVolumeProvenance, type VolumeProvenance } from './describeVolumeForExport';
import { writeNiftiImage } from './writeNiftiImage';
import { writeNiftiMask } from './writeNiftiMask';

/** What a slice of an exported mask holds, and where it came from. */
export type ExportedSliceSource = 'drawn' | 'imported' | 'accepted' | 'edited' | 'pending-proposal';

export interface ExportedCase {
  caseId: string;
  volumeId: string;
  volumeName: string;
  sourceKind: 'nifti' | 'dicom';
  seriesInstanceUid: string | null;
  sourceFiles: number;
  maskFile: string;
  imageFile: string | null;
  /** With images, a multi-sequence case's other sequences, each on the case's grid: `<case>_image_<name>.nii.gz`. */
  sequenceImageFiles: { name: string; file: string }[];
  /** Slices (voxel k, 0-based as in the API) with tumour in the written mask. */
  maskedSlices: number[];
  /** What the mask holds, in words. */
  contents: string;
  /** The scan's tag: 'absent' cases without tumour are written as empty masks when asked to. */
  scanTag: 'present' | 'absent' | 'unknown';
  /** Per source, the slices (k, 0-based) of the written mask that came from it. */
  sliceSources: Partial<Record<ExportedSliceSource, number[]>>;
  /** The model version (its number) of a pending proposal written into the mask, if any. */
  pendingProposalModel: number | null;
  /** The volume's place in a 4-D series, the scaling applied on import and its import warnings. */
  volumeIndex: number | null;
  volumeCount: number | null;
  scaling: VolumeProvenance['scaling'];
  warnings: string[];
}

export interface ExportSummary {
  /** Folder the files were written to. */
  folder: string;
  cases: ExportedCase[];
  manifestFile: string;
}

export interface ExportMaskOptions {
  volumeIds?: string[];
  includeImages?: boolean;
  /** Scans tagged no tumour, without a mask, as empty masks (label 0 everywhere): negative cases for training elsewhere. */
  emptyMasksForAbsentScans?: boolean;
  /**
   * Which model proposals go into the masks: 'accepted' (the default: slices the user accepted or edited are mask
   * slices), 'none' (only slices drawn, edited or imported by a person), 'accepted-and-pending' (also the newest
   * pending proposal on slices nobody drew or rejected, marked as such in the manifest).
   */
  proposals?: 'none' | 'accepted' | 'accepted-and-pending';
  signal?: AbortSignal;
}

const sourceOfProvenance = { user: 'drawn', imported: 'imported', 'proposal-accepted': 'accepted', 'proposal-edited': 'edited' } as const;

/**
 * Writes every chosen volume's mask as a NIfTI label map on the volume's own grid (and, if asked, the image too),
 * plus `manifest.json` and `manifest.csv` naming each case, its source series, its files and where each slice's mask
 * came from. Slice numbers in both manifests are 1-based, as the app and the CLI show them (slice number = voxel
 * k + 1). Volumes without any mask are skipped unless named explicitly (or included by the options). Nothing is
 * cropped, resampled or dropped.
 */
export async function exportProjectMasks(project: Project, folder: string, options: ExportMaskOptions = {}): Promise<ExportSummary> {
  await mkdir(folder, { recursive: true });
  const proposalsMode = options.proposals ?? 'accepted';
  const masked = await project.store.masks.countMaskedSlicesByVolume();
  const pending = proposalsMode === 'accepted-and-pending' ? await project.store.proposals.countPendingByVolume() : new Map<string, number>();
  const tags = await project.store.sliceLabels.summariseByVolume();
  const versionNumbers = new Map((await project.store.modelVersions.list()).map((version) => [version.id, version.number]));
  const volumes = (await project.store.volumes.list()).filter((volume) =>
    options.volumeIds
      ? options.volumeIds.includes(volume.id)
      : masked.has(volume.id) || pending.has(volume.id) || (options.emptyMasksForAbsentScans === true && tags.get(volume.id)?.scan === 'absent')
  );
  const cases: ExportedCase[] = [];
  for (const volume of volumes) {
    options.signal?.throwIfAborted();
    const [columns, rows, sliceCount] = volume.dimensions;
    const sliceSize = columns * rows;
    const labels = new Uint8Array(sliceSize * sliceCount);
    const sliceSources: ExportedCase['sliceSources'] = {};
    const add = (source: ExportedSliceSource, k: number) => (sliceSources[source] ??= []).push(k);
    const decided = new Set<number>();
    for (const slice of await project.store.masks.getSlices(volume.id)) {
      decided.add(slice.sliceIndex);
      if (proposalsMode === 'none' && slice.provenance === 'proposal-accepted') continue;
      if (!slice.labels.some((value) => value !== 0)) continue;
      labels.set(slice.labels, slice.sliceIndex * sliceSize);
      add(sourceOfProvenance[slice.provenance], slice.sliceIndex);
    }
    let pendingProposalModel: number | null = null;
    if (pending.has(volume.id)) {
      const proposal = (await project.store.proposals.listForVolume(volume.id)).find((candidate) => candidate.status === 'pending');
      if (proposal) {
        pendingProposalModel = versionNumbers.get(proposal.modelVersionId) ?? null;
        for (let k = 0; k < sliceCount; k += 1) {
          if (decided.has(k) || proposal.reviewedSlices[k] !== undefined || !(proposal.sliceAreas[k]! > 0)) continue;
          const slice = proposal.labels.subarray(k * sliceSize, (k + 1) * sliceSize);
          if (!slice.some((value) => value !== 0)) continue;
          for (let index = 0; index < sliceSize; index += 1) labels[k * sliceSize + index] = slice[index] ? 1 : 0;
          add('pending-proposal', k);
        }
      }
    }
    const maskedSlices = Object.values(sliceSources).flat().sort((a, b) => a - b);
    const scanTag = tags.get(volume.id)?.scan ?? 'unknown';
    // A scan named explicitly is exported as asked; otherwise a case needs tumour, or an empty mask asked for.
    if (!options.volumeIds && maskedSlices.length === 0 && !(options.emptyMasksForAbsentScans && scanTag === 'absent')) continue;
    const caseId = `case_${String(cases.length + 1).padStart(4, '0')}`;
    const geometry = geometryOf(volume);
    const maskFile = `${caseId}_mask.nii.gz`;
    await writeNiftiMask(geometry, labels, join(folder, maskFile), { description: describeForNiftiDescrip('GenSeg mask', volume) });
    let imageFile: string | null = null;
    const sequenceImageFiles: ExportedCase['sequenceImageFiles'] = [];
    if (options.includeImages) {
      imageFile = `${caseId}_image.nii.gz`;
      const bytes = await project.volumeCache.read(volume.cacheFile);
      const scalars = createScalarArray(volume.scalarType, bytes.slice().buffer);
      await writeNiftiImage({ geometry, scalars }, join(folder, imageFile), { description: describeForNiftiDescrip('GenSeg image', volume) });
      // The other sequences of the case, on its grid and voxel order, so each overlays the mask voxel for voxel.
      for (const sequence of await project.store.sequences.listForVolume(volume.id)) {
        const file = `${caseId}_image_${sequence.name.replace(/[^A-Za-z0-9+-]+/g, '_')}.nii.gz`;
        const sequenceBytes = await project.volumeCache.read(sequence.cacheFile);
        const sequenceScalars = createScalarArray(sequence.scalarType, sequenceBytes.slice().buffer);
        await writeNiftiImage({ geometry, scalars: sequenceScalars }, join(folder, file), { description: `GenSeg ${sequence.name}`.slice(0, 79) });
        sequenceImageFiles.push({ name: sequence.name, file });
      }
    }
    const exported: ExportedCase = {
      caseId,
      volumeId: volume.id,
      volumeName: volume.name,
      sourceKind: volume.sourceKind,
      seriesInstanceUid: volume.seriesInstanceUid,
      sourceFiles: volume.sourceFiles.length,
      maskFile,
      imageFile,
      sequenceImageFiles,
      maskedSlices,
      contents: '',
      scanTag,
      sliceSources,
      pendingProposalModel,
      ...describeVolumeProvenance(volume)
    };
    exported.contents = describeContents(exported);
    cases.push(exported);
  }
  const manifest = {
    format: 'genseg-workstation-export',
    version: 2,
    project: project.name,
    exportedAt: new Date().toISOString(),
    sliceNumbering: '1-based: slice number n is voxel index k = n - 1 along the scan\'s third axis, as the app shows it',
    options: { emptyMasksForAbsentScans: options.emptyMasksForAbsentScans === true, proposals: proposalsMode },
    cases: cases.map(toManifestCase)
  };
  await writeFileAtomically(join(folder, 'manifest.json'), new TextEncoder().encode(JSON.stringify(manifest, null, 2)));
  await writeFileAtomically(join(folder, 'manifest.csv'), new TextEncoder().encode(toCsv(cases)));
  // Each file is fsynced as it is written; the export folder's own name is made durable here.
  await syncFolder(dirname(folder));
  return { folder, cases, manifestFile: 'manifest.json' };
}

const numbered = (slices: number[] | undefined) => (slices ?? []).map((k) => k + 1);

/** A case as the manifest writes it: slice numbers 1-based, each source's slices, what a pending proposal is. */
function toManifestCase(exported: ExportedCase) {
  const { maskedSlices, sliceSources, pendingProposalModel, ...rest } = exported;
  return {
    ...rest,
    maskedSliceNumbers: numbered(maskedSlices),
    sliceNumbersBySource: {
      drawn: numbered(sliceSources.drawn),
      imported: numbered(sliceSources.imported),
      acceptedFromModel: numbered(sliceSources.accepted),
      editedFromModel: numbered(sliceSources.edited),
      pendingProposalNotReviewed: numbered(sliceSources['pending-proposal'])
    },
    pendingProposalModelVersion: pendingProposalModel
  };
}

function describeContents(exported: ExportedCase): string {
  if (exported.maskedSlices.length === 0) return exported.scanTag === 'absent' ? 'empty mask: scan tagged no tumour' : 'empty mask';
  const parts: string[] = [];
  const count = (source: ExportedSliceSource) => exported.sliceSources[source]?.length ?? 0;
  if (count('drawn')) parts.push(`${count('drawn')} drawn`);
  if (count('imported')) parts.push(`${count('imported')} imported`);
  if (count('accepted')) parts.push(`${count('accepted')} accepted from a model`);
  if (count('edited')) parts.push(`${count('edited')} edited from a model`);
  if (count('pending-proposal')) parts.push(`${count('pending-proposal')} pending proposal of model ${exported.pendingProposalModel ?? '?'}, not reviewed`);
  return parts.join('; ');
}

/** Slice numbers as short ranges: 3-7;12. */
function formatSliceNumbers(slices: number[]): string {
  const parts: string[] = [];
  let start: number | undefined;
  let previous: number | undefined;
  for (const number of [...numbered(slices), Number.NaN]) {
    if (previous !== undefined && number === previous + 1) {
      previous = number;
      continue;
    }
    if (start !== undefined) parts.push(start === previous ? `${start}` : `${start}-${previous}`);
    start = number;
    previous = number;
  }
  return parts.join(';');
}

/**
 * A cell a spreadsheet would run as a formula (it starts with =, +, -, @, a tab or a carriage return) gets a leading
 * apostrophe, so a volume named `=HYPERLINK(...)` is shown as text (OWASP's advice against CSV injection).
 */
function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** One row per case; slice numbers 1-based (the column names say so), ranges as `3-7;12`. */
function toCsv(cases: ExportedCase[]): string {
  const quote = (value: unknown) => `"${neutraliseFormula(String(value ?? '')).replaceAll('"', '""')}"`;
  const header = [
    'case_id',
    'volume_id',
    'volume_name',
    'source_kind',
    'series_instance_uid',
    'volume_index',
    'volume_count',
    'mask_file',
    'image_file',
    'scan_tag',
    'masked_slice_count',
    'masked_slice_numbers_1based',
    'pending_proposal_slice_numbers_1based',
    'contents',
    'scaling',
    'warnings'
  ];
  const rows = cases.map((c) =>
    [
      c.caseId,
      c.volumeId,
      c.volumeName,
      c.sourceKind,
      c.seriesInstanceUid,
      c.volumeIndex,
      c.volumeCount,
      c.maskFile,
      c.imageFile,
      c.scanTag,
      c.maskedSlices.length,
      formatSliceNumbers(c.maskedSlices),
      formatSliceNumbers(c.sliceSources['pending-proposal'] ?? []),
      c.contents,
      c.scaling?.text,
      c.warnings.join(' | ')
    ]
      .map(quote)
      .join(',')
  );
  return [header.join(','), ...rows].join('\n') + '\n';
}
