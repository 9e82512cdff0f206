import type { Database } from '../Database';
import type { SliceLabel, SliceLabelSource, SliceState } from '../records';

/** Per-slice weak labels along a volume's acquisition axis. Slices without a row are 'unknown'. */
export class SliceLabelRepository {
  constructor(private readonly database: Database) {}

  /** Writes the given slices in one transaction: all of them are on disk when the promise resolves, or none. */
  async setSlices(volumeId: string, labels: SliceLabel[]): Promise<void> {
    const now = new Date().toISOString();
    await this.database.transaction(async (tx) => {
      for (const label of labels) {
        await tx.run(
          `INSERT INTO slice_labels (volume_id, slice_index, state, source, updated_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (volume_id, slice_index) DO UPDATE SET state = excluded.state, source = excluded.source,
             updated_at = excluded.updated_at`,
          [volumeId, label.sliceIndex, label.state, label.source, now]
        );
      }
    });
  }

  async setAllSlices(volumeId: string, sliceCount: number, state: SliceState, source: SliceLabelSource): Promise<void> {
    await this.setSlices(
      volumeId,
      Array.from({ length: sliceCount }, (_, sliceIndex) => ({ sliceIndex, state, source }))
    );
  }

  async listForVolume(volumeId: string): Promise<SliceLabel[]> {
    const rows = await this.database.all<{ slice_index: number; state: string; source: string }>(
      'SELECT slice_index, state, source FROM slice_labels WHERE volume_id = ? ORDER BY slice_index',
      [volumeId]
    );
    return rows.map((row) => ({
      sliceIndex: row.slice_index,
      state: row.state as SliceState,
      source: row.source as SliceLabelSource
    }));
  }

  /** Counts of present and absent slices in the whole project (the two training domains). */
  async countByState(): Promise<Record<SliceState, number>> {
    const rows = await this.database.all<{ state: string; n: number }>(
      'SELECT state, COUNT(*) AS n FROM slice_labels GROUP BY state'
    );
    const counts: Record<SliceState, number> = { present: 0, absent: 0, unknown: 0 };
    for (const row of rows) counts[row.state as SliceState] = row.n;
    return counts;
  }
}
