import type { Database } from '../Database';
import type { MetricPoint, StoredRunConfig, TrainingRunRecord, TrainingRunStatus } from '../records';
import { readJsonObject, readPresetName, readRunStatus, readTrainingMethod } from './readStoredValues';

interface RunRow {
  [key: string]: string | null;
  id: string;
  status: string;
  method: string;
  preset: string;
  config: string;
  backend: string | null;
  checkpoint_file: string | null;
  error: string | null;
  started_at: string;
  ended_at: string | null;
}

/** Training runs and their metric series (loss, Dice, ... by step). */
export class TrainingRunRepository {
  constructor(private readonly database: Database) {}

  async create(run: Omit<TrainingRunRecord, 'endedAt' | 'error' | 'checkpointFile'>): Promise<void> {
    await this.database.run(
      'INSERT INTO training_runs (id, status, method, preset, config, backend, started_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [run.id, run.status, run.method, run.preset, JSON.stringify(run.config), run.backend, run.startedAt]
    );
  }

  async update(
    id: string,
    changes: Partial<Pick<TrainingRunRecord, 'status' | 'backend' | 'checkpointFile' | 'error' | 'endedAt'>>
  ): Promise<void> {
    const columns: Record<string, string | null | undefined> = {
      status: changes.status,
      backend: changes.backend,
      checkpoint_file: changes.checkpointFile,
      error: changes.error,
      ended_at: changes.endedAt
    };
    const entries = Object.entries(columns).filter(([, value]) => value !== undefined) as [string, string | null][];
    if (entries.length === 0) return;
    await this.database.run(`UPDATE training_runs SET ${entries.map(([column]) => `${column} = ?`).join(', ')} WHERE id = ?`, [
      ...entries.map(([, value]) => value),
      id
    ]);
  }

  async get(id: string): Promise<TrainingRunRecord | undefined> {
    const row = await this.database.get<RunRow>('SELECT * FROM training_runs WHERE id = ?', [id]);
    return row ? toRecord(row) : undefined;
  }

  async list(): Promise<TrainingRunRecord[]> {
    return (await this.database.all<RunRow>('SELECT * FROM training_runs ORDER BY started_at')).map(toRecord);
  }

  async listWithStatus(status: TrainingRunStatus): Promise<TrainingRunRecord[]> {
    return (await this.database.all<RunRow>('SELECT * FROM training_runs WHERE status = ?', [status])).map(toRecord);
  }

  async appendMetrics(runId: string, points: MetricPoint[]): Promise<void> {
    const now = new Date().toISOString();
    await this.database.transaction(async (tx) => {
      for (const point of points) {
        await tx.run(
          `INSERT INTO training_metrics (run_id, step, name, value, recorded_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (run_id, name, step) DO UPDATE SET value = excluded.value, recorded_at = excluded.recorded_at`,
          [runId, point.step, point.name, point.value, now]
        );
      }
    });
  }

  async getMetrics(runId: string): Promise<MetricPoint[]> {
    return this.database.all<{ step: number; name: string; value: number }>(
      'SELECT step, name, value FROM training_metrics WHERE run_id = ? ORDER BY name, step',
      [runId]
    );
  }
}

function toRecord(row: RunRow): TrainingRunRecord {
  return {
    id: row.id,
    status: readRunStatus(row.status),
    method: readTrainingMethod(row.method),
    preset: readPresetName(row.preset),
    config: readJsonObject(row.config) as StoredRunConfig,
    backend: row.backend,
    checkpointFile: row.checkpoint_file,
    error: row.error,
    startedAt: row.started_at,
    endedAt: row.ended_at
  };
}
