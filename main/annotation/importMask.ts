/**
 * Masks in: a NIfTI label map or a DICOM SEG put onto a scan already in the project, as imported mask slices. They keep
 * their provenance ('imported', with the file's name) and are training data like drawn ones: each slice with tumour
 * becomes present, and so does the scan. Slices where the file has no tumour are left as they were.
 */
import { open, readFile } from 'node:fs/promises';
import { ApiError } from '../contract';
import type { ProjectStore, VolumeRecord } from '../db';
import { geometryOf } from '../db';
import { isImagingError, readDicomSeg, readDicomSourceImages, readNiftiFile } from '../imaging';
import { saveMaskSlices } from './masks';
import { placeLabelMap, type LabelMapPlacement } from './placeLabelMap';

export interface MaskImportOutcome {
  fileName: string;
  format: 'nifti' | 'dicom-seg';
  placement: LabelMapPlacement;
  /** Slices (k) that received an imported mask. */
  importedSlices: number[];
  tumourVoxels: number;
  warnings: string[];
}

export async function importMaskFile(
  store: ProjectStore,
  volume: VolumeRecord,
  path: string,
  options: { fileName: string; author: string }
): Promise<MaskImportOutcome> {
  const format = (await isDicomFile(path)) ? 'dicom-seg' : 'nifti';
  const placed = format === 'dicom-seg' ? await placeDicomSeg(volume, path, options.fileName) : await placeNifti(volume, path, options.fileName);
  const [columns, rows, sliceCount] = volume.dimensions;
  const sliceSize = columns * rows;
  const slices = [];
  let tumourVoxels = 0;
  for (let k = 0; k < sliceCount; k += 1) {
    const labels = placed.labels.slice(k * sliceSize, (k + 1) * sliceSize);
    let count = 0;
    for (let n = 0; n < sliceSize; n += 1) count += labels[n]! ? 1 : 0;
    if (count === 0) continue;
    tumourVoxels += count;
    slices.push({ sliceIndex: k, labels });
  }
  if (slices.length === 0) {
    throw new ApiError('bad-file', `${options.fileName} holds no tumour on this scan (every voxel is 0 once placed on it); nothing was imported.`);
  }
  await saveMaskSlices(store, volume, slices, { provenance: 'imported', author: options.author, sourceFile: options.fileName });
  return {
    fileName: options.fileName,
    format,
    placement: placed.placement,
    importedSlices: slices.map((slice) => slice.sliceIndex),
    tumourVoxels,
    warnings: placed.warnings
  };
}

async function isDicomFile(path: string): Promise<boolean> {
  const handle = await open(path, 'r').catch((error: unknown) => {
    throw new ApiError('bad-file', `${path} cannot be opened (${(error as Error).message}).`);
  });
  try {
    const head = new Uint8Array(132);
    const { bytesRead } = await handle.read(head, 0, 132, 0);
    return bytesRead === 132 && String.fromCharCode(...head.subarray(128, 132)) === 'DICM';
  } finally {
    await handle.close();
  }
}

async function placeNifti(volume: VolumeRecord, path: string, fileName: string): Promise<{ placement: LabelMapPlacement; labels: Uint8Array; warnings: string[] }> {
  let map;
  try {
    map = await readNiftiFile(path);
  } catch (error) {
    if (isImagingError(error)) throw new ApiError('bad-file', `${fileName}: ${error.message}`);
    throw error;
  }
  const placed = placeLabelMap(map.volume.scalars, map.volume.geometry, geometryOf(volume));
  if (!placed.ok) throw new ApiError('bad-file', `${fileName} was not imported onto ${volume.name}. ${placed.reason}`);
  const warnings = [...placed.warnings];
  const values = new Set<number>();
  for (const value of map.volume.scalars) if (value !== 0 && values.size < 20) values.add(value);
  if (values.size > 1) {
    warnings.push(`The label map holds ${values.size >= 20 ? '20 or more' : values.size} label values (${[...values].sort((a, b) => a - b).slice(0, 8).join(', ')}); every nonzero value was taken as tumour.`);
  }
  return { placement: placed.placement, labels: placed.labels, warnings };
}

async function placeDicomSeg(volume: VolumeRecord, path: string, fileName: string): Promise<{ placement: LabelMapPlacement; labels: Uint8Array; warnings: string[] }> {
  if (volume.sourceKind !== 'dicom') {
    throw new ApiError(
      'bad-file',
      `${fileName} is a DICOM SEG, which references the DICOM images it segments; ${volume.name} was imported from NIfTI, so the SEG cannot be placed on it. Import the mask as a NIfTI label map instead.`
    );
  }
  try {
    const bytes = await readFile(path);
    const sources = await readDicomSourceImages(volume.sourceFiles, geometryOf(volume));
    const content = await readDicomSeg(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), sources, fileName);
    if (content.referencedSeriesInstanceUid && volume.seriesInstanceUid && content.referencedSeriesInstanceUid !== volume.seriesInstanceUid.split('#')[0]) {
      throw new ApiError('bad-file', `${fileName} segments series ${content.referencedSeriesInstanceUid}, not ${volume.name} (series ${volume.seriesInstanceUid}); nothing was imported.`);
    }
    const warnings =
      content.segments.length > 1
        ? [`The SEG holds ${content.segments.length} segments (${content.segments.map((segment) => segment.label).join(', ')}); all were taken as tumour.`]
        : [];
    return { placement: 'same-grid', labels: Uint8Array.from(content.labels, (value) => (value !== 0 ? 1 : 0)), warnings };
  } catch (error) {
    if (isImagingError(error)) throw new ApiError('bad-file', `${fileName} was not imported onto ${volume.name}: ${error.message}`);
    throw error;
  }
}
