import type { Database, Transaction } from '../Database';
import type { ScanLabel, SliceLabel, SliceLabelSource, SliceRange, SliceState } from '../records';
import { readTumourSlices } from './tumourSlices';

/** What `updateAgainstMasks` writes: the slice labels, and the scan label when it changes too. */
export interface SliceLabelUpdate {
  scanLabel?: ScanLabel;
  slices: SliceLabel[];
}

/**
 * Weak labels: the scan-level tag with its tumour slice ranges, and the per-slice labels along the acquisition axis
 * that they imply (slices without a row are 'unknown'). Every write is one transaction: on disk when it resolves.
 */
export class SliceLabelRepository {
  constructor(private readonly database: Database) {}

  async setSlices(volumeId: string, labels: SliceLabel[]): Promise<void> {
    await this.database.transaction((tx) => writeSlices(tx, volumeId, labels));
  }

  async setAllSlices(volumeId: string, sliceCount: number, state: SliceState, source: SliceLabelSource): Promise<void> {
    await this.setSlices(
      volumeId,
      Array.from({ length: sliceCount }, (_, sliceIndex) => ({ sliceIndex, state, source }))
    );
  }

  /** Writes the scan label and the slice labels it implies together. */
  async setScanLabel(volumeId: string, scanLabel: ScanLabel, slices: SliceLabel[]): Promise<void> {
    await this.database.transaction(async (tx) => {
      await writeScanLabel(tx, volumeId, scanLabel);
      await writeSlices(tx, volumeId, slices);
    });
  }

  /**
   * Reads which slices have tumour drawn and writes the labels `plan` makes of them, all in one transaction: a stroke
   * saved while the labels are computed either lands before (and `plan` sees it) or after (and its own label wins).
   * `plan` may throw (a tag that contradicts a drawn tumour): nothing is written then.
   */
  async updateAgainstMasks(volumeId: string, plan: (tumourSlices: ReadonlySet<number>) => SliceLabelUpdate): Promise<void> {
    await this.database.transaction(async (tx) => {
      const update = plan(await readTumourSlices(tx, volumeId));
      if (update.scanLabel) await writeScanLabel(tx, volumeId, update.scanLabel);
      await writeSlices(tx, volumeId, update.slices);
    });
  }

  async getScanLabel(volumeId: string): Promise<ScanLabel> {
    const row = await this.database.get<{ state: string; tumour_ranges: string }>(
      'SELECT state, tumour_ranges FROM scan_labels WHERE volume_id = ?',
      [volumeId]
    );
    return row
      ? { state: row.state as SliceState, tumourRanges: JSON.parse(row.tumour_ranges) as SliceRange[] }
      : { state: 'unknown', tumourRanges: [] };
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

  /** Per volume: its scan state and how many slices are present and absent (for the volume list). */
  async summariseByVolume(): Promise<Map<string, { scan: SliceState; present: number; absent: number }>> {
    const rows = await this.database.all<{ id: string; scan: string | null; present: number; absent: number }>(
      `SELECT v.id AS id, s.state AS scan,
         (SELECT COUNT(*) FROM slice_labels l WHERE l.volume_id = v.id AND l.state = 'present') AS present,
         (SELECT COUNT(*) FROM slice_labels l WHERE l.volume_id = v.id AND l.state = 'absent') AS absent
       FROM volumes v LEFT JOIN scan_labels s ON s.volume_id = v.id`
    );
    return new Map(
      rows.map((row) => [row.id, { scan: (row.scan ?? 'unknown') as SliceState, present: row.present, absent: row.absent }])
    );
  }
}

async function writeScanLabel(tx: Transaction, volumeId: string, scanLabel: ScanLabel): Promise<void> {
  await tx.run(
    `INSERT INTO scan_labels (volume_id, state, tumour_ranges, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (volume_id) DO UPDATE SET state = excluded.state, tumour_ranges = excluded.tumour_ranges,
       updated_at = excluded.updated_at`,
    [volumeId, scanLabel.state, JSON.stringify(scanLabel.tumourRanges), new Date().toISOString()]
  );
}

export async function writeSlices(tx: Transaction, volumeId: string, labels: SliceLabel[]): Promise<void> {
  const now = new Date().toISOString();
  for (const label of labels) {
    await tx.run(
      `INSERT INTO slice_labels (volume_id, slice_index, state, source, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (volume_id, slice_index) DO UPDATE SET state = excluded.state, source = excluded.source,
         updated_at = excluded.updated_at`,
      [volumeId, label.sliceIndex, label.state, label.source, now]
    );
  }
}
