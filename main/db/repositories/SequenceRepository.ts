import type { Database, Transaction } from '../Database';
import type { SequenceRecord } from '../records';
import { readImageColumns, type ImageColumns } from './imageColumns';

interface SequenceRow extends ImageColumns {
  id: string;
  volume_id: string;
  name: string;
  position: number;
  source_dimensions: string;
  source_voxel_to_patient: string;
  placement: string;
}

/**
 * The sequences of multi-sequence cases beyond the reference volume (table case_sequences, issue 18). A volume without
 * rows here is a one-sequence case, exactly as before.
 */
export class SequenceRepository {
  constructor(private readonly database: Database) {}

  async listForVolume(volumeId: string): Promise<SequenceRecord[]> {
    const rows = await this.database.all<SequenceRow>('SELECT * FROM case_sequences WHERE volume_id = ? ORDER BY position, id', [volumeId]);
    return rows.map(toRecord);
  }

  /** Every case's sequences, by volume id, in case order. */
  async listAll(): Promise<Map<string, SequenceRecord[]>> {
    const rows = await this.database.all<SequenceRow>('SELECT * FROM case_sequences ORDER BY volume_id, position, id');
    const byVolume = new Map<string, SequenceRecord[]>();
    for (const row of rows) byVolume.set(row.volume_id, [...(byVolume.get(row.volume_id) ?? []), toRecord(row)]);
    return byVolume;
  }

  async get(id: string): Promise<SequenceRecord | undefined> {
    const row = await this.database.get<SequenceRow>('SELECT * FROM case_sequences WHERE id = ?', [id]);
    return row ? toRecord(row) : undefined;
  }

  /**
   * Adds sequences to a case and removes the volumes they came from, in one transaction: either the case holds them
   * and the separate volumes are gone, or nothing changed. Also names the reference when `referenceName` is given.
   */
  async attach(volumeId: string, sequences: SequenceRecord[], removedVolumeIds: string[], referenceName: string | null): Promise<void> {
    await this.database.transaction(async (tx) => {
      for (const sequence of sequences) await insert(tx, { ...sequence, volumeId });
      for (const removed of removedVolumeIds) await tx.run('DELETE FROM volumes WHERE id = ?', [removed]);
      if (referenceName !== null) await tx.run('UPDATE volumes SET sequence_name = ? WHERE id = ?', [referenceName, volumeId]);
    });
  }

  async rename(id: string, name: string): Promise<boolean> {
    return (await this.database.run('UPDATE case_sequences SET name = ? WHERE id = ?', [name, id])).changes > 0;
  }

  /** The window the sequence opens with (the one the user last gave it). */
  async setWindow(id: string, center: number, width: number): Promise<boolean> {
    return (await this.database.run('UPDATE case_sequences SET window_center = ?, window_width = ? WHERE id = ?', [center, width, id])).changes > 0;
  }
}

async function insert(tx: Transaction, sequence: SequenceRecord): Promise<void> {
  await tx.run(
    `INSERT INTO case_sequences (id, volume_id, name, position, source_kind, source_files, series_description,
       series_instance_uid, modality, frame_of_reference, source_dimensions, source_voxel_to_patient, scalar_type, min_value,
       max_value, window_center, window_width, cache_file, placement, warnings, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      sequence.id,
      sequence.volumeId,
      sequence.name,
      sequence.position,
      sequence.sourceKind,
      JSON.stringify(sequence.sourceFiles),
      sequence.seriesDescription,
      sequence.seriesInstanceUid,
      sequence.modality,
      sequence.frameOfReference,
      JSON.stringify(sequence.sourceDimensions),
      JSON.stringify(sequence.sourceVoxelToPatient),
      sequence.scalarType,
      sequence.minValue,
      sequence.maxValue,
      sequence.windowCenter,
      sequence.windowWidth,
      sequence.cacheFile,
      JSON.stringify(sequence.placement),
      JSON.stringify(sequence.warnings),
      sequence.createdAt
    ]
  );
}

function toRecord(row: SequenceRow): SequenceRecord {
  return {
    ...readImageColumns(row),
    id: row.id,
    volumeId: row.volume_id,
    name: row.name,
    position: row.position,
    sourceDimensions: JSON.parse(row.source_dimensions) as [number, number, number],
    sourceVoxelToPatient: JSON.parse(row.source_voxel_to_patient) as number[],
    placement: JSON.parse(row.placement) as SequenceRecord['placement']
  };
}
