import type { Row } from '../Database';
import type { ScalarTypeName, SequenceRecord, VolumeRecord } from '../records';

/** The columns a stored image has whether it is a volume (table volumes) or another sequence of a case (case_sequences). */
export interface ImageColumns extends Row {
  source_kind: string;
  source_files: string;
  series_description: string | null;
  series_instance_uid: string | null;
  modality: string | null;
  frame_of_reference: string | null;
  scalar_type: string;
  min_value: number;
  max_value: number;
  window_center: number;
  window_width: number;
  cache_file: string;
  warnings: string;
  created_at: string;
}

/** The fields that volumes and sequences share, read from their common columns. */
export type ImageFields = Pick<
  VolumeRecord & SequenceRecord,
  | 'sourceKind'
  | 'sourceFiles'
  | 'seriesDescription'
  | 'seriesInstanceUid'
  | 'modality'
  | 'frameOfReference'
  | 'scalarType'
  | 'minValue'
  | 'maxValue'
  | 'windowCenter'
  | 'windowWidth'
  | 'cacheFile'
  | 'warnings'
  | 'createdAt'
>;

/** One mapping of the shared columns, for VolumeRepository and SequenceRepository alike. */
export function readImageColumns(row: ImageColumns): ImageFields {
  return {
    sourceKind: row.source_kind === 'dicom' ? 'dicom' : 'nifti',
    sourceFiles: JSON.parse(row.source_files) as string[],
    seriesDescription: row.series_description,
    seriesInstanceUid: row.series_instance_uid,
    modality: row.modality,
    frameOfReference: row.frame_of_reference,
    scalarType: row.scalar_type as ScalarTypeName,
    minValue: row.min_value,
    maxValue: row.max_value,
    windowCenter: row.window_center,
    windowWidth: row.window_width,
    cacheFile: row.cache_file,
    warnings: JSON.parse(row.warnings) as string[],
    createdAt: row.created_at
  };
}
