/**
 * nnU-Net v2 dataset export (https://github.com/MIC-DKFZ/nnUNet/blob/master/documentation/dataset_format.md):
 * `DatasetNNN_Name/imagesTr`, `labelsTr`, `imagesTs` and `dataset.json`.
 *
 * A slice nobody annotated is not background. nnU-Net v2's ignore label (the highest label value, named "ignore") lets
 * partially annotated scans train: in a scan with a drawn mask, slices with tumour drawn keep their mask (0 outside the
 * tumour, 1 inside), slices tagged absent are background (0), and every other slice is the ignore value. Scans with no
 * tumour drawn at all have no usable label map and go to `imagesTs`.
 *
 * The export is deterministic (same project state, same bytes: no dates in any file, gzip without a timestamp) and the
 * case ids are the volume ids, so a case keeps its id across exports. A project that trains on several sequences
 * (issue 18) exports them as channels `<case>_0000` … in its order, named in `channel_names`.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { geometryOf, type ProjectStore, type VolumeRecord } from '../db';
import { createScalarArray } from '../imaging';
import { ApiError } from '../contract';
import { resolveCaseSequences, trainingSequencesKey, type Project } from '../project';
import { writeFileAtomically } from '../common';
import { describeForNiftiDescrip, describeVolumeProvenance, type VolumeProvenance } from './describeVolumeForExport';
import { writeNiftiImage } from './writeNiftiImage';
import { writeNiftiMask } from './writeNiftiMask';

export const NNUNET_BACKGROUND = 0;
export const NNUNET_TUMOUR = 1;
export const NNUNET_IGNORE = 2;

export interface NnunetCase {
  caseId: string;
  volumeId: string;
  volumeName: string;
  split: 'train' | 'test';
  /** Paths relative to the export folder (`DatasetNNN_Name/imagesTr/<case>_0000.nii.gz`): channel 0. */
  imageFile: string;
  /** Every channel's file, `<case>_0000` … in the project's sequence order (one for a one-sequence project). */
  imageFiles: string[];
  labelFile: string | null;
  /** Slice indices (k) whose label is the drawn mask, background because tagged absent, or ignored. */
  maskedSlices: number[];
  absentSlices: number[];
  ignoredSlices: number[];
  /** The volume's place in a 4-D series, the scaling applied on import and its import warnings. */
  provenance: VolumeProvenance;
}

export interface NnunetDatasetJson {
  channel_names: Record<string, string>;
  labels: Record<string, number>;
  numTraining: number;
  file_ending: '.nii.gz';
  name: string;
  description: string;
  reference: string;
  licence: string;
  release: string;
}

export interface NnunetExportSummary {
  /** `DatasetNNN_Name`, the folder inside the export folder. */
  datasetFolder: string;
  datasetJson: NnunetDatasetJson;
  cases: NnunetCase[];
  /** Every file written, relative to the export folder. */
  files: string[];
}

export interface NnunetExportOptions {
  /** nnU-Net's dataset number, 1 to 999 (nnU-Net reserves 001-010 for the Medical Segmentation Decathlon). */
  datasetId: number;
  /** Letters, digits and underscores; defaults to the project's name made so. */
  datasetName?: string;
  volumeIds?: string[];
  signal?: AbortSignal;
}

/** `Dataset042_Brains`: the folder name nnU-Net expects. */
export function nnunetDatasetFolderName(datasetId: number, name: string): string {
  if (!Number.isInteger(datasetId) || datasetId < 1 || datasetId > 999) {
    throw new RangeError(`An nnU-Net dataset number is 1 to 999, not ${datasetId}.`);
  }
  const cleaned = name.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '') || 'GenSeg';
  return `Dataset${String(datasetId).padStart(3, '0')}_${cleaned.slice(0, 64)}`;
}

/** Stable across exports: the volume's id, which never changes and is letters and digits only. */
export function nnunetCaseId(volume: Pick<VolumeRecord, 'id'>): string {
  return `case_${volume.id}`;
}

export async function exportNnunetDataset(project: Project, folder: string, options: NnunetExportOptions): Promise<NnunetExportSummary> {
  const datasetFolder = nnunetDatasetFolderName(options.datasetId, options.datasetName ?? project.name);
  const root = join(folder, datasetFolder);
  // A dataset folder is written whole: a rerun into the same folder never keeps a case from an earlier state.
  await rm(root, { recursive: true, force: true });
  for (const sub of ['imagesTr', 'labelsTr', 'imagesTs']) await mkdir(join(root, sub), { recursive: true });

  const wanted = options.volumeIds ? new Set(options.volumeIds) : null;
  const volumes = (await project.store.volumes.list())
    .filter((volume) => !wanted || wanted.has(volume.id))
    // Code-point order, not the locale's: the same on every machine.
    .sort((a, b) => (nnunetCaseId(a) < nnunetCaseId(b) ? -1 : nnunetCaseId(a) > nnunetCaseId(b) ? 1 : 0));

  // Channels: the sequences chosen for the project's models, in their order (issue 18); none chosen: the reference.
  const sequenceNames = (await project.store.settings.get<string[]>(trainingSequencesKey)) ?? [];
  const channelSources = new Map<string, Pick<VolumeRecord, 'cacheFile' | 'scalarType'>[]>();
  const lacking: string[] = [];
  for (const volume of volumes) {
    if (sequenceNames.length === 0) {
      channelSources.set(volume.id, [volume]);
      continue;
    }
    const { sources, missing } = resolveCaseSequences(volume, await project.store.sequences.listForVolume(volume.id), sequenceNames);
    if (missing.length > 0) lacking.push(`${volume.name} (${missing.join(', ')})`);
    channelSources.set(volume.id, sources);
  }
  if (lacking.length > 0)
    throw new ApiError(
      'conflict',
      `An nnU-Net dataset needs every channel (${sequenceNames.join(', ')}) in every case, and these scans lack some: ${lacking.slice(0, 10).join(', ')}${lacking.length > 10 ? ` and ${lacking.length - 10} more` : ''}. Export the other scans, or choose fewer sequences.`
    );

  const cases: NnunetCase[] = [];
  const files: string[] = [];
  let usesIgnore = false;
  for (const volume of volumes) {
    options.signal?.throwIfAborted();
    const caseId = nnunetCaseId(volume);
    const label = await buildNnunetLabelMap(project.store, volume);
    const split = label ? 'train' : 'test';
    const geometry = geometryOf(volume);
    const imageFiles: string[] = [];
    for (const [channel, source] of channelSources.get(volume.id)!.entries()) {
      const imageFile = `${datasetFolder}/${split === 'train' ? 'imagesTr' : 'imagesTs'}/${caseId}_${String(channel).padStart(4, '0')}.nii.gz`;
      const bytes = await project.volumeCache.read(source.cacheFile);
      const scalars = createScalarArray(source.scalarType, bytes.slice().buffer);
      await writeNiftiImage({ geometry, scalars }, join(folder, imageFile), { description: describeForNiftiDescrip('GenSeg nnU-Net image', volume), signal: options.signal });
      files.push(imageFile);
      imageFiles.push(imageFile);
    }
    const imageFile = imageFiles[0]!;
    let labelFile: string | null = null;
    if (label) {
      labelFile = `${datasetFolder}/labelsTr/${caseId}.nii.gz`;
      await writeNiftiMask(geometry, label.labels, join(folder, labelFile), { description: describeForNiftiDescrip('GenSeg nnU-Net label', volume), signal: options.signal });
      files.push(labelFile);
      usesIgnore ||= label.ignoredSlices.length > 0;
    }
    cases.push({
      caseId,
      volumeId: volume.id,
      volumeName: volume.name,
      split,
      imageFile,
      imageFiles,
      labelFile,
      maskedSlices: label?.maskedSlices ?? [],
      absentSlices: label?.absentSlices ?? [],
      ignoredSlices: label?.ignoredSlices ?? [],
      provenance: describeVolumeProvenance(volume)
    });
  }

  const training = cases.filter((c) => c.split === 'train');
  const datasetJson: NnunetDatasetJson = {
    channel_names:
      sequenceNames.length > 0
        ? Object.fromEntries(sequenceNames.map((name, channel) => [String(channel), name]))
        : { '0': channelName(volumes) },
    labels: { background: NNUNET_BACKGROUND, tumour: NNUNET_TUMOUR, ...(usesIgnore ? { ignore: NNUNET_IGNORE } : {}) },
    numTraining: training.length,
    file_ending: '.nii.gz',
    name: datasetFolder,
    description:
      'Exported by GenSeg Workstation. Labels: 1 tumour as drawn or accepted; 0 background inside drawn slices and on ' +
      'slices tagged tumour-absent; 2 (ignore) on slices nobody annotated. Scans without a drawn mask are in imagesTs.',
    reference: 'GenSeg Workstation project ' + project.name,
    licence: 'as the source scans',
    release: '1.0'
  };
  await writeJson(join(root, 'dataset.json'), datasetJson);
  files.push(`${datasetFolder}/dataset.json`);
  // Which scan each case is, for the user: nnU-Net ignores files it does not know.
  await writeJson(
    join(root, 'genseg_cases.json'),
    cases.map(({ caseId, volumeId, volumeName, split, maskedSlices, absentSlices, ignoredSlices, provenance }) => ({
      caseId,
      volumeId,
      volumeName,
      split,
      maskedSlices: maskedSlices.length,
      absentSlices: absentSlices.length,
      ignoredSlices: ignoredSlices.length,
      ...provenance
    }))
  );
  files.push(`${datasetFolder}/genseg_cases.json`);
  return { datasetFolder, datasetJson, cases, files };
}

export interface NnunetLabelMap {
  labels: Uint8Array;
  maskedSlices: number[];
  absentSlices: number[];
  ignoredSlices: number[];
}

/**
 * The nnU-Net label map of one volume, or null when no slice has tumour drawn (the scan then has no training label).
 * Slices with tumour drawn: the mask (any nonzero value is tumour). Slices tagged absent: background. Others: ignore.
 */
export async function buildNnunetLabelMap(store: ProjectStore, volume: VolumeRecord): Promise<NnunetLabelMap | null> {
  const [columns, rows, sliceCount] = volume.dimensions;
  const sliceSize = columns * rows;
  const maskSlices = (await store.masks.getSlices(volume.id)).filter((slice) => slice.labels.some((value) => value !== 0));
  if (maskSlices.length === 0) return null;
  const absent = new Set((await store.sliceLabels.listForVolume(volume.id)).filter((s) => s.state === 'absent').map((s) => s.sliceIndex));
  const labels = new Uint8Array(sliceSize * sliceCount).fill(NNUNET_IGNORE);
  const masked = new Set<number>();
  for (const slice of maskSlices) {
    const target = labels.subarray(slice.sliceIndex * sliceSize, (slice.sliceIndex + 1) * sliceSize);
    for (let n = 0; n < sliceSize; n += 1) target[n] = slice.labels[n] !== 0 ? NNUNET_TUMOUR : NNUNET_BACKGROUND;
    masked.add(slice.sliceIndex);
  }
  const absentSlices: number[] = [];
  const ignoredSlices: number[] = [];
  for (let k = 0; k < sliceCount; k += 1) {
    if (masked.has(k)) continue;
    if (absent.has(k)) {
      labels.fill(NNUNET_BACKGROUND, k * sliceSize, (k + 1) * sliceSize);
      absentSlices.push(k);
    } else ignoredSlices.push(k);
  }
  return { labels, maskedSlices: [...masked].sort((a, b) => a - b), absentSlices, ignoredSlices };
}

/** nnU-Net normalises a channel named "CT" with CT statistics and any other name with z-scores. */
function channelName(volumes: VolumeRecord[]): string {
  const modalities = new Set(volumes.map((volume) => volume.modality ?? ''));
  if (modalities.size === 1) {
    const [modality] = modalities;
    if (modality === 'CT') return 'CT';
    if (modality === 'MR') return 'MRI';
    if (modality) return modality;
  }
  return 'image';
}

async function writeJson(path: string, value: unknown): Promise<void> {
  await writeFileAtomically(path, new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`));
}
