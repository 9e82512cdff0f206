import { unzlibSync, zlibSync } from 'fflate';
import type { Database, Row, SqlValue } from '../Database';
import type { ProposalRecord } from '../records';
import { readProposalStatus } from './readStoredValues';

interface ProposalSummaryRow extends Row {
  id: string;
  volume_id: string;
  model_version_id: string;
  slice_areas: string;
  status: string;
  reviewed_slices: string;
  created_at: string;
}

interface ProposalRow extends ProposalSummaryRow {
  labels: Uint8Array;
}

/** A model version's proposed labelmap for one volume, kept apart from the user's masks until reviewed. */
export class ProposalRepository {
  constructor(private readonly database: Database) {}

  async insert(proposal: ProposalRecord): Promise<void> {
    await this.database.run(
      `INSERT INTO proposals (id, volume_id, model_version_id, labels, slice_areas, status, reviewed_slices, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      toParameters(proposal)
    );
  }

  async listForVolume(volumeId: string): Promise<ProposalRecord[]> {
    const rows = await this.database.all<ProposalRow>(
      'SELECT * FROM proposals WHERE volume_id = ? ORDER BY created_at',
      [volumeId]
    );
    return rows.map(toRecord);
  }

  /**
   * A volume's proposals without their labelmaps, oldest first: what ranking needs (areas, status, decisions), without
   * decompressing a labelmap per model version.
   */
  async listSummariesForVolume(volumeId: string): Promise<Omit<ProposalRecord, 'labels'>[]> {
    const rows = await this.database.all<ProposalSummaryRow>(
      `SELECT id, volume_id, model_version_id, slice_areas, status, reviewed_slices, created_at FROM proposals
       WHERE volume_id = ? ORDER BY created_at`,
      [volumeId]
    );
    return rows.map(toSummary);
  }

  async get(id: string): Promise<ProposalRecord | undefined> {
    const row = await this.database.get<ProposalRow>('SELECT * FROM proposals WHERE id = ?', [id]);
    return row ? toRecord(row) : undefined;
  }

  /**
   * Makes `proposal` the scan's one live proposal: older pending proposals and disagreements of the same scan are
   * superseded in the same transaction. With `null`, the scan is only cleared (a model found nothing on a scan the
   * user tagged no tumour).
   */
  async replaceLive(volumeId: string, proposal: ProposalRecord | null): Promise<void> {
    await this.database.transaction(async (tx) => {
      await tx.run(
        "UPDATE proposals SET status = 'superseded' WHERE volume_id = ? AND status IN ('pending', 'disagreement')",
        [volumeId]
      );
      if (!proposal) return;
      await tx.run(
        `INSERT INTO proposals (id, volume_id, model_version_id, labels, slice_areas, status, reviewed_slices, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        toParameters(proposal)
      );
    });
  }

  async listDisagreements(): Promise<Set<string>> {
    const rows = await this.database.all<{ volume_id: string }>(
      "SELECT DISTINCT volume_id FROM proposals WHERE status = 'disagreement'"
    );
    return new Set(rows.map((row) => row.volume_id));
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

  /** Records the user's decisions for some slices; the proposal is reviewed once every slice it found is decided. */
  async recordReview(id: string, decisions: Record<number, 'accepted' | 'rejected'>): Promise<ProposalRecord['reviewedSlices']> {
    return this.database.transaction(async (tx) => {
      const row = await tx.get<{ reviewed_slices: string; slice_areas: string; status: string }>(
        'SELECT reviewed_slices, slice_areas, status FROM proposals WHERE id = ?',
        [id]
      );
      if (!row) return {};
      const reviewed = { ...(JSON.parse(row.reviewed_slices) as ProposalRecord['reviewedSlices']), ...decisions };
      const areas = JSON.parse(row.slice_areas) as number[];
      const done = areas.every((area, slice) => area === 0 || reviewed[slice] !== undefined);
      await tx.run('UPDATE proposals SET reviewed_slices = ?, status = ? WHERE id = ?', [
        JSON.stringify(reviewed),
        done ? 'reviewed' : row.status,
        id
      ]);
      return reviewed;
    });
  }
}

function toParameters(proposal: ProposalRecord): SqlValue[] {
  return [
    proposal.id,
    proposal.volumeId,
    proposal.modelVersionId,
    zlibSync(proposal.labels, { level: 6 }),
    JSON.stringify(proposal.sliceAreas),
    proposal.status,
    JSON.stringify(proposal.reviewedSlices),
    proposal.createdAt
  ];
}

function toRecord(row: ProposalRow): ProposalRecord {
  return { ...toSummary(row), labels: unzlibSync(row.labels) };
}

function toSummary(row: ProposalSummaryRow): Omit<ProposalRecord, 'labels'> {
  return {
    id: row.id,
    volumeId: row.volume_id,
    modelVersionId: row.model_version_id,
    sliceAreas: JSON.parse(row.slice_areas) as number[],
    status: readProposalStatus(row.status),
    reviewedSlices: JSON.parse(row.reviewed_slices) as ProposalRecord['reviewedSlices'],
    createdAt: row.created_at
  };
}
