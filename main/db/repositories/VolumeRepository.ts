import type { Database } from '../Database';
import type { VolumeScaling } from '../../imaging';
import type { VolumeRecord } from '../records';
import { readImageColumns, type ImageColumns } from './imageColumns';

interface VolumeRow extends ImageColumns {
  id: string;
  name: string;
  patient_name: string | null;
  patient_id: string | null;
  study_description: string | null;
  dim_i: number;
  dim_j: number;
  dim_k: number;
  voxel_to_patient: string;
  nifti_layout: string | null;
  volume_index: number | null;
  volume_count: number | null;
  scaling: string | null;
  sequence_name: string | null;
  study_instance_uid: string | null;
  content_hash: string | null;
  study_date: string | null;
}

export class VolumeRepository {
  constructor(private readonly database: Database) {}

  async insert(volume: VolumeRecord): Promise<void> {
    await this.database.run(
      `INSERT INTO volumes (id, name, source_kind, source_files, patient_name, patient_id, study_description,
         series_description, modality, series_instance_uid, dim_i, dim_j, dim_k, voxel_to_patient, nifti_layout, scalar_type,
         min_value, max_value, window_center, window_width, cache_file, warnings, volume_index, volume_count, scaling, created_at,
         sequence_name, frame_of_reference, study_instance_uid, content_hash, study_date)
       VALUES (${new Array(31).fill('?').join(', ')})`,
      [
        volume.id,
        volume.name,
        volume.sourceKind,
        JSON.stringify(volume.sourceFiles),
        volume.patientName,
        volume.patientId,
        volume.studyDescription,
        volume.seriesDescription,
        volume.modality,
        volume.seriesInstanceUid,
        ...volume.dimensions,
        JSON.stringify(volume.voxelToPatient),
        volume.niftiLayout ? JSON.stringify(volume.niftiLayout) : null,
        volume.scalarType,
        volume.minValue,
        volume.maxValue,
        volume.windowCenter,
        volume.windowWidth,
        volume.cacheFile,
        JSON.stringify(volume.warnings),
        volume.volumeIndex,
        volume.volumeCount,
        volume.scaling ? JSON.stringify(volume.scaling) : null,
        volume.createdAt,
        volume.sequenceName ?? null,
        volume.frameOfReference ?? null,
        volume.studyInstanceUid ?? null,
        volume.contentHash ?? null,
        volume.studyDate ?? null
      ]
    );
  }

  async list(): Promise<VolumeRecord[]> {
    const rows = await this.database.all<VolumeRow>('SELECT * FROM volumes ORDER BY created_at, id');
    return rows.map(toRecord);
  }

  async get(id: string): Promise<VolumeRecord | undefined> {
    const row = await this.database.get<VolumeRow>('SELECT * FROM volumes WHERE id = ?', [id]);
    return row ? toRecord(row) : undefined;
  }

  /** Names this volume as its case's reference sequence. */
  async setSequenceName(id: string, name: string): Promise<boolean> {
    return (await this.database.run('UPDATE volumes SET sequence_name = ? WHERE id = ?', [name, id])).changes > 0;
  }

  /** The window the volume opens with (issue 18: the one the user last gave it, kept in the project). */
  async setWindow(id: string, center: number, width: number): Promise<boolean> {
    return (await this.database.run('UPDATE volumes SET window_center = ?, window_width = ? WHERE id = ?', [center, width, id])).changes > 0;
  }

  /** Volumes imported from a file with these bytes (SHA-256, hex). */
  async findByContentHash(hash: string): Promise<VolumeRecord[]> {
    const rows = await this.database.all<VolumeRow>('SELECT * FROM volumes WHERE content_hash = ? ORDER BY created_at, id', [hash]);
    return rows.map(toRecord);
  }

  /** Volumes imported from the DICOM series with this SeriesInstanceUID. */
  async findBySeriesInstanceUid(uid: string): Promise<VolumeRecord[]> {
    const rows = await this.database.all<VolumeRow>(
      'SELECT * FROM volumes WHERE series_instance_uid = ? ORDER BY created_at, id',
      [uid]
    );
    return rows.map(toRecord);
  }

  async count(): Promise<number> {
    const row = await this.database.get<{ n: number }>('SELECT COUNT(*) AS n FROM volumes');
    return row?.n ?? 0;
  }

  async delete(id: string): Promise<boolean> {
    return (await this.database.run('DELETE FROM volumes WHERE id = ?', [id])).changes > 0;
  }
}

function toRecord(row: VolumeRow): VolumeRecord {
  return {
    ...readImageColumns(row),
    id: row.id,
    name: row.name,
    patientName: row.patient_name,
    patientId: row.patient_id,
    studyDescription: row.study_description,
    dimensions: [row.dim_i, row.dim_j, row.dim_k],
    voxelToPatient: JSON.parse(row.voxel_to_patient) as number[],
    niftiLayout: row.nifti_layout ? (JSON.parse(row.nifti_layout) as VolumeRecord['niftiLayout']) : null,
    volumeIndex: row.volume_index ?? null,
    volumeCount: row.volume_count ?? null,
    scaling: row.scaling ? (JSON.parse(row.scaling) as VolumeScaling) : null,
    sequenceName: row.sequence_name,
    studyInstanceUid: row.study_instance_uid,
    contentHash: row.content_hash ?? null,
    studyDate: row.study_date ?? null
  };
}
