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

/** A tag the user gives: what a drawn mask overrode of the previous tag is forgotten with it. */
async function writeScanLabel(tx: Transaction, volumeId: string, scanLabel: ScanLabel): Promise<void> {
  await tx.run(
    `INSERT INTO scan_labels (volume_id, state, tumour_ranges, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (volume_id) DO UPDATE SET state = excluded.state, tumour_ranges = excluded.tumour_ranges,
       updated_at = excluded.updated_at, state_before_mask = NULL`,
    [volumeId, scanLabel.state, JSON.stringify(scanLabel.tumourRanges), new Date().toISOString()]
  );
}

/**
 * Writes slice labels. A label set by a drawn mask keeps what the slice is without it (given, or the label it replaces,
 * or the one already kept), so that erasing or undoing the mask brings it back (`restoreWithoutMask`); any other label
 * forgets it. SQLite evaluates every SET expression on the row as it was.
 */
export async function writeSlices(tx: Transaction, volumeId: string, labels: SliceLabel[]): Promise<void> {
  const now = new Date().toISOString();
  for (const label of labels) {
    await tx.run(
      `INSERT INTO slice_labels (volume_id, slice_index, state, source, updated_at, state_before_mask, source_before_mask)
         VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (volume_id, slice_index) DO UPDATE SET state = excluded.state, source = excluded.source,
         updated_at = excluded.updated_at,
         state_before_mask = CASE WHEN excluded.source != 'mask' THEN NULL
           WHEN excluded.state_before_mask IS NOT NULL THEN excluded.state_before_mask
           WHEN slice_labels.source = 'mask' THEN slice_labels.state_before_mask ELSE slice_labels.state END,
         source_before_mask = CASE WHEN excluded.source != 'mask' THEN NULL
           WHEN excluded.source_before_mask IS NOT NULL THEN excluded.source_before_mask
           WHEN slice_labels.source = 'mask' THEN slice_labels.source_before_mask ELSE slice_labels.source END`,
      [
        volumeId,
        label.sliceIndex,
        label.state,
        label.source,
        now,
        label.source === 'mask' ? (label.withoutMask?.state ?? null) : null,
        label.source === 'mask' ? (label.withoutMask?.source ?? null) : null
      ]
    );
  }
}

/** A drawn tumour made the scan present: its tag before is kept (unless it was present already) to come back. */
export async function markScanPresentByMask(tx: Transaction, volumeId: string): Promise<void> {
  await tx.run(
    `INSERT INTO scan_labels (volume_id, state, tumour_ranges, updated_at, state_before_mask)
       VALUES (?, 'present', '[]', ?, 'unknown')
     ON CONFLICT (volume_id) DO UPDATE SET state = 'present', updated_at = excluded.updated_at,
       state_before_mask = CASE WHEN scan_labels.state = 'present' THEN scan_labels.state_before_mask ELSE scan_labels.state END`,
    [volumeId, new Date().toISOString()]
  );
}

/**
 * Slices whose drawn tumour is gone (erased, undone) get back the label they had without it, and the scan its tag
 * from before a mask made it present once no tumour is drawn on it. In the transaction that saved the masks.
 */
export async function restoreWithoutMask(tx: Transaction, volumeId: string, emptiedSlices: number[]): Promise<void> {
  if (emptiedSlices.length === 0) return;
  const now = new Date().toISOString();
  if ((await readTumourSlices(tx, volumeId)).size === 0) {
    await tx.run(
      `UPDATE scan_labels SET state = state_before_mask, state_before_mask = NULL, updated_at = ?
       WHERE volume_id = ? AND state_before_mask IS NOT NULL`,
      [now, volumeId]
    );
  }
  const scan = await tx.get<{ state: string; tumour_ranges: string }>(
    'SELECT state, tumour_ranges FROM scan_labels WHERE volume_id = ?',
    [volumeId]
  );
  const scanLabel: ScanLabel = scan
    ? { state: scan.state as SliceState, tumourRanges: JSON.parse(scan.tumour_ranges) as SliceRange[] }
    : { state: 'unknown', tumourRanges: [] };
  for (const sliceIndex of emptiedSlices) {
    const row = await tx.get<{ source: string; state_before_mask: string | null; source_before_mask: string | null }>(
      'SELECT source, state_before_mask, source_before_mask FROM slice_labels WHERE volume_id = ? AND slice_index = ?',
      [volumeId, sliceIndex]
    );
    if (row?.source !== 'mask') continue;
    const restored =
      row.state_before_mask && row.source_before_mask
        ? { state: row.state_before_mask as SliceState, source: row.source_before_mask as SliceLabelSource }
        : impliedByTags(scanLabel, sliceIndex);
    await tx.run(
      `UPDATE slice_labels SET state = ?, source = ?, state_before_mask = NULL, source_before_mask = NULL, updated_at = ?
       WHERE volume_id = ? AND slice_index = ?`,
      [restored.state, restored.source, now, volumeId, sliceIndex]
    );
  }
}

/** What the scan's tag and ranges say of one slice (the rules of annotation/weakLabels.ts). */
function impliedByTags(scan: ScanLabel, sliceIndex: number): { state: SliceState; source: SliceLabelSource } {
  if (scan.state === 'absent') return { state: 'absent', source: 'scan' };
  if (scan.state === 'unknown') return { state: 'unknown', source: 'scan' };
  if (scan.tumourRanges.length === 0) return { state: 'unknown', source: 'range' };
  const inRange = scan.tumourRanges.some((range) => sliceIndex >= range.first && sliceIndex <= range.last);
  return { state: inRange ? 'present' : 'absent', source: 'range' };
}
