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

  async list(): Promise<ModelVersionRecord[]> {
    return (await this.database.all<VersionRow>('SELECT * FROM model_versions ORDER BY number')).map(toRecord);
  }

  async get(id: string): Promise<ModelVersionRecord | undefined> {
    const row = await this.database.get<VersionRow>('SELECT * FROM model_versions WHERE id = ?', [id]);
    return row ? toRecord(row) : undefined;
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
    createdAt: row.created_at
  };
}
