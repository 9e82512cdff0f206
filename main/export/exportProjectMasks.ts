import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { readVolumeMask } from '../annotation';
import { geometryOf } from '../db';
import { createScalarArray } from '../imaging';
import type { Project } from '../project';
import { syncFolder, writeFileAtomically } from '../common';
import { describeForNiftiDescrip, describeVolumeProvenance, type VolumeProvenance } from './describeVolumeForExport';
import { writeNiftiImage } from './writeNiftiImage';
import { writeNiftiMask } from './writeNiftiMask';

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
  maskedSlices: number[];
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

/**
 * Writes every chosen volume's mask as a NIfTI label map on the volume's own grid (and, if asked, the image too),
 * plus `manifest.json` and `manifest.csv` naming each case, its source series and its files. Volumes without any
 * mask are skipped unless named explicitly. Nothing is cropped, resampled or dropped.
 */
export async function exportProjectMasks(
  project: Project,
  folder: string,
  options: { volumeIds?: string[]; includeImages?: boolean; signal?: AbortSignal } = {}
): Promise<ExportSummary> {
  await mkdir(folder, { recursive: true });
  const masked = await project.store.masks.countMaskedSlicesByVolume();
  const volumes = (await project.store.volumes.list()).filter((volume) =>
    options.volumeIds ? options.volumeIds.includes(volume.id) : masked.has(volume.id)
  );
  const cases: ExportedCase[] = [];
  for (const [index, volume] of volumes.entries()) {
    options.signal?.throwIfAborted();
    const caseId = `case_${String(index + 1).padStart(4, '0')}`;
    const geometry = geometryOf(volume);
    const { labels, maskedSlices } = await readVolumeMask(project.store, volume);
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
    cases.push({
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
      ...describeVolumeProvenance(volume)
    });
  }
  const manifest = { format: 'genseg-workstation-export', version: 1, project: project.name, exportedAt: new Date().toISOString(), cases };
  await writeFileAtomically(join(folder, 'manifest.json'), new TextEncoder().encode(JSON.stringify(manifest, null, 2)));
  await writeFileAtomically(join(folder, 'manifest.csv'), new TextEncoder().encode(toCsv(cases)));
  // Each file is fsynced as it is written; the export folder's own name is made durable here.
  await syncFolder(dirname(folder));
  return { folder, cases, manifestFile: 'manifest.json' };
}

/**
 * A cell a spreadsheet would run as a formula (it starts with =, +, -, @, a tab or a carriage return) gets a leading
 * apostrophe, so a volume named `=HYPERLINK(...)` is shown as text (OWASP's advice against CSV injection).
 */
function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

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
    'masked_slices',
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
      c.maskedSlices.length,
      c.scaling?.text,
      c.warnings.join(' | ')
    ]
      .map(quote)
      .join(',')
  );
  return [header.join(','), ...rows].join('\n') + '\n';
}
