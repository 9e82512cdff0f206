import type { Database, Row } from '../Database';
import type { ModelVersionMetrics } from '../../contract';
import type { ModelVersionRecord, StoredRunConfig } from '../records';
import { readJsonObject, readModelVersionMetrics, readNumberRecord, readPresetName, readTrainingMethod } from './readStoredValues';

interface VersionRow extends Row {
  id: string;
  number: number;
  run_id: string | null;
  method: string;
  preset: string;
  config: string;
  metrics: string;
  data_snapshot: string;
  backend: string;
  weights_folder: string;
  created_at: string;
  name: string | null;
  deleted_at: string | null;
}

/** Models are versioned data: numbered, with config, metrics and the data snapshot they were trained on. */
export class ModelVersionRepository {
  constructor(private readonly database: Database) {}

  /** Inserts with the next version number and returns it. */
  async create(version: Omit<ModelVersionRecord, 'number'>): Promise<number> {
    return this.database.transaction(async (tx) => {
      const row = await tx.get<{ n: number | null }>('SELECT MAX(number) AS n FROM model_versions');
      const number = (row?.n ?? 0) + 1;
      await tx.run(
        `INSERT INTO model_versions (id, number, run_id, method, preset, config, metrics, data_snapshot, backend,
           weights_folder, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          version.id,
          number,
          version.runId,
          version.method,
          version.preset,
          JSON.stringify(version.config),
          JSON.stringify(version.metrics),
          JSON.stringify(version.dataSnapshot),
          version.backend,
          version.weightsFolder,
          version.createdAt
        ]
      );
      return number;
    });
  }

  /** The versions the user has (deleted ones too with `includeDeleted`, for provenance: "accepted from model 2"). */
  async list({ includeDeleted = false } = {}): Promise<ModelVersionRecord[]> {
    const filter = includeDeleted ? '' : 'WHERE deleted_at IS NULL';
    return (await this.database.all<VersionRow>(`SELECT * FROM model_versions ${filter} ORDER BY number`)).map(toRecord);
  }

  /** A version that was not deleted. */
  async get(id: string): Promise<ModelVersionRecord | undefined> {
    const row = await this.database.get<VersionRow>('SELECT * FROM model_versions WHERE id = ? AND deleted_at IS NULL', [id]);
    return row ? toRecord(row) : undefined;
  }

  async rename(id: string, name: string | null): Promise<void> {
    await this.database.run('UPDATE model_versions SET name = ? WHERE id = ? AND deleted_at IS NULL', [name, id]);
  }

  /**
   * Deletes a version as the user sees it, in one transaction: it leaves the lists, its number is never reused, its
   * proposals not yet reviewed (pending, disagreements, superseded) are removed; reviewed proposals and masks accepted
   * from it keep naming it. Returns the scans whose live proposal was removed. The weights folder is the caller's.
   */
  async markDeleted(id: string): Promise<{ withdrawnVolumeIds: string[] }> {
    return this.database.transaction(async (tx) => {
      const live = await tx.all<{ volume_id: string }>(
        "SELECT DISTINCT volume_id FROM proposals WHERE model_version_id = ? AND status IN ('pending', 'disagreement')",
        [id]
      );
      await tx.run("DELETE FROM proposals WHERE model_version_id = ? AND status != 'reviewed'", [id]);
      await tx.run('UPDATE model_versions SET deleted_at = ? WHERE id = ?', [new Date().toISOString(), id]);
      return { withdrawnVolumeIds: live.map((row) => row.volume_id) };
    });
  }

  async updateMetrics(id: string, metrics: ModelVersionMetrics): Promise<void> {
    await this.database.run('UPDATE model_versions SET metrics = ? WHERE id = ?', [JSON.stringify(metrics), id]);
  }
}

function toRecord(row: VersionRow): ModelVersionRecord {
  return {
    id: row.id,
    number: row.number,
    runId: row.run_id,
    method: readTrainingMethod(row.method),
    preset: readPresetName(row.preset),
    config: readJsonObject(row.config) as StoredRunConfig,
    metrics: readModelVersionMetrics(row.metrics),
    dataSnapshot: readNumberRecord(row.data_snapshot),
    backend: row.backend,
    weightsFolder: row.weights_folder,
    createdAt: row.created_at,
    name: row.name,
    deletedAt: row.deleted_at
  };
}
