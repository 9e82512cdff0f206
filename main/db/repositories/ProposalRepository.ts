import { unzlibSync, zlibSync } from 'fflate';
import type { Database, Row } from '../Database';
import type { ProposalRecord } from '../records';

interface ProposalRow extends Row {
  id: string;
  volume_id: string;
  model_version_id: string;
  labels: Uint8Array;
  slice_areas: string;
  status: string;
  created_at: string;
}

/** A model version's proposed labelmap for one volume, kept apart from the user's masks until reviewed. */
export class ProposalRepository {
  constructor(private readonly database: Database) {}

  async insert(proposal: ProposalRecord): Promise<void> {
    await this.database.run(
      `INSERT INTO proposals (id, volume_id, model_version_id, labels, slice_areas, status, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [
        proposal.id,
        proposal.volumeId,
        proposal.modelVersionId,
        zlibSync(proposal.labels, { level: 6 }),
        JSON.stringify(proposal.sliceAreas),
        proposal.status,
        proposal.createdAt
      ]
    );
  }

  async listForVolume(volumeId: string): Promise<ProposalRecord[]> {
    const rows = await this.database.all<ProposalRow>(
      'SELECT * FROM proposals WHERE volume_id = ? ORDER BY created_at',
      [volumeId]
    );
    return rows.map(toRecord);
  }

  async get(id: string): Promise<ProposalRecord | undefined> {
    const row = await this.database.get<ProposalRow>('SELECT * FROM proposals WHERE id = ?', [id]);
    return row ? toRecord(row) : undefined;
  }

  async countPendingByVolume(): Promise<Map<string, number>> {
    const rows = await this.database.all<{ volume_id: string; n: number }>(
      "SELECT volume_id, COUNT(*) AS n FROM proposals WHERE status = 'pending' GROUP BY volume_id"
    );
    return new Map(rows.map((row) => [row.volume_id, row.n]));
  }

  async setStatus(id: string, status: ProposalRecord['status']): Promise<void> {
    await this.database.run('UPDATE proposals SET status = ? WHERE id = ?', [status, id]);
  }
}

function toRecord(row: ProposalRow): ProposalRecord {
  return {
    id: row.id,
    volumeId: row.volume_id,
    modelVersionId: row.model_version_id,
    labels: unzlibSync(row.labels),
    sliceAreas: JSON.parse(row.slice_areas) as number[],
    status: row.status === 'reviewed' ? 'reviewed' : 'pending',
    createdAt: row.created_at
  };
}
